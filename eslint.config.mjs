import js from '@eslint/js';
import drizzle from 'eslint-plugin-drizzle';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Only lib/db and lib/**/{queries,service}.ts may touch the database (house style).
const databaseImports = {
  patterns: [
    // Types of stored shapes are client-safe; only values (the client, the tables) are kept in.
    { group: ['@/lib/db', '@/lib/db/*', '!@/lib/db/like'], message: 'Only lib/db and lib/**/{queries,service}.ts touch the database.', allowTypeImports: true },
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
    rules: { '@typescript-eslint/no-restricted-imports': ['error', databaseImports] },
  },
  {
    // Shared UI takes its actions from lib/<domain>/actions.ts, never from a route.
    files: ['components/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...databaseImports.patterns, { group: ['@/app/*'], message: 'Components import no actions from app/: use lib/<domain>/actions.ts.' }] }] },
  },
  {
    // lib/db owns the client and the schema and knows no domain rule.
    files: ['lib/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@/lib/*', '!@/lib/db', '!@/lib/db/*', '../../*'], message: 'lib/db knows no domain: domains import it, never the reverse.' }] }] },
  },
);
