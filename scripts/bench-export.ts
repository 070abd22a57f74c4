/**
 * `npm run bench:export`: the teacher export as the job worker makes it, against a database loaded by `npm run seed:scale`.
 * For the ministry (the whole nation), a province and a county it prints the rows, the time to make the file, rows per
 * second, the app process's CPU time, the file's size, the process's peak memory while making it and while downloading it, and the time to read the
 * same rows with raw SQL (no workbook). Meanwhile the national dashboard's data is read in the same process every 50 ms
 * (as a page on the same node would) and its p95 is printed beside an unloaded run.
 * Usage: DATABASE_URL=… npm run bench:export -- [--scopes nation,province,county] [--subsets basic]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { ensureAuthSecret } from './runtime-env';

const { values } = parseArgs({ options: { scopes: { type: 'string', default: 'county,province,nation' }, subsets: { type: 'string', default: 'basic' } } });
ensureAuthSecret();

const [{ closeConnection, getConnection }, { closeJobQueue }, { loadSessionAccount }, { requestTeacherExport, runTeacherExport }, { getExportJob, openExportFile }, { getDashboard }] = await Promise.all([
  import('@/lib/db/client'),
  import('@/lib/db/job-queue'),
  import('@/lib/auth/queries'),
  import('@/lib/teacher-export/service'),
  import('@/lib/teacher-export/queries'),
  import('@/lib/statistics/queries'),
]);
const { parseStatFilters } = await import('@/lib/statistics/schemas');
const connection = await getConnection();
if (connection.kind !== 'postgres') throw new Error('set DATABASE_URL: measured on PostgreSQL');
await connection.migrate();
const { db } = connection;
const rows = <T>(result: unknown) => result as T[];

async function actorOf(username: string) {
  const [account] = rows<{ id: number }>(await db.execute(sql`select id from accounts where username = ${username}`));
  if (!account) throw new Error(`no account ${username}`);
  return (await loadSessionAccount(account.id, null))!.actor;
}
// The ministry, the province with most teachers, and that province's largest county.
const [province] = rows<{ code: string; path: string }>(await db.execute(sql`select u.code, u.path::text from units u where u.tier = 'province' order by (select count(*) from teachers t where t.unit_path <@ u.path) desc limit 1`));
const [county] = rows<{ code: string }>(await db.execute(sql`select u.code from units u where u.tier = 'county' and u.path <@ ${province.path}::ltree order by (select count(*) from teachers t where t.unit_path <@ u.path) desc limit 1`));
const scopes: Record<string, string> = { nation: '000000.manager', province: `${province.code}.manager`, county: `${county.code}.manager` };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ministry = await actorOf('000000.manager');
const official = parseStatFilters({});

/** Reads the national dashboard every 50 ms until stopped; answers the p95 in ms. */
function readDashboardMeanwhile() {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      await getDashboard(ministry, official);
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const sorted = times.sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
  };
}

/** Peak resident memory sampled every 100 ms. */
function sampleMemory() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round(bytes / 1024 / 1024)} MB`);

const unloaded = readDashboardMeanwhile();
await new Promise((resolve) => setTimeout(resolve, 5000));
const idle = await unloaded();
console.log(`national dashboard (data) unloaded: p50 ${idle.p50.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms (${idle.n} reads)`);
console.log(`baseline rss ${mb(process.memoryUsage().rss)}`);

for (const scope of values.scopes.split(',')) {
  const actor = await actorOf(scopes[scope]);
  const subsets = values.subsets.split(',');
  if (global.gc) global.gc();
  const { jobId } = await requestTeacherExport(actor, { filters: {}, subsets, official: false });
  const dashboard = readDashboardMeanwhile();
  const peakOf = sampleMemory();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await runTeacherExport(jobId);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peak = peakOf();
  const during = await dashboard();
  const job = await getExportJob(actor, jobId);
  if (job.status !== 'done') throw new Error(`${scope}: ${job.status} ${job.message}`);

  const downloadPeakOf = sampleMemory();
  const downloadStart = performance.now();
  const file = await openExportFile(actor, jobId);
  let received = 0;
  for await (const piece of file.pieces) received += piece.length;
  const downloadSeconds = (performance.now() - downloadStart) / 1000;
  const downloadPeak = downloadPeakOf();

  // The same rows read with raw SQL, no workbook: the floor under the export's time.
  const rawStart = performance.now();
  const [raw] = rows<{ n: number; bytes: number }>(
    await db.execute(sql`select count(*)::int as n, sum(length(t.record::text))::bigint as bytes from teachers t join units u on u.id = t.unit_id
      where t.unit_path <@ ${actor.unitPath}::ltree and (t.personnel_status is null or t.personnel_status not like '3%')`),
  );
  const rawSeconds = (performance.now() - rawStart) / 1000;
  console.log(
    `${scope} (${scopes[scope]}): ${job.rows!.toLocaleString()} rows in ${seconds.toFixed(1)} s = ${Math.round(job.rows! / seconds).toLocaleString()} rows/s (app CPU ${cpuSeconds.toFixed(1)} s); file ${mb(job.bytes!)};` +
      ` peak rss while making ${mb(peak)}; download ${mb(received)} in ${downloadSeconds.toFixed(1)} s, peak rss ${mb(downloadPeak)};` +
      ` dashboard meanwhile p50 ${during.p50.toFixed(1)} / p95 ${during.p95.toFixed(1)} ms (${during.n} reads); raw SQL over the same ${raw.n.toLocaleString()} rows: ${rawSeconds.toFixed(2)} s`,
  );
  await db.execute(sql`delete from export_jobs where id = ${jobId}::uuid`);
}
await closeJobQueue();
await closeConnection();
