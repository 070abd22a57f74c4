import proxyaddr from 'proxy-addr';

/**
 * The header our own HTTP front (scripts/serve.mjs) sets to the socket's address, after discarding
 * whatever a client sent under that name, with the process's token beside it. Without both the
 * address is unknown rather than guessed.
 */
export const peerAddressHeader = 'x-tmis-peer';
export const peerTokenHeader = 'x-tmis-peer-token';

let compiled: { source: string; trust: (address: string, index: number) => boolean } | null = null;

/** TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (or proxy-addr's loopback, linklocal, uniquelocal). */
function trustedProxies(): (address: string, index: number) => boolean {
  const source = process.env.TRUSTED_PROXIES ?? '';
  if (compiled?.source !== source) {
    const list = source.split(',').map((s) => s.trim()).filter(Boolean);
    compiled = { source, trust: proxyaddr.compile(list) };
  }
  return compiled.trust;
}

/**
 * The client's address: the socket's peer, or, when that peer is a configured proxy, the nearest
 * X-Forwarded-For entry that is not itself a trusted proxy. A header a client wrote is never taken
 * on its own word.
 */
export function clientIp(headers: Headers): string | null {
  const peer = headers.get(peerAddressHeader);
  const token = process.env.TMIS_PEER_TOKEN;
  if (!peer || !token || headers.get(peerTokenHeader) !== token) return null;
  const request = { headers: { 'x-forwarded-for': headers.get('x-forwarded-for') ?? undefined }, socket: { remoteAddress: peer } };
  try {
    return proxyaddr(request as never, trustedProxies());
  } catch {
    return peer;
  }
}
