/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite and the argon2 binding load files at run time; bundling them breaks that.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'exceljs'],
  poweredByHeader: false,
  experimental: {
    // School-list files of a whole province run to tens of megabytes.
    serverActions: { bodySizeLimit: '40mb' },
  },
};

export default nextConfig;
