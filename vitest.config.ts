import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(__dirname),
      // The real package throws outside React Server Components; services are plain server code here.
      'server-only': path.resolve(__dirname, 'tests/support/server-only.ts'),
    },
  },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/support/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Without DATABASE_URL every test file gets its own in-memory PGlite.
    env: {
      ...(process.env.DATABASE_URL ? {} : { PGLITE_DIR: 'memory://' }),
      // Sign-in slowdowns in milliseconds rather than seconds, and a seal key of the tests' own.
      SIGNIN_DELAY_BASE_MS: '20',
      AUDIT_SEAL_KEY: 'test-audit-seal-key-0123456789',
      DATA_INDEX_KEY: 'test-data-index-key-0123456789',
      DATA_ENCRYPTION_KEYS: `t2:${Buffer.alloc(32, 2).toString('base64')},t1:${Buffer.alloc(32, 1).toString('base64')}`,
    },
  },
});
