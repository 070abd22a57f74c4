/**
 * Loads 1,000,000 teachers (with their accounts) over a national tree of bench schools into
 * DATABASE_URL, times the teacher list at every tier, the collection progress pages and one approval,
 * then times a 10,000-row import.
 * Usage: DATABASE_URL=... npm run bench:teachers [-- --teachers 1000000 --schools 20000 --runs 40 --import-rows 10000]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measure } from './bench-timing';
import { timeTeacherImport } from './bench-teacher-import';
import { eq, sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { loadSessionAccount } from '@/lib/auth/queries';
import { listTeachers, type TeacherListFilters } from '@/lib/teachers/queries';
import { initializeNationalTree, insertUnitsWithDefaultAccounts, rebuildRollups, type NewUnit } from '@/lib/units/service';
import { getProgress, listReviewQueue } from '@/lib/collection/queries';
import { sealLegacyIdNumbers } from '@/lib/teachers/id-numbers/service';
import { approveRecords } from '@/lib/collection/review/service';
import { inboxCount } from '@/lib/inbox/queries';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

const { values } = parseArgs({
  options: {
    teachers: { type: 'string', default: '1000000' },
    schools: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '40' },
    'import-rows': { type: 'string', default: '10000' },
  },
});
const targetTeachers = Number(values.teachers);
const targetSchools = Number(values.schools);
const runs = Number(values.runs);
const importRows = Number(values['import-rows']);

async function time(label: string, fn: (i: number) => Promise<unknown>) {
  const t = await measure(runs, fn);
  console.log(`| ${label} | ${t.p50.toFixed(2)} ms | ${t.p95.toFixed(2)} ms | ${t.max.toFixed(2)} ms |`);
}

async function actor(username: string): Promise<Actor> {
  const { db } = await getConnection();
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username));
  return (await loadSessionAccount(account.id, null))!.actor;
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');
  const { db, migrate } = await getConnection();
  await migrate();
  await db.transaction((tx) => initializeNationalTree(tx));

  const [{ schools }] = await db.select({ schools: sql<number>`count(*)::int` }).from(units).where(sql`${units.name} like '%压测学校%'`);
  if (schools < targetSchools) {
    const started = performance.now();
    const counties = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(eq(units.tier, 'county')).orderBy(units.code);
    const batch: NewUnit[] = [];
    for (let i = schools; i < targetSchools; i++) {
      const county = counties[i % counties.length];
      batch.push({
        code: `21${county.code.slice(0, 2)}${String(700000 + i).padStart(6, '0')}`,
        name: `${county.code}压测学校${i}`,
        kind: 'school',
        tier: 'school',
        parentId: county.id,
        parentPath: county.path,
        divisionCode: county.code,
        schoolTypeCode: '211',
        stage: 'primary_secondary',
        ownership: 'public',
      });
    }
    for (let start = 0; start < batch.length; start += 10000) await db.transaction((tx) => insertUnitsWithDefaultAccounts(tx, batch.slice(start, start + 10000)));
    console.log(`loaded ${targetSchools - schools} bench schools in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const [{ loaded }] = await db.execute(sql`select count(*)::int as loaded from teachers where coalesce(id_number, id_number_masked) like 'B%'`).then((r) => r as unknown as { loaded: number }[]);
  if (loaded < targetTeachers) {
    const started = performance.now();
    await db.execute(sql`create temp table bench_schools as select id, path, (string_to_array(path::text, '.'))[2]::int as province_id, row_number() over (order by id) - 1 as rn from units where name like '%压测学校%'`);
    const chunk = 200_000;
    for (let from = loaded; from < targetTeachers; from += chunk) {
      const to = Math.min(targetTeachers, from + chunk) - 1;
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          insert into accounts (username, unit_id, role, display_name)
          select 'B' || lpad(g::text, 17, '0'), s.id, 'teacher', '压测教师'
          from generate_series(${from}::int, ${to}::int) g join bench_schools s on s.rn = g % ${targetSchools}`);
        await tx.execute(sql`
          insert into teachers (unit_id, unit_path, province_unit_id, stage, id_type, id_number, name, gender, birth_date, staff_number,
            on_establishment, post_category, personnel_status, record_state, complete, return_reason, record, account_id)
          select s.id, s.path, s.province_id, 'primary_secondary', '1', a.username,
            (array['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + g % 10] || (array['芳','伟','娜','敏','静','强','磊','洋','艳','勇','军','杰'])[1 + (g / 10) % 12] || case when g % 3 = 0 then '华' else '' end,
            case when g % 2 = 0 then '2' else '1' end, date '1962-01-01' + (g % 14000), 'S' || g, g % 10 <> 0, '1',
            case when g % 50 = 0 then '203' else '100' end, (array['draft','submitted','effective'])[1 + g % 3]::record_state,
            g % 3 <> 0 or g % 4 = 0, case when g % 3 = 0 and g % 7 = 0 then '压测退回' end, '{}'::jsonb, a.id
          from generate_series(${from}::int, ${to}::int) g
          join bench_schools s on s.rn = g % ${targetSchools}
          join accounts a on a.username = 'B' || lpad(g::text, 17, '0')`);
      });
      console.log(`  teachers up to ${to + 1}`);
    }
    console.log(`loaded ${targetTeachers - loaded} teachers with accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Loaded raw with clear numbers, as an older version would have left them: encrypted as at a start.
    const sealing = performance.now();
    const sealed = await sealLegacyIdNumbers(db);
    console.log(`encrypted ${sealed} ID numbers (hash, AES-256-GCM, mask, login names) in ${((performance.now() - sealing) / 1000).toFixed(1)} s`);
    // The sealing rewrote every row once: vacuum as autovacuum would, so the figures are the steady state.
    await db.execute(sql`vacuum analyze teachers`);
    await db.execute(sql`vacuum analyze accounts`);
    // The raw inserts above bypass the services; the subtree totals are recounted once.
    const rebuilt = performance.now();
    await db.transaction((tx) => rebuildRollups(tx));
    console.log(`recounted unit_rollups in ${((performance.now() - rebuilt) / 1000).toFixed(1)} s`);
  }
  const [{ total }] = await db.execute(sql`select count(*)::int as total from teachers`).then((r) => r as unknown as { total: number }[]);
  console.log(`teachers in the database: ${total}\n`);

  const [benchSchool] = await db.select({ code: units.code, path: units.path }).from(units).where(sql`${units.name} like '330106压测学校%'`).limit(1);
  const ministry = await actor('000000.manager');
  const province = await actor('330000.manager');
  const city = await actor('330100.manager');
  const county = await actor('330106.manager');
  const school = await actor(`${benchSchool.code}.manager`);
  const nationalFirst = await listTeachers(ministry, {});
  const list = (who: Actor, filters: TeacherListFilters) => () => listTeachers(who, filters);

  console.log('| teacher list query (50 rows + 1) | p50 | p95 | max |');
  console.log('|---|---|---|---|');
  await time('ministry, first page', list(ministry, {}));
  await time('ministry, page 2 (keyset)', list(ministry, { after: nationalFirst.rows.at(-1)!.id }));
  await time('ministry, women, effective records', list(ministry, { gender: '2', state: 'effective' }));
  await time('ministry, personnel status 长病假 (2%)', list(ministry, { personnelStatus: '203' }));
  await time('ministry, name prefix "王芳"', list(ministry, { q: '王芳' }));
  await time('ministry, exact ID number', (i) => listTeachers(ministry, { q: `B${String((i * 7919) % targetTeachers).padStart(17, '0')}` }));
  await time('ministry, exact staff number', (i) => listTeachers(ministry, { q: `S${(i * 104729) % targetTeachers}` }));
  await time('province (浙江), first page', list(province, {}));
  await time('province, state = submitted', list(province, { state: 'submitted' }));
  await time('province, name prefix "李"', list(province, { q: '李' }));
  await time('city (杭州), first page', list(city, {}));
  await time('county (西湖区), first page', list(county, {}));
  await time('county, women, draft', list(county, { gender: '2', state: 'draft' }));
  await time('school, first page', list(school, {}));

  // Collection progress (seed 六(四)): the figures come from unit_rollups, kept in step by every transition.
  const [counted] = await db.execute(sql`select count(*)::int as teachers, count(*) filter (where complete)::int as complete, count(*) filter (where record_state = 'submitted')::int as submitted, count(*) filter (where record_state = 'effective')::int as effective, count(*) filter (where record_state = 'draft' and return_reason is not null)::int as returned from teachers`).then((r) => r as unknown as Record<string, number>[]);
  const national = await getProgress(ministry, {});
  console.log(`\nministry progress total: ${JSON.stringify({ teachers: national.total.teachers, complete: national.total.complete, submitted: national.total.submitted, effective: national.total.effective, returned: national.total.returned })}`);
  console.log(`recount from teachers:   ${JSON.stringify(counted)}  rows on the ministry page: ${national.rows.length}\n`);
  console.log('| progress and inbox | p50 | p95 | max |');
  console.log('|---|---|---|---|');
  await time('ministry progress page data (31 provinces + central schools)', () => getProgress(ministry, {}));
  await time('ministry progress, sorted by effective %', () => getProgress(ministry, { sort: 'effective', dir: 'desc' }));
  await time('province (浙江) progress', () => getProgress(province, {}));
  await time('city (杭州) progress', () => getProgress(city, {}));
  await time('county (西湖区) progress (its schools)', () => getProgress(county, {}));
  await time('county manager inbox count (navigation)', () => inboxCount(county));
  await time('county review queue, first page', () => listReviewQueue(county, {}));
  const queue = await db.execute(sql`select t.id from teachers t join units u on u.id = t.unit_id where u.parent_id = ${county.unitId} and t.record_state = 'submitted' order by t.id limit ${runs + 1}`).then((r) => (r as unknown as { id: number }[]).map((row) => Number(row.id)));
  if (queue.length > runs) {
    let next = 0;
    await time('approve one record (transition + version + rollups of 5 tiers + audit)', () => approveRecords(county, { teacherIds: [queue[next++]], comment: '', sampled: [] }));
  }

  if (importRows > 0) {
    const importer = await actor(`${benchSchool.code}.manager`);
    const result = await timeTeacherImport(importer, importRows);
    console.log(`\nimport of ${importRows} teachers (${result.megabytes.toFixed(1)} MB xlsx): validation ${result.validateSeconds.toFixed(1)} s, import ${result.importSeconds.toFixed(1)} s (${result.status}), ${result.rowsPerSecond.toFixed(0)} rows/s end to end`);
  }
  await closeConnection();
}

main().catch(async (error) => {
  console.error(error);
  await closeConnection();
  process.exit(1);
});
