import { closeConnection, getConnection } from '@/lib/db/client';

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
