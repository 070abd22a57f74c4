/**
 * `npm run bench:approvals`: approvals per second through the review service with 1, 4, 16, 31 and 64 concurrent approvers
 * spread over the 31 provinces (four counties each), against a database loaded by `npm run seed:scale`. For each level it
 * prints approvals/s, p50 and p95, the whole machine's CPU time per approval (from /proc/stat: app, database and the fold),
 * the app process's own CPU (one Node process is one core at most), the p95 of the ministry's provincial bars read meanwhile,
 * and the approvers' wait events sampled every 100 ms from pg_stat_activity (lock waits name the statement that waited).
 * If the database has `fold_aggregate_deltas()` (migration 0021) it is called every 2 s meanwhile, with the vacuum, as the server does.
 * Usage: DATABASE_URL=… npm run bench:approvals -- [--seconds 10] [--levels 1,4,16,31,64] [--per-county 600] [--counties-per-province 4] [--fold-ms 2000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { ensureAuthSecret } from './runtime-env';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, levels: { type: 'string', default: '1,4,16,31,64' }, 'per-county': { type: 'string', default: '600' }, 'counties-per-province': { type: 'string', default: '4' }, 'fold-ms': { type: 'string', default: '2000' } } });
const seconds = Number(values.seconds);
const levels = values.levels.split(',').map(Number);
const perCounty = Number(values['per-county']);
const countiesPerProvince = Number(values['counties-per-province']);
const foldMs = Number(values['fold-ms']);
ensureAuthSecret();
// Every approver holds a connection, the sampler and the folder one each.
process.env.DATABASE_POOL_SIZE ??= String(Math.max(...levels) + 4);

const [{ closeConnection, getConnection }, { accounts }, { loadSessionAccount }, { approveRecords }, { applyRollupDeltas }] = await Promise.all([
  import('@/lib/db/client'),
  import('@/lib/db/schema'),
  import('@/lib/auth/queries'),
  import('@/lib/collection/review/service'),
  import('@/lib/units/service'),
]);
type Actor = NonNullable<Awaited<ReturnType<typeof loadSessionAccount>>>['actor'];

const { db, kind } = await getConnection();
if (kind !== 'postgres') throw new Error('set DATABASE_URL: concurrency is measured on PostgreSQL');
const rows = <T>(result: unknown) => result as T[];

/** Busy and total jiffies of the whole machine. */
function cpuJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - idle, total };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const canFold = rows<{ present: boolean }>(await db.execute(sql`select to_regproc('fold_aggregate_deltas') is not null as present`))[0].present;
// As the server does (foldAndVacuumAggregateDeltas); raw SQL, so that the script runs on a database before migration 0021 too.
const fold = async () => {
  if (!canFold) return;
  await db.execute(sql`select fold_aggregate_deltas()`);
  await db.execute(sql`vacuum (skip_locked) stat_count_deltas, unit_rollup_deltas`);
};

// Counties of every province (four each by default) with the most effective records that have no version yet; their records are put back to
// 'submitted' (with their progress totals), as bench.ts does for its single approval.
const counties = rows<{ id: number; code: string; province: string }>(
  await db.execute(sql`
    select c.id, c.code, p.code as province from units p
    cross join lateral (
      select c.id, c.code from units c
      where c.path <@ p.path and c.tier = 'county'
      order by (select count(*) from teachers t join units s on s.id = t.unit_id where s.parent_id = c.id and t.record_state = 'effective') desc, c.code
      limit ${countiesPerProvince}
    ) c
    where p.tier = 'province' order by c.code`),
);
console.log(`${counties.length} counties in ${new Set(counties.map((c) => c.province)).size} provinces; fold: ${canFold ? `fold_aggregate_deltas() and vacuum every ${foldMs} ms` : 'none (totals updated in place)'}`);

const nationalUnitId = rows<{ id: number }>(await db.execute(sql`select id from units where tier = 'central' order by id limit 1`))[0].id;
const queues = new Map<number, number[]>();
for (const county of counties) {
  const reopened = await db.transaction(async (tx) => {
    const list = rows<{ id: number; unit_path: string }>(
      await tx.execute(sql`
        update teachers set record_state = 'submitted', effective_version = 0
        where id in (select t.id from teachers t join units s on s.id = t.unit_id where s.parent_id = ${county.id} and t.record_state = 'effective'
          and not exists (select 1 from teacher_versions v where v.teacher_id = t.id) order by t.id limit ${perCounty})
        returning id, unit_path`),
    );
    await applyRollupDeltas(tx, list.map((row) => ({ path: row.unit_path, recordsSubmitted: 1, recordsEffective: -1 })));
    return list.map((row) => Number(row.id));
  });
  queues.set(county.id, reopened);
}
await fold();
await db.execute(sql`vacuum analyze teachers, unit_rollups, stat_counts`);
console.log(`reopened ${[...queues.values()].reduce((sum, q) => sum + q.length, 0)} records (${perCounty} per county at most)`);

