import { closeConnection, getConnection } from '@/lib/db/client';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

async function main() {
  const connection = await getConnection();
  await connection.migrate();
  console.log(`migrated (${connection.kind})`);
  await closeConnection();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
