import js from '@eslint/js';
import drizzle from 'eslint-plugin-drizzle';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Only lib/db and lib/**/{queries,service}.ts may touch the database (house style).
const databaseImports = {
  patterns: [
    { group: ['@/lib/db', '@/lib/db/*', '!@/lib/db/like', '!@/lib/db/schema'], message: 'Only lib/db and lib/**/{queries,service}.ts touch the database.' },
  ],
};

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'drizzle/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle, 'react-hooks': reactHooks },
    rules: {
      // An UPDATE or DELETE without a WHERE clause is never intended here.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'executor'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'executor'] }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    ignores: ['lib/db/**', 'lib/**/queries.ts', 'lib/**/service.ts'],
    rules: { 'no-restricted-imports': ['error', databaseImports] },
  },
);
