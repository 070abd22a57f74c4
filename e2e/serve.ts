/**
 * The server the e2e specs run against: a fresh database (the one in DATABASE_URL, or a new
 * temporary PGlite), the demo data, and the ministry sysadmin's password issued from the console,
 * as on a real first install. Then the production build is served.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeConnection, getConnection } from '@/lib/db/client';
import { initializeReferenceData, issuePasswordFromConsole, seedDemoData } from '@/lib/db/seed';
import { ensureAuthSecret } from '../scripts/runtime-env';

async function main() {
  ensureAuthSecret();
  process.env.AUTH_TRUST_HOST = 'true';
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = mkdtempSync(path.join(os.tmpdir(), 'tmis-e2e-'));
  const connection = await getConnection();
  await connection.migrate();
  await initializeReferenceData(connection.db);
  await seedDemoData(connection.db);
  const centralPassword = await issuePasswordFromConsole(connection.db, '000000.admin');
  await closeConnection();
  const stateDir = path.join(process.cwd(), 'e2e', '.state');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(path.join(stateDir, 'central-admin.json'), JSON.stringify({ username: '000000.admin', password: centralPassword }));
  const child = spawn(path.join(process.cwd(), 'node_modules', '.bin', 'next'), ['start', '-p', process.env.PORT ?? '3210'], { stdio: 'inherit', env: process.env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
