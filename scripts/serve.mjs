/* global process, console */
/**
 * The production HTTP front: Next's request handler behind a plain Node server that stamps every
 * request with the socket's address (x-tmis-peer), so that the app never has to believe a
 * client-written X-Forwarded-For. Run by `npm start` and the e2e server; plain JS, no build step.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import next from 'next';

// The app believes the peer header only with this process's token beside it, so that a server run
// without this front (next dev, next start) cannot be fed a made-up address.
const peerToken = randomBytes(16).toString('hex');
process.env.TMIS_PEER_TOKEN = peerToken;

const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: false, hostname: 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((request, response) => {
  request.headers['x-tmis-peer'] = request.socket.remoteAddress ?? '';
  request.headers['x-tmis-peer-token'] = peerToken;
  handle(request, response);
});
server.listen(port, () => {
  console.log(`ready on http://localhost:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
