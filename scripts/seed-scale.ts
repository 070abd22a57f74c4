/**
 * Loads a synthetic nation into DATABASE_URL: the real authority tree, schools in every county with
 * plausible types and ownership, universities under the provinces, and N teachers with valid, unique
 * ID numbers, records as the collection makes them (scripts/seed-scale-teachers.ts), transfers,
 * rotations and confirmed training. Bulk loading: one INSERT … SELECT per table and batch, on two
 * connections, with the secondary indexes built once at the end.
 * Usage: DATABASE_URL=… npm run seed:scale -- --teachers 1000000 [--versions off] [--trail off] [--training 0]
 */
import { performance } from 'node:perf_hooks';
import { sealLegacyIdNumbers } from '@/lib/teachers/id-numbers/service';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { units } from '@/lib/db/schema';
import { schoolTypes } from '@/lib/reference/school-types';
import { foldAggregateDeltas } from '@/lib/statistics/service';
import { initializeNationalTree, insertUnitsWithDefaultAccounts, rebuildRollups, type NewUnit } from '@/lib/units/service';
import { RuleBook } from '@/lib/training/conversion/queries';
import { exampleRules } from '@/lib/training/examples';
import { refreshStandings } from '@/lib/training/ledger/service';
import { loadTeacherBatch, restoreIndexes, setIndexesAside } from './seed-scale-teachers';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

const { values } = parseArgs({ options: { teachers: { type: 'string', default: '1000000' }, 'teachers-per-school': { type: 'string', default: '40' }, transfers: { type: 'string' }, rotations: { type: 'string' }, training: { type: 'string' }, chunk: { type: 'string', default: '50000' }, parallel: { type: 'string', default: '2' }, versions: { type: 'string', default: 'on' }, trail: { type: 'string', default: 'on' } } });
const target = Number(values.teachers);
const perSchool = Number(values['teachers-per-school']);
/** 50,000 transfers per million teachers by default, in every state. */
const transferTarget = values.transfers === undefined ? Math.round(target / 20) : Number(values.transfers);
/** 20,000 rotations per million teachers by default, in every state. */
const rotationTarget = values.rotations === undefined ? Math.round(target / 50) : Number(values.rotations);
/** Confirmed training entries: 5 per teacher on average by default (5 million for a million teachers). */
const trainingTarget = values.training === undefined ? target * 5 : Number(values.training);

/** 进本校年月: some year from 23 on, not before 1996 nor after this September (the rotation plan's eligibility). */
function joinSchoolDateSql(birthDate: string, key: ReturnType<typeof sql>) {
  return sql`to_char(least(greatest(${sql.raw(birthDate)} + interval '23 years', make_date(1996 + (abs(hashtext(${key} || 'j')) % 31)::int, 9, 1)), date '2026-09-01'), 'YYYY-MM')`;
}
/** 骨干教师: about one in eight at some level (01 national … 05 school), the rest 06 否. */
function keyTeacherLevelSql(key: ReturnType<typeof sql>) {
  return sql`case when abs(hashtext(${key} || 'k')) % 100 < 12 then lpad((1 + abs(hashtext(${key} || 'k')) % 5)::text, 2, '0') else '06' end`;
}

/** A county's schools, in the proportions of the national statistics (kindergartens and primaries dominate). */
const countyMix: { type: string; weight: number; privateShare: number }[] = [
  { type: '111', weight: 30, privateShare: 0.45 },
  { type: '211', weight: 30, privateShare: 0.05 },
  { type: '218', weight: 6, privateShare: 0 },
  { type: '311', weight: 14, privateShare: 0.1 },
  { type: '312', weight: 5, privateShare: 0.15 },
  { type: '341', weight: 4, privateShare: 0.1 },
  { type: '342', weight: 4, privateShare: 0.15 },
  { type: '365', weight: 4, privateShare: 0.2 },
  { type: '514', weight: 1, privateShare: 0 },
];

