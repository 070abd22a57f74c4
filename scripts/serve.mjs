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

// Bodies: 40 MB at most for anyone (the upload limit is 30 MB per file, lib/spreadsheet/limits.ts), and
// no more than a sign-in form's worth without a session cookie, so that anonymous clients never have a
// large body read at all. The session itself is verified by the app, as always.
const maxBodyBytes = 40 * 1024 * 1024;
const maxAnonymousBodyBytes = 64 * 1024;
const sessionCookie = /(?:^|;\s*)(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;

function refuse(response, text) {
  response.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
  response.end(text);
}

const server = http.createServer((request, response) => {
  const declared = Number(request.headers['content-length'] ?? 0);
  const unsized = request.headers['content-length'] === undefined && request.headers['transfer-encoding'] !== undefined;
  if (declared > maxBodyBytes) return refuse(response, '上传内容超过 40 MB 的上限。单个文件不超过 30 MB，请拆分后分批上传。');
  if ((declared > maxAnonymousBodyBytes || unsized) && !sessionCookie.test(request.headers.cookie ?? '')) return refuse(response, '请先登录，再上传文件。');
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
