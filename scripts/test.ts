/**
 * `npm test`: every test against a fresh database. With DATABASE_URL a new database is created on
 * that server (and dropped afterwards); without it vitest uses in-memory PGlite and the e2e server a
 * temporary PGlite directory. Then the production build is made and Playwright runs against it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';

const bin = (name: string) => path.join(process.cwd(), 'node_modules', '.bin', name);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  console.log(`\n$ ${path.basename(command)} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  let testUrl: string | undefined;
  let databaseName: string | undefined;
  if (baseUrl) {
    databaseName = `tmis_test_${Date.now()}_${process.pid}`;
    testUrl = await createDatabase(baseUrl, databaseName);
    console.log(`test database: ${databaseName}`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...(testUrl ? { DATABASE_URL: testUrl } : {}) };
  let status = run(bin('vitest'), ['run'], env);
  if (status === 0) status = run(bin('next'), ['build'], env);
  if (status === 0) {
    // The e2e server seeds its own data; on PostgreSQL it gets a database of its own too.
    let e2eEnv = env;
    let e2eDatabase: string | undefined;
    if (baseUrl) {
      e2eDatabase = `${databaseName}_e2e`;
      e2eEnv = { ...env, DATABASE_URL: await createDatabase(baseUrl, e2eDatabase) };
    }
    status = run(bin('playwright'), ['test'], e2eEnv);
    if (e2eDatabase) await dropDatabase(baseUrl!, e2eDatabase);
  }
  if (databaseName) await dropDatabase(baseUrl!, databaseName);
  process.exit(status);
}

/** Creates a database on the server of `baseUrl` and answers its URL. */
async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(baseUrl: string, name: string) {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`).catch((error) => console.warn(`could not drop ${name}:`, error.message));
  await admin.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