function pickType(i: number): { type: string; ownership: 'public' | 'private' } {
  const total = countyMix.reduce((sum, m) => sum + m.weight, 0);
  let slot = (i * 37) % total;
  for (const mix of countyMix) {
    if (slot < mix.weight) return { type: mix.type, ownership: (i * 7919) % 100 < mix.privateShare * 100 ? 'private' : 'public' };
    slot -= mix.weight;
  }
  return { type: '211', ownership: 'public' };
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');
  const started = performance.now();
  const { db, migrate } = await getConnection();
  await migrate();
  await db.transaction((tx) => initializeNationalTree(tx));
  // A load stopped part-way (in its batches or its index builds) left indexes aside: they are built again first.
  await restoreIndexes(db, console.log);
  const [{ existing }] = await db.execute(sql`select count(*)::int as existing from teachers where staff_number like 'SC%'`).then((r) => r as unknown as { existing: number }[]);
  if (existing >= target) {
    console.log(`already ${existing} scale teachers`);
    await seedScaleTransfers(db, transferTarget);
    await seedScaleRotations(db, rotationTarget);
    await seedScaleTraining(db, trainingTarget);
    await closeConnection();
    return;
  }
  // ID numbers are unique by construction for one school layout: load each size into its own database.
  if (existing > 0) throw new Error(`this database holds ${existing} scale teachers already; load ${target} into an empty database`);

  // Schools: about `perSchool` teachers each, spread over every county, plus 2 universities per province.
  const counties = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(sql`${units.tier} = 'county'`).orderBy(units.code);
  const provinces = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(sql`${units.tier} = 'province'`).orderBy(units.code);
  const [{ have }] = await db.execute(sql`select count(*)::int as have from units where name like '%规模学校%'`).then((r) => r as unknown as { have: number }[]);
  const wantSchools = Math.max(counties.length, Math.ceil(target / perSchool));
  if (have < wantSchools) {
    const t = performance.now();
    const batch: NewUnit[] = [];
    for (let i = have; i < wantSchools; i++) {
      const county = counties[i % counties.length];
      const { type, ownership } = pickType(i);
      const info = schoolTypes.get(type)!;
      batch.push({ code: `${type.slice(0, 2)}${county.code.slice(0, 2)}${String(800000 + i).padStart(7, '0')}`.slice(0, 16), name: `${county.code}规模学校${i}`, kind: 'school', tier: 'school', parentId: county.id, parentPath: county.path, divisionCode: county.code, schoolTypeCode: type, stage: info.stage, ownership });
    }
    for (const [i, province] of provinces.entries()) {
      for (const type of ['411', '412']) {
        batch.push({ code: `${type}${province.code.slice(0, 2)}9${String(i).padStart(4, '0')}`, name: `${province.code}规模学校高校${type}`, kind: 'school', tier: 'school', parentId: province.id, parentPath: province.path, divisionCode: province.code, schoolTypeCode: type, stage: 'higher_education', ownership: 'public' });
      }
    }
    for (let start = 0; start < batch.length; start += 10000) await db.transaction((tx) => insertUnitsWithDefaultAccounts(tx, batch.slice(start, start + 10000)));
    console.log(`schools: ${batch.length} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  await db.execute(sql`drop table if exists scale_schools`);
  await db.execute(sql`
    create unlogged table scale_schools as
    select u.id, u.path, u.name, u.stage, u.school_type_code, u.ownership::text as ownership, (string_to_array(u.path::text, '.'))[2]::int as province_id,
      coalesce(c.division_code, u.division_code) as region, row_number() over (order by u.id) - 1 as rn,
      row_number() over (partition by coalesce(c.division_code, u.division_code) order by u.id) - 1 as region_rank
    from units u left join units c on c.id = u.parent_id and c.tier = 'county'
    where u.name like '%规模学校%'`);
  const [{ schools }] = await db.execute(sql`select count(*)::int as schools from scale_schools`).then((r) => r as unknown as { schools: number }[]);
  // GB 11643 check character, computed in the database for bulk inserts.
  await db.execute(sql`
    create or replace function scale_id_check(first17 text) returns text language sql immutable as $$
      select substr('10X98765432', (sum(substr(first17, i, 1)::int * (array[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i]) % 11)::int + 1, 1)
      from generate_series(1, 17) i
    $$`);

  const t = performance.now();
  const setAside = await setIndexesAside(db);
  console.log(`set ${setAside} secondary indexes and unique constraints aside for the load`);
  const chunk = Number(values.chunk);
  const timings: Record<string, number> = {};
  // Batches go to `--parallel` connections (2 by default: one per core), each taking the next range.
  let next = existing;
  let loaded = existing;
  const loadBatches = async () => {
    while (next < target) {
      const from = next;
      const to = Math.min(target, from + chunk) - 1;
      next = to + 1;
      await db.transaction((tx) => loadTeacherBatch(tx, { from, to, schools, versions: values.versions !== 'off', trail: values.trail !== 'off', timings }));
      loaded += to - from + 1;
      console.log(`  teachers: ${loaded} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Number(values.parallel) }, loadBatches));
  console.log(`  steps (s, summed over the connections): ${Object.entries(timings).map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`).join(', ')}`);
  const indexing = performance.now();
  await restoreIndexes(db, console.log);
  console.log(`indexes built in ${((performance.now() - indexing) / 1000).toFixed(1)} s; teachers loaded and indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // Rows loaded raw by an older version of this script are encrypted as at a start.
  await sealLegacyIdNumbers(db);
  // The generated rows bypass the services: the subtree totals are recounted once.
  await db.transaction((tx) => rebuildRollups(tx));
  await db.execute(sql`drop table if exists scale_schools`);
  await db.execute(sql`drop function if exists scale_id_check(text)`);
  await seedScaleTransfers(db, transferTarget);
  await seedScaleRotations(db, rotationTarget);
  await seedScaleTraining(db, trainingTarget);
  // The trigger appended each batch's statistics deltas: folded once, as the server does every few seconds.
  const folding = performance.now();
  const folded = await foldAggregateDeltas(db);
  console.log(`folded ${folded} statistics deltas in ${((performance.now() - folding) / 1000).toFixed(1)} s`);
  // Each batch appended its own deltas (17 M at 1 M teachers): the emptied table is given back, the rest analysed.
  await db.execute(sql`vacuum full stat_count_deltas`);
  await db.execute(sql`vacuum analyze`);
  const [{ total }] = await db.execute(sql`select count(*)::int as total from teachers`).then((r) => r as unknown as { total: number }[]);
  console.log(`loaded: ${total} teachers in the database; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  await closeConnection();
}

/**
 * 教师调动 in every state over the scale teachers, one per teacher, in one INSERT … SELECT: mostly
 * between two counties, every seventh across provinces. A completed transfer names the teacher's
 * current school as the receiving one (the generated teacher is where the transfer left them).
 */
async function seedScaleTransfers(db: Awaited<ReturnType<typeof getConnection>>['db'], count: number) {
  const [{ have }] = await db.execute(sql`select count(*)::int as have from transfers where reason = '规模测试调动'`).then((r) => r as unknown as { have: number }[]);
  if (have >= count) return console.log(`already ${have} scale transfers`);
  const t = performance.now();
  // Fresh statistics first: right after a bulk load the planner would take a million teachers for a handful.
  await db.execute(sql`analyze teachers`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      create temp table scale_transfer_schools on commit drop as
      select u.id, u.path, u.name, u.parent_id, (string_to_array(u.path::text, '.'))[2]::int as province_id, row_number() over (order by u.id) - 1 as rn
      from units u where u.name like '%规模学校%' and u.stage <> 'higher_education'`);
    await tx.execute(sql`create index on scale_transfer_schools (rn)`);
    await tx.execute(sql`create index on scale_transfer_schools (id)`);
    await tx.execute(sql`analyze scale_transfer_schools`);
    await tx.execute(sql`
      insert into transfers (kind, state, teacher_id, teacher_name, teacher_id_masked, teacher_gender,
        sending_school_id, sending_school_path, sending_school_name, sending_authority_id, sending_province_id,
        receiving_school_id, receiving_school_path, receiving_school_name, receiving_authority_id, receiving_province_id,
        cross_province, reason, post_category, planned_arrival_month, leaving_month, arrival_month, waiting_unit_id, state_since, rejection_reason,
        filed_by, filed_by_name, filed_at, closed_at)
      select 'transfer', p.state::transfer_state, p.teacher_id, p.teacher_name, p.masked, p.gender,
        s.id, s.path, s.name, s.parent_id, s.province_id,
        r.id, r.path, r.name, r.parent_id, r.province_id,
        s.province_id <> r.province_id, '规模测试调动', '1', '2026-09',
        case when p.state in ('sending_agreed', 'sending_province', 'awaiting_file', 'completed') then '2026-08' end,
        case when p.state = 'completed' then '2026-09' end,
        case p.state when 'filed' then r.parent_id when 'receiving_province' then r.province_id when 'sent' then s.id when 'sending_agreed' then s.parent_id
          when 'sending_province' then s.province_id when 'awaiting_file' then r.id end,
        now() - make_interval(days => p.k % 25), case when p.state = 'rejected' then '规模测试：不同意' end,
        1, '规模测试', now() - make_interval(days => 30 + p.k % 300), case when p.state in ('completed', 'rejected', 'withdrawn') then now() - make_interval(days => p.k % 25) end
      from (
        select q.*, (array['filed', 'receiving_province', 'sent', 'sending_agreed', 'sending_province', 'awaiting_file', 'completed', 'rejected', 'withdrawn'])[1 + q.k % 9] as state
        from (
          select t.id as teacher_id, t.name as teacher_name, t.id_number_masked as masked, t.gender, ts.rn as home_rn, (row_number() over (order by t.id))::int as k
          from teachers t
          join scale_transfer_schools ts on ts.id = t.unit_id
          where t.record_state = 'effective' and t.id % 11 = 0
            and not exists (select 1 from transfers o where o.teacher_id = t.id)
        ) q
      ) p
      cross join lateral (select (select count(*) from scale_transfer_schools) as n, (select count(*) from units where tier = 'county') as counties) c
      -- The other school (schools are dealt to the counties in turn): every seventh across provinces, three in
      -- seven in a neighbouring county, the rest another school of the same county.
      join scale_transfer_schools o on o.rn = (p.home_rn + case when p.k % 7 = 0 then c.n / 2 when p.k % 7 <= 3 then 1 + p.k % 3 else c.counties * (1 + p.k % 3) end) % c.n
      join scale_transfer_schools home on home.rn = p.home_rn
      cross join lateral (select case when p.state = 'completed' then o.id else home.id end as sending_id, case when p.state = 'completed' then home.id else o.id end as receiving_id) ids
      join scale_transfer_schools s on s.id = ids.sending_id
      join scale_transfer_schools r on r.id = ids.receiving_id
      -- The relay states exist only across provinces.
      where (p.state not in ('receiving_province', 'sending_province') or s.province_id <> r.province_id)
      limit ${count - have}`);
  });
  const [{ now }] = await db.execute(sql`select count(*)::int as now from transfers`).then((r) => r as unknown as { now: number }[]);
  console.log(`transfers: ${now} in the database (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/**
 * 交流轮岗 (人走关系留) in every state over effective teachers of compulsory-education schools, one per
 * teacher, hosted by another school of the same county; those away are 205 at home. An older load
 * without 进本校年月 and 骨干教师 gets them first (one UPDATE), so the rotation plan has its figures.
 */
async function seedScaleRotations(db: Awaited<ReturnType<typeof getConnection>>['db'], count: number) {
  const [{ have }] = await db.execute(sql`select count(*)::int as have from rotations where reason = '规模测试交流'`).then((r) => r as unknown as { have: number }[]);
  if (have >= count) return console.log(`already ${have} scale rotations`);
  const t = performance.now();
  const backfilled = await db.execute(sql`
    update teachers set record = jsonb_set(record, '{basic}', (record->'basic') || jsonb_build_object('joinSchoolDate', ${joinSchoolDateSql('birth_date', sql`id`)}, 'keyTeacherLevel', ${keyTeacherLevelSql(sql`id`)}))
    where staff_number like 'SC%' and not (record->'basic' ? 'joinSchoolDate')`);
  console.log(`进本校年月 and 骨干教师 written on ${(backfilled as unknown as { count?: number }).count ?? '?'} older scale records`);
  const months = (offset: ReturnType<typeof sql>) => sql`to_char(date_trunc('month', now()) + make_interval(months => (${offset})::int), 'YYYY-MM')`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      create temp table scale_rotation_schools on commit drop as
      select u.id, u.path, u.name, u.parent_id, row_number() over (partition by u.parent_id order by u.id) - 1 as rn, count(*) over (partition by u.parent_id) as n
      from units u where u.name like '%规模学校%' and u.stage = 'primary_secondary'`);
    await tx.execute(sql`create index on scale_rotation_schools (parent_id, rn)`);
    await tx.execute(sql`create index on scale_rotation_schools (id)`);
    await tx.execute(sql`analyze scale_rotation_schools`);
    await tx.execute(sql`
      create temp table scale_rotation_rows on commit drop as
      select p.*, (array['filed', 'active', 'active', 'extending', 'ended', 'ended', 'rejected', 'withdrawn'])[1 + p.k % 8] as state
      from (
        select t.id as teacher_id, t.name, t.id_number_masked as masked, t.gender, t.record->'basic'->>'keyTeacherLevel' in ('01','02','03','04','05') as key_teacher,
          s.id as home_id, s.path as home_path, s.name as home_name, s.parent_id, s.rn, s.n, (row_number() over (order by t.id))::int as k
        from teachers t join scale_rotation_schools s on s.id = t.unit_id
        where t.record_state = 'effective' and t.personnel_status = '100' and t.id % 13 = 5 and t.school_type_code in ('211','218','219','311','312','319','341','345')
          and not exists (select 1 from transfers o where o.teacher_id = t.id and o.state not in ('completed', 'rejected', 'withdrawn'))
          and not exists (select 1 from rotations o where o.teacher_id = t.id)
        order by t.id limit ${count - have}
      ) p where p.n > 1`);
    await tx.execute(sql`
      insert into rotations (state, teacher_id, teacher_name, teacher_id_masked, teacher_gender, key_teacher, kind,
        home_school_id, home_school_path, home_school_name, home_authority_id, host_school_id, host_school_path, host_school_name,
        start_month, planned_end_month, requested_end_month, end_month, end_kind, reason, waiting_unit_id, state_since, rejection_reason, filed_by, filed_by_name, filed_at, closed_at)
      select r.state::rotation_state, r.teacher_id, r.name, coalesce(r.masked, ''), r.gender, r.key_teacher, lpad((1 + r.k % 4)::text, 2, '0'),
        r.home_id, r.home_path, r.home_name, r.parent_id, h.id, h.path, h.name,
        ${months(sql`-(r.k % 11)`)}, ${months(sql`-(r.k % 11) + 12 * (1 + r.k % 3)`)},
        case when r.state = 'extending' then ${months(sql`-(r.k % 11) + 12 * (2 + r.k % 3)`)} end,
        case when r.state = 'ended' then ${months(sql`0`)} end, case when r.state = 'ended' then 'returned' end,
        '规模测试交流', case when r.state in ('filed', 'extending') then r.parent_id end, now() - make_interval(days => r.k % 20),
        case when r.state = 'rejected' then '规模测试：不同意' end, 1, '规模测试', now() - make_interval(days => 20 + r.k % 200),
        case when r.state in ('ended', 'rejected', 'withdrawn') then now() - make_interval(days => r.k % 20) end
      from scale_rotation_rows r join scale_rotation_schools h on h.parent_id = r.parent_id and h.rn = (r.rn + 1) % r.n`);
    await tx.execute(sql`update teachers t set personnel_status = '205', record = jsonb_set(t.record, '{basic,personnelStatus}', '"205"') from scale_rotation_rows r where r.teacher_id = t.id and r.state in ('active', 'extending')`);
  });
  const [{ now }] = await db.execute(sql`select count(*)::int as now from rotations`).then((r) => r as unknown as { now: number }[]);
  console.log(`rotations: ${now} in the database (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/**
 * Confirmed training: 3 to 7 entries per scale teacher (their 培训研修 entry and its ledger row) over
 * the last six years, in every category and level, converted by the national default rule; 北京 and
 * 陕西 get their own rules; then each teacher's cycle standing is evaluated by the same code as a
 * confirmation (refreshStandings).
 */
async function seedScaleTraining(db: Awaited<ReturnType<typeof getConnection>>['db'], count: number) {
  const [{ have }] = await db.execute(sql`select count(*)::int as have from training_credits where project_id is null and filing_id is null`).then((r) => r as unknown as { have: number }[]);
  if (have >= count) return console.log(`already ${have} scale training entries`);
  const t = performance.now();
  for (const [code, rule] of [['110000', exampleRules.beijing], ['610000', exampleRules.shaanxi]] as const) {
    // Applied: the standings loaded below are computed under it.
    await db.execute(sql`insert into training_rules (scope_unit_id, version, effective_from, rule, note, created_by_name, applied_at)
      select u.id, 1, date '2021-01-01', ${JSON.stringify(rule)}::jsonb, '规模测试', '规模测试', now() from units u where u.code = ${code} on conflict do nothing`);
  }
  const [{ ruleId }] = await db.execute(sql`select r.id as "ruleId" from training_rules r join units u on u.id = r.scope_unit_id where u.code = '000000' order by r.version limit 1`).then((r) => r as unknown as { ruleId: number }[]);
  const [{ low, high }] = await db.execute(sql`select min(id)::int as low, max(id)::int as high from teachers where staff_number like 'SC%'`).then((r) => r as unknown as { low: number; high: number }[]);
  const step = 50_000;
  for (let from = low; from <= high; from += step) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into teacher_entries (teacher_id, subset, values, origin)
        select x.teacher_id, 'training', jsonb_build_object('year', extract(year from x.end_date)::text, 'category', case when x.form = '05' then '06' when x.form = '04' or x.level = '5' then '05' else '0' || x.level end,
            'project', '规模测试培训项目' || x.n, 'institution', '规模测试培训机构', 'mode', case when x.form in ('02', '03') then x.form else '01' end, 'form', x.form,
            'hours', x.hours::text, 'credits', trim(trailing '.' from trim(trailing '0' from to_char(x.credits / 100.0, 'FM999990.00'))), 'endDate', x.end_date::text), 'training'
        from (
          select t.id as teacher_id, n, lpad((1 + h % 6)::text, 2, '0') as form, (1 + (h / 7) % 5)::text as level, (array[8, 12, 16, 24, 30, 40, 60, 90])[1 + (h / 11) % 8] as hours,
            date '2021-01-10' + ((h / 13) % 2150)::int as end_date,
            round((array[8, 12, 16, 24, 30, 40, 60, 90])[1 + (h / 11) % 8] * 100.0 / case when h % 6 = 0 then 6 else 8 end)::int as credits
          from teachers t cross join lateral generate_series(1, 3 + t.id % 5) n cross join lateral (select abs(hashtext(t.id || ':' || n)) as h) hh
          where t.staff_number like 'SC%' and t.id >= ${from} and t.id < ${from + step}
        ) x`);
      await tx.execute(sql`
        insert into training_credits (entry_id, teacher_id, category, level, hours, credits, end_date, for_principals, rule_id, province_unit_id)
        select e.id, e.teacher_id, e.values->>'form', case e.values->>'category' when '05' then '5' when '06' then '5' else right(e.values->>'category', 1) end,
          (e.values->>'hours')::numeric, round((e.values->>'credits')::numeric * 100)::int, (e.values->>'endDate')::date, false, ${ruleId}, t.province_unit_id
        from teacher_entries e join teachers t on t.id = e.teacher_id
        where e.origin = 'training' and e.teacher_id >= ${from} and e.teacher_id < ${from + step} and e.values->>'institution' = '规模测试培训机构'`);
    });
    process.stdout.write(`\rtraining entries: teachers up to ${Math.min(from + step, high)} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  console.log('');
  const ids = (await db.execute(sql`select id from teachers where staff_number like 'SC%' order by id`).then((r) => r as unknown as { id: number }[])).map((row) => Number(row.id));
  const book = await RuleBook.load(db, (await db.execute(sql`select id from units where tier = 'province'`).then((r) => r as unknown as { id: number }[])).map((row) => Number(row.id)));
  for (let start = 0; start < ids.length; start += 2000) {
    await db.transaction((tx) => refreshStandings(tx, ids.slice(start, start + 2000), book));
    if (start % 100_000 === 0) process.stdout.write(`\rcycle standings: ${start.toLocaleString('en')} of ${ids.length.toLocaleString('en')}`);
  }
  const [{ now }] = await db.execute(sql`select count(*)::int as now from training_credits`).then((r) => r as unknown as { now: number }[]);
  console.log(`\ntraining: ${now.toLocaleString('en')} confirmed entries, ${ids.length.toLocaleString('en')} standings (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

main().catch(async (error) => {
  console.error(error);
  await closeConnection();
  process.exit(1);
});
