/**
 * The server the e2e specs run against: a fresh database (the one in DATABASE_URL, or a new
 * temporary PGlite), the demo data, and the ministry sysadmin's password issued from the console,
 * as on a real first install. Then the production build is served.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeConnection, getConnection } from '@/lib/db/client';
import { seedDemoData } from '@/lib/demo/service';
import { initializeReferenceData, issuePasswordFromConsole } from '@/lib/setup/service';
import { ensureAuthSecret, serveBuiltApp } from '../scripts/runtime-env';

async function main() {
  ensureAuthSecret();
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
  serveBuiltApp(process.env.PORT ?? '3210');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
