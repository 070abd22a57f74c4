/**
 * Security headers (等保 2.0 三级, OWASP): one list for every response. The Content-Security-Policy
 * carries a per-request nonce that Next puts on its own scripts, so no inline script runs without it.
 * The other headers, the same on every response including static files, are in next.config.js.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV !== 'production'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS only means something over HTTPS (browsers ignore it on plain HTTP), as the TLS proxy reports it. */
export const strictTransportSecurity = 'max-age=31536000; includeSubDomains';
