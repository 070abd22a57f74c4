import { closeConnection, getConnection } from '@/lib/db/client';
import { demoPassword, seedDemoData } from '@/lib/demo/service';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

async function main() {
  if (process.env.SEED_DEMO === 'false') {
    console.log('SEED_DEMO=false: demo data not written');
    return;
  }
  const connection = await getConnection();
  await connection.migrate();
  const accounts = await seedDemoData(connection.db);
  console.log(`demo data written; ${accounts.length} demo accounts, password ${demoPassword}`);
  for (const a of accounts) console.log(`  ${a.username}  ${a.tier} ${a.role}`);
  await closeConnection();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