const actors = new Map<number, Actor>();
for (const county of counties) {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, `${county.code}.manager`));
  actors.set(county.id, (await loadSessionAccount(account.id, null))!.actor);
}

console.log(`\n| approvers | approvals | approvals/s | p50 | p95 | CPU per approval | app process CPU | ministry's bars p95 meanwhile | approvers' wait events (share of samples) |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const level of levels) {
  await fold();
  const latencies: number[] = [];
  let failures = 0;
  let exhausted = 0;
  const waits = new Map<string, number>();
  let samples = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const active = rows<{ event: string | null; query: string }>(
        await db.execute(sql`
          select case when wait_event is null then 'CPU' else wait_event_type || ':' || wait_event end as event, left(regexp_replace(query, '\\s+', ' ', 'g'), 48) as query
          from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and state = 'active'
            and query not like '%fold_aggregate_deltas%'`),
      );
      for (const session of active) {
        const key = session.event?.startsWith('Lock:') ? `${session.event} (${session.query}…)` : session.event ?? 'CPU';
        waits.set(key, (waits.get(key) ?? 0) + 1);
        samples++;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  // A ministry user's bars (the provinces' totals), read every 100 ms while the approvals run: exact, and as fast?
  const reads: number[] = [];
  const reader = (async () => {
    const source = sql.raw(canFold ? 'stat_parts' : 'stat_counts');
    while (running) {
      const t = performance.now();
      await db.execute(sql`
        select u.id, coalesce(sum(s.n), 0)::int as n from units u
        left join ${source} s on s.unit_id = u.id and s.dim = 'total' and s.state = 'effective' and s.serving
        where u.parent_id = ${nationalUnitId} and u.kind <> 'institution' group by u.id`);
      reads.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const folder = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, foldMs));
      if (running) await fold();
    }
  })();
  const cpuBefore = cpuJiffies();
  const appBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: level }, async (_, worker) => {
      // Worker w approves for counties w, w + level, w + 2·level, …, moving on when one has no reported record left;
      // with more workers than counties, the extra ones share a county (its queue, not its records).
      const mine = counties.filter((_, i) => (level <= counties.length ? i % level === worker : i === worker % counties.length));
      while (performance.now() < deadline) {
        const county = mine.find((c) => queues.get(c.id)!.length > 0);
        if (!county) {
          exhausted++;
          return;
        }
        const id = queues.get(county.id)!.shift()!;
        const actor = actors.get(county.id)!;
        const t = performance.now();
        try {
          await approveRecords(actor, { teacherIds: [id], comment: '', sampled: [] });
          latencies.push(performance.now() - t);
        } catch (error) {
          failures++;
          if (failures <= 3) console.error(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuJiffies();
  const app = process.cpuUsage(appBefore);
  running = false;
  await Promise.all([sampler, folder, reader]);
  reads.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  // /proc/stat counts in USER_HZ (100 per second): busy jiffies × 10 ms.
  const cpuMs = ((cpuAfter.busy - cpuBefore.busy) * 10) / Math.max(1, latencies.length);
  const events = [...waits].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([event, n]) => `${event} ${((100 * n) / Math.max(1, samples)).toFixed(0)} %`).join('; ');
  const notes = [failures ? `${failures} failed` : '', exhausted ? `${exhausted} approvers ran out of records` : ''].filter(Boolean).join(', ');
  console.log(`| ${level} | ${latencies.length}${notes ? ` (${notes})` : ''} | ${(latencies.length / elapsed).toFixed(1)} | ${percentile(latencies, 50).toFixed(1)} ms | ${percentile(latencies, 95).toFixed(1)} ms | ${cpuMs.toFixed(1)} ms | ${((app.user + app.system) / 10 / (elapsed * 1000)).toFixed(0)} % of a core | ${percentile(reads, 95).toFixed(1)} ms (${reads.length} reads) | ${events} |`);
}
await fold();
await closeConnection();
