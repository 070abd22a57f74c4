/**
 * `npm run bench:audit -- --rows N`: loads N audit rows spread over the last 10 days into DATABASE_URL,
 * then times sealing them and verifying every seal, beside the raw SQL that reads the same rows.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { rowsOf } from '@/lib/db';
import { sealAuditDays, verifyAuditLog } from '@/lib/audit-integrity/service';
import { ensureAuthSecret } from './runtime-env';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const rows = Number(values.rows);
if (!process.env.DATABASE_URL) throw new Error('bench:audit needs DATABASE_URL (an empty database)');
ensureAuthSecret();

const connection = await getConnection();
await connection.migrate();
const db = connection.db;
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(2);

let start = performance.now();
await db.execute(sql`
  insert into audit_log (occurred_at, actor_account_id, actor_username, actor_unit_id, unit_path, action, target_type, target_id, detail, ip)
  select now() - interval '11 days' + (g * (interval '10 days' / ${rows})), 1000 + g % 5000, 'bench.' || (g % 5000), g % 3000, null,
    (array['auth.signin', 'record.approve', 'teacher.export', 'access.denied'])[1 + g % 4], 'teacher', (g % 1000000)::text,
    jsonb_build_object('name', '测试', 'rows', g % 100), '10.0.' || (g % 250) || '.' || (g % 200)
  from generate_series(1, ${rows}) g`);
console.log(`loaded ${rows.toLocaleString()} audit rows over 10 days in ${seconds(start)} s`);

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
