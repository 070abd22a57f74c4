/**
 * Times a credential sheet for many units on the job queue's worker: a county with N schools
 * (5,000 by default, the most one request may name), its sysadmin asks for all of them.
 * Beside it: argon2 alone for the same number of passwords, the floor of the job's cost.
 * Usage: DATABASE_URL=... npm run bench:credentials [-- --schools 5000 --county 330106]
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts, exportJobs, units } from '@/lib/db/schema';
import { loadSessionAccount } from '@/lib/auth/queries';
import { generateInitialPassword, hashPasswords } from '@/lib/auth/password';
import { requestCredentialSheet, runCredentialSheet, takeCredentialSheet } from '@/lib/accounts/credential-sheets/service';
import { closeJobQueue } from '@/lib/db/job-queue';
import { initializeNationalTree, insertUnitsWithDefaultAccounts, type NewUnit } from '@/lib/units/service';
import { ensureAuthSecret } from './runtime-env';

const { values } = parseArgs({ options: { schools: { type: 'string', default: '5000' }, county: { type: 'string', default: '330106' } } });
const schoolCount = Number(values.schools);

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');
  // The sheet is stored encrypted: the keys the app would use (.data/).
  ensureAuthSecret();
  const { db, migrate } = await getConnection();
  await migrate();
  await db.transaction((tx) => initializeNationalTree(tx));
  const [county] = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(eq(units.code, values.county!));
  const existing = await db.select({ id: units.id }).from(units).where(and(eq(units.parentId, county.id), eq(units.kind, 'school'), eq(units.status, 'active')));
  if (existing.length < schoolCount) {
    const batch: NewUnit[] = [];
    for (let seq = existing.length + 1; seq <= schoolCount; seq++) {
      batch.push({ code: `21${county.code.slice(0, 2)}9${String(seq).padStart(5, '0')}`, name: `${county.code}分发压测学校${seq}`, kind: 'school', tier: 'school', parentId: county.id, parentPath: county.path, divisionCode: county.code, schoolTypeCode: '211', stage: 'primary_secondary', ownership: 'public' });
    }
    await db.transaction((tx) => insertUnitsWithDefaultAccounts(tx, batch));
  }
  const schools = (await db.select({ id: units.id }).from(units).where(and(eq(units.parentId, county.id), eq(units.kind, 'school'), eq(units.status, 'active')))).slice(0, schoolCount);
  const [admin] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, `${county.code}.admin`));
  const actor = (await loadSessionAccount(admin.id, null))!.actor;

  let started = performance.now();
  await hashPasswords(Array.from({ length: schools.length }, generateInitialPassword));
  const argonSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const { jobId } = await requestCredentialSheet({ ...actor, ip: '127.0.0.1' }, { unitIds: schools.map((s) => s.id) });
  const requestMs = performance.now() - started;

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  loopDelay.enable();
  started = performance.now();
  await runCredentialSheet(jobId);
  const jobSeconds = (performance.now() - started) / 1000;
  loopDelay.disable();
  clearInterval(sampler);
  const [job] = await db.select({ status: exportJobs.status, rows: exportJobs.rows, bytes: exportJobs.bytes }).from(exportJobs).where(eq(exportJobs.id, jobId));

  started = performance.now();
  const { file } = await takeCredentialSheet(actor, jobId);
  const takeMs = performance.now() - started;
  const [{ issued }] = await db.select({ issued: sql<number>`count(*)::int` }).from(accounts).where(and(sql`${accounts.passwordIssuedAt} > now() - interval '1 hour'`, eq(accounts.mustChangePassword, true)));

  console.log(`credential sheet for ${schools.length} units (${county.code})`);
  console.log(`  request (check + queue): ${requestMs.toFixed(1)} ms`);
  console.log(`  worker: ${jobSeconds.toFixed(2)} s = ${((jobSeconds * 1000) / schools.length).toFixed(2)} ms per account; status ${job.status}, ${job.rows} rows, ${job.bytes} bytes; peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  console.log(`  event-loop delay while it ran: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
  console.log(`  download once: ${takeMs.toFixed(1)} ms, ${file.length} bytes; accounts issued within the hour: ${issued}`);
  console.log(`  beside it, argon2 alone for ${schools.length} passwords (8 at a time): ${argonSeconds.toFixed(2)} s`);
  await closeJobQueue();
  await closeConnection();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
