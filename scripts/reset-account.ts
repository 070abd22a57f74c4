/** Issues a fresh initial password to one account from the server console: `npm run account:reset -- <username>`. */
import { closeConnection, getConnection } from '@/lib/db/client';
import { issuePasswordFromConsole } from '@/lib/setup/service';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

async function main() {
  const username = process.argv[2];
  if (!username) throw new Error('usage: npm run account:reset -- <username>');
  const connection = await getConnection();
  await connection.migrate();
  const password = await issuePasswordFromConsole(connection.db, username);
  console.log(password);
  await closeConnection();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
