/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite and the argon2 binding load files at run time; bundling them breaks that.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'exceljs'],
  poweredByHeader: false,
  experimental: {
    // The upload limit is 30 MB per file (lib/spreadsheet/limits.ts); the request may carry a little more.
    serverActions: { bodySizeLimit: '40mb' },
    proxyClientMaxBodySize: '40mb',
  },
  async headers() {
    // Every response; the CSP with its per-request nonce is set in proxy.ts (lib/http/security-headers.ts).
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
