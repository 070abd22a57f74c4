/**
 * `npm run bench:audit -- --rows N [--skip-seal] [--skip-load: time a database loaded before]`: loads N audit rows spread over the last 10 days into DATABASE_URL
 * (over 31 provinces' subtrees, three kinds of object), times the audit page's list with each of its filters at the
 * ministry and a province beside the raw SQL for the same rows, then times sealing them and verifying every seal.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { rowsOf } from '@/lib/db';
import { sealAuditDays, verifyAuditLog } from '@/lib/audit-integrity/service';
import { listAuditLog, type AuditListFilters } from '@/lib/audit/queries';
import type { Actor } from '@/lib/auth/actor';
import { measure } from './bench-timing';
import { ensureAuthSecret } from './runtime-env';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'skip-seal': { type: 'boolean', default: false }, 'skip-load': { type: 'boolean', default: false } } });
const rows = Number(values.rows);
if (!process.env.DATABASE_URL) throw new Error('bench:audit needs DATABASE_URL (an empty database)');
ensureAuthSecret();

const connection = await getConnection();
await connection.migrate();
const db = connection.db;
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(2);

let start = performance.now();
if (!values['skip-load']) {
  // Provinces are '1.<2..32>', their counties '1.<p>.<100..399>'; a tenth of the rows (sign-ins of unknown names) have none.
  await db.execute(sql`
    insert into audit_log (occurred_at, actor_account_id, actor_username, actor_unit_id, unit_path, action, target_type, target_id, detail, ip)
    select now() - interval '11 days' + (g * (interval '10 days' / ${rows})), 1000 + g % 5000, 'bench.' || (g % 5000), g % 3000,
      case when g % 10 = 0 then null else ('1.' || (2 + g % 31) || '.' || (100 + g % 300))::ltree end,
      (array['auth.signin', 'record.approve', 'teacher.export', 'access.denied'])[1 + g % 4], (array['teacher', 'unit', 'account'])[1 + g % 3], (g % 1000000)::text,
      jsonb_build_object('name', '测试', 'rows', g % 100), '10.0.' || (g % 250) || '.' || (g % 200)
    from generate_series(1, ${rows}) g`);
  console.log(`loaded ${rows.toLocaleString()} audit rows over 10 days in ${seconds(start)} s`);
  await db.execute(sql`analyze audit_log`);
}
const [{ size }] = rowsOf<{ size: string }>(await db.execute(sql`select pg_size_pretty(pg_total_relation_size('audit_log')) as size`));
console.log(`audit_log with its indexes: ${size}`);

// Auditors as the page has them (only what the audit log's filters read of the actor).
const auditor = (unitPath: string, tier: 'central' | 'province'): Actor => ({ role: 'auditor', unitId: Number(unitPath.split('.').at(-1)), unitPath, unitTier: tier }) as unknown as Actor;
const ministry = auditor('1', 'central');
const province = auditor('1.7', 'province');
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
const cases: [string, Actor, AuditListFilters, ReturnType<typeof sql>][] = [
  ['ministry, newest first', ministry, {}, sql`true`],
  ['province, newest first', province, {}, sql`unit_path <@ '1.7'::ltree`],
  ['ministry, action record.approve', ministry, { action: 'record.approve' }, sql`action = 'record.approve'`],
  ['province, action record.approve', province, { action: 'record.approve' }, sql`unit_path <@ '1.7'::ltree and action = 'record.approve'`],
  ['ministry, username bench.42', ministry, { username: 'bench.42' }, sql`actor_username = 'bench.42'`],
  ['province, username bench.36', province, { username: 'bench.36' }, sql`unit_path <@ '1.7'::ltree and actor_username = 'bench.36'`],
  ['ministry, one day five days ago', ministry, { from: day(5), to: day(4) }, sql`occurred_at >= ${day(5).toISOString()} and occurred_at < ${day(4).toISOString()}`],
  ['province, one day five days ago', province, { from: day(5), to: day(4) }, sql`unit_path <@ '1.7'::ltree and occurred_at >= ${day(5).toISOString()} and occurred_at < ${day(4).toISOString()}`],
  ['ministry, one object (teacher 123)', ministry, { target: { type: 'teacher', id: '123' } }, sql`target_type = 'teacher' and target_id = '123'`],
  ['province, one object (teacher 123)', province, { target: { type: 'teacher', id: '123' } }, sql`unit_path <@ '1.7'::ltree and target_type = 'teacher' and target_id = '123'`],
];
console.log(`\n| audit page at ${rows.toLocaleString()} rows (first page of 50) | p50 | p95 | raw SQL p50 | raw SQL p95 |`);
console.log('|---|---|---|---|---|');
for (const [label, actor, filters, where] of cases) {
  const ours = await measure(30, () => listAuditLog(actor, filters));
  const raw = await measure(30, () => db.execute(sql`select id, occurred_at, actor_username, action, target_type, target_id, detail, ip from audit_log where ${where} order by id desc limit 51`));
  console.log(`| ${label} | ${ours.p50.toFixed(1)} ms | ${ours.p95.toFixed(1)} ms | ${raw.p50.toFixed(1)} ms | ${raw.p95.toFixed(1)} ms |`);
}
if (values['skip-seal']) {
  await closeConnection();
  process.exit(0);
}

start = performance.now();
const { sealed } = await sealAuditDays();
const sealSeconds = seconds(start);
console.log(`seal: ${sealed.length} days, ${sealSeconds} s (${Math.round(rows / Number(sealSeconds)).toLocaleString()} rows/s)`);

start = performance.now();
const result = await verifyAuditLog();
const verifySeconds = seconds(start);
console.log(`verify: ${result.days} days, ${result.rows.toLocaleString()} rows, ${result.problems.length} problems, ${verifySeconds} s`);

start = performance.now();
const raw = rowsOf<{ n: number }>(
  await db.execute(sql`select count(*)::int as n from (select json_build_array(id, occurred_at, actor_account_id, actor_username, actor_unit_id, unit_path::text, action, target_type, target_id, detail::text, ip)::text from audit_log order by id) t`),
);
console.log(`raw SQL reading the same rows in id order: ${seconds(start)} s (${raw[0].n.toLocaleString()} rows)`);
await closeConnection();
