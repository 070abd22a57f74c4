/**
 * The bulk part of `seed:scale`: teachers with records as the collection makes them (a full 基本信息 and
 * entries in 学习经历, 工作经历, 岗位聘任, 专业技术职务聘任, 年度考核 and 教师资格), their accounts, the
 * first effective version of every effective record, the review timeline and the audit trail, loaded
 * one INSERT … SELECT per table and batch with the secondary indexes set aside until the end.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '@/lib/db/client';
import { rowsOf } from '@/lib/db';
import { storeIdNumber, teacherLoginName } from '@/lib/teachers/identity';
import { femaleGivenNames, maleGivenNames, surnames } from '@/lib/demo/names';

/** A text[] literal of fixed, quote-free names. */
const sqlArray = (items: readonly string[]) => sql.raw(`array[${items.map((item) => `'${item}'`).join(',')}]`);

const universities = ['北京师范大学', '华东师范大学', '东北师范大学', '华中师范大学', '陕西师范大学', '西南大学', '南京师范大学', '首都师范大学', '湖南师范大学', '浙江师范大学', '福建师范大学', '山东师范大学', '河南大学', '四川师范大学', '广西师范大学', '江西师范大学', '安徽师范大学', '云南师范大学', '天津师范大学', '河北师范大学'];
const majors = ['汉语言文学', '数学与应用数学', '英语', '物理学', '化学', '生物科学', '历史学', '地理科学', '思想政治教育', '音乐学', '美术学', '体育教育', '学前教育', '小学教育', '计算机科学与技术', '特殊教育'];
const places = ['河北保定', '山东菏泽', '河南周口', '四川南充', '湖南邵阳', '江苏盐城', '安徽阜阳', '湖北黄冈', '广东湛江', '浙江金华', '江西赣州', '广西玉林'];

/** Tables whose secondary indexes and unique constraints are dropped for the load and built again after it. */
const bulkTables = ['teachers', 'accounts', 'teacher_entries', 'teacher_versions', 'record_reviews', 'audit_log'];

/**
 * Sets the secondary indexes and unique constraints of the bulk tables aside (their definitions are kept
 * in `scale_set_aside`, so an interrupted load restores them on the next run): one index build after
 * the load costs a fraction of keeping 20 indexes in step row by row.
 */
export async function setIndexesAside(db: Database): Promise<number> {
  await db.execute(sql`create table if not exists scale_set_aside (name text primary key, tbl text not null, restore text not null)`);
  const tables = sql.raw(bulkTables.map((t) => `'${t}'`).join(','));
  await db.execute(sql`
    insert into scale_set_aside (name, tbl, restore)
    select c.conname, r.relname, format('alter table %I add constraint %I %s', r.relname, c.conname, pg_get_constraintdef(c.oid))
    from pg_constraint c join pg_class r on r.oid = c.conrelid
    where r.relname in (${tables}) and r.relnamespace = 'public'::regnamespace and c.contype = 'u'
    union all
    select i.relname, r.relname, pg_get_indexdef(i.oid)
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class r on r.oid = x.indrelid
    where r.relname in (${tables}) and r.relnamespace = 'public'::regnamespace and not x.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)
    on conflict (name) do nothing`);
  const aside = rowsOf<{ name: string; tbl: string; restore: string }>(await db.execute(sql`select name, tbl, restore from scale_set_aside`));
  for (const row of aside) {
    if (row.restore.startsWith('alter table')) await db.execute(sql.raw(`alter table ${row.tbl} drop constraint if exists ${row.name}`));
    else await db.execute(sql.raw(`drop index if exists ${row.name}`));
  }
  return aside.length;
}

/** Builds what `setIndexesAside` dropped, one index per transaction, with the memory and workers a one-off build may take. */
export async function restoreIndexes(db: Database, log: (line: string) => void): Promise<void> {
  const [{ pending }] = rowsOf<{ pending: boolean }>(await db.execute(sql`select to_regclass('scale_set_aside') is not null as pending`));
  if (!pending) return;
  const aside = rowsOf<{ name: string; restore: string }>(await db.execute(sql`select a.name, a.restore from scale_set_aside a order by a.tbl, a.name`));
  for (const row of aside) {
    const started = performance.now();
    // SET LOCAL: the settings apply to the connection that builds, whichever of the pool it is.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '2GB'`);
      await tx.execute(sql`set local max_parallel_maintenance_workers = 2`);
      await tx.execute(sql.raw(row.restore));
      await tx.execute(sql`delete from scale_set_aside where name = ${row.name}`);
    });
    log(`  index ${row.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await db.execute(sql`drop table if exists scale_set_aside`);
}

export interface BatchOptions {
  from: number;
  to: number;
  schools: number;
  /** Write the first effective version (snapshot and diff) of every effective record. */
  versions: boolean;
  /** Write the review timeline and the audit trail (报送, 审核通过, 退回) of every record. */
  trail: boolean;
  /** Seconds per step, summed over the batches. */
  timings: Record<string, number>;
}

async function timed(timings: Record<string, number>, step: string, work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await work();
  timings[step] = (timings[step] ?? 0) + (performance.now() - started) / 1000;
}

/**
 * One batch of teachers g = from … to, in one transaction. Foreign keys and the statistics trigger are
 * off for the transaction (`session_replication_role`): every reference is built valid, and the
 * statistics deltas of the batch are appended by the same SQL the trigger runs.
 */
export async function loadTeacherBatch(tx: Transaction, options: BatchOptions): Promise<void> {
  const { from, to, schools } = options;
  const started = performance.now();
  await tx.execute(sql`set local session_replication_role = replica`);
  // Sorts and aggregates of a whole batch stay in memory; caching per jsonb value (memoize) only costs here.
  await tx.execute(sql`set local work_mem = '512MB'`);
  await tx.execute(sql`set local enable_memoize = off`);
  // Compiling a batch's statements (0.65 s for the statistics of 20,000 teachers) costs more than it saves.
  await tx.execute(sql`set local jit = off`);
  // g: teacher number; its school is g mod schools and its number there k = g / schools. The birth date
  // is distinct for each k within a school, and the sequence is the school's rank in its region, so
  // region + birth date + sequence (+ the check character) is unique by construction.
  await tx.execute(sql`
    create temp table scale_batch on commit drop as
    select g, nextval(pg_get_serial_sequence('teachers', 'id'))::int as teacher_id, nextval(pg_get_serial_sequence('accounts', 'id'))::int as account_id,
      s.id as unit_id, s.rn, s.path, s.name as school_name, s.stage, s.school_type_code, s.ownership, s.province_id, s.region,
      case when abs(hashtext(g || 'g')) % 100 < (case s.stage when 'kindergarten' then 97 when 'higher_education' then 52 when 'secondary_vocational' then 55 else 72 end) then '2' else '1' end as gender,
      date '1964-01-01' + (((g / ${schools}) * 7919 + s.rn * 31) % 14600)::int as birth_date,
      s.region_rank as seq,
      abs(hashtext(g || 'e')) % 100 as e, abs(hashtext(g || 't')) % 100 as t, abs(hashtext(g || 'n')) % 1000 as n,
      abs(hashtext(g || 's')) % 1000 as st, abs(hashtext(g || 'w')) % 100 as w, abs(hashtext(g || 'r')) % 1000 as r, (hashtext(g || 'x') & 2147483647) as h
    from generate_series(${from}::int, ${to}::int) g
    join scale_schools s on s.rn = g % ${schools}`);
  await tx.execute(sql`
    create temp table scale_ids on commit drop as
    select b.*, first17 || scale_id_check(first17) as id_number,
      -- The name agrees with the gender.
      (${sqlArray(surnames)})[1 + b.g % ${surnames.length}] ||
        case when b.gender = '2' then (${sqlArray(femaleGivenNames)})[1 + (b.g / ${surnames.length}) % ${femaleGivenNames.length}]
          else (${sqlArray(maleGivenNames)})[1 + (b.g / ${surnames.length}) % ${maleGivenNames.length}] end as name,
      case b.stage
        when 'higher_education' then case when b.e < 30 then '11' when b.e < 75 then '14' else '21' end
        when 'kindergarten' then case when b.e < 35 then '21' when b.e < 90 then '31' else '40' end
        else case when b.e < 3 then '14' when b.e < 78 then '21' when b.e < 97 then '31' else '40' end end as education,
      case when b.t < 3 then '01' when b.t < 22 then '02' when b.t < 52 then '03' when b.t < 77 then '04' when b.t < 82 then '05' when b.t < 90 then '06' else null end as title,
      case when b.st < 935 then '100' when b.st < 955 then '204' when b.st < 965 then '203' when b.st < 973 then '205' when b.st < 980 then '209' when b.st < 992 then '301' when b.st < 995 then '307' when b.st < 998 then '305' else '306' end as status,
      case when b.n < 905 then '01' else (array['02','03','04','05','06','07','08','09','10','11','12','15','17','19','23','24','26','28','30','33'])[1 + b.n % 20] end as ethnic,
      (case when b.r < 800 then 'effective' when b.r < 880 then 'submitted' else 'draft' end)::record_state as state,
      -- 进本校: the September from 23 on (not before 1996), after 参加工作 and not after this September.
      w.work_start, greatest(w.work_start + interval '1 month', least(greatest(b.birth_date + interval '23 years', make_date(1996 + (b.h % 31)::int, 9, 1)), date '2026-09-01'))::date as join_school,
      now() - make_interval(days => 20 + (b.h % 200)::int, secs => (b.h % 86400)::int) as reported_at
    from scale_batch b,
    lateral (select b.region || to_char(b.birth_date, 'YYYYMMDD') || lpad((b.seq * 2 + (case when b.gender = '1' then 1 else 0 end))::text, 3, '0') as first17) f,
    -- 参加工作: in the August after turning 21 to 24, and not after this year's.
    lateral (select least(make_date(extract(year from b.birth_date)::int + 21 + (b.h % 4)::int, 8, 1), date '2026-08-01') as work_start) w`);
  await tx.execute(sql`analyze scale_ids`);
  // The ID numbers are sealed here, as the services store them: keyed hash, ciphertext, mask, login name.
  const clear = rowsOf<{ g: number; id_number: string }>(await tx.execute(sql`select g, id_number from scale_ids`));
  const sealed = JSON.stringify(clear.map((row) => {
    const stored = storeIdNumber(row.id_number);
    return { g: row.g, login: teacherLoginName(row.id_number), hash: stored.idNumberHash, enc: stored.idNumberEnc, masked: stored.idNumberMasked };
  }));
  await tx.execute(sql`
    create temp table scale_sealed on commit drop as
    select * from jsonb_to_recordset(${sealed}::jsonb) as v(g int, login text, hash text, enc text, masked text)`);
  await tx.execute(sql`
    insert into accounts (id, username, unit_id, role, display_name)
    select b.account_id, s.login, b.unit_id, 'teacher', b.name from scale_ids b join scale_sealed s using (g)`);
  const month = (value: string) => sql.raw(`to_char(${value}, 'YYYY-MM')`);
  await tx.execute(sql`
    insert into teachers (id, unit_id, unit_path, province_unit_id, stage, id_type, id_number_hash, id_number_enc, id_number_masked, name, gender, birth_date, staff_number, on_establishment,
      post_category, personnel_status, highest_education, highest_degree, ethnic_group, title_level, school_type_code, ownership, record_state, complete, return_reason, returned_at,
      submitted_at, effective_version, record, account_id, created_at, updated_at)
    select b.teacher_id, b.unit_id, b.path, b.province_id, b.stage, '1', s.hash, s.enc, s.masked, b.name, b.gender, b.birth_date, 'SC' || b.g, b.w < 86, '1',
      b.status, b.education, ${degreeOf('b.education')}, b.ethnic, b.title, b.school_type_code, b.ownership, b.state,
      b.r < 960, case when b.r >= 960 and b.r < 980 then '规模测试：请补充学习经历' end, case when b.r >= 960 and b.r < 980 then b.reported_at + interval '2 days' end,
      case when b.state <> 'draft' then b.reported_at end, case when b.state = 'effective' and ${options.versions}::boolean then 1 else 0 end,
      jsonb_build_object('basic', jsonb_strip_nulls(jsonb_build_object(
        'name', b.name, 'idType', '1', 'idNumber', s.masked, 'gender', b.gender, 'birthDate', b.birth_date::text, 'nationality', '156',
        'nativePlace', (${sqlArray(places)})[1 + b.h % ${places.length}], 'ethnicGroup', b.ethnic,
        'politicalStatus', case when b.h % 10 < 4 then '["01"]'::jsonb when b.h % 10 < 5 then '["03"]'::jsonb else '["13"]'::jsonb end,
        'maritalStatus', case when b.birth_date < date '1996-01-01' then '20' else '10' end, 'healthStatus', '1',
        'highestEducation', b.education, 'highestDegree', ${degreeOf('b.education')}, 'staffNumber', 'SC' || b.g,
        'workStartDate', ${month('b.work_start')}, 'joinSchoolDate', ${month('b.join_school')},
        'staffSource', case when b.join_school = b.work_start + interval '1 month' then '02' when b.h % 5 = 0 then '08' else '01' end,
        'staffCategory', case when b.w < 92 then '01' else '02' end, 'onEstablishment', case when b.w < 86 then '1' else '0' end,
        'contractStatus', case when b.w < 86 then '02' else '03' end, 'employmentForm', case when b.w >= 86 then case when b.h % 2 = 0 then '01' else '02' end end,
        'contractOneYearOrMore', case when b.w >= 86 then '1' end, 'postCategory', '1', 'personnelStatus', b.status,
        'teacherTrainingGraduate', case when b.h % 3 = 0 then '0' else '1' end,
        'keyTeacherLevel', case when b.h % 100 < 12 then lpad((1 + (b.h / 100) % 5)::text, 2, '0') else '06' end,
        'itAbility', lpad((1 + (b.h / 7) % 4)::text, 2, '0'))),
        'contact', jsonb_build_object('mobile', '1' || (array['3','5','8','9'])[1 + b.h % 4] || lpad((b.g % 1000000000)::text, 9, '0'),
          'address', (${sqlArray(places)})[1 + (b.h / 13) % ${places.length}] || '市教育路' || (1 + b.h % 300) || '号')),
      b.account_id, b.reported_at - interval '30 days', b.reported_at
    from scale_ids b join scale_sealed s using (g)`);
  options.timings.teachers = (options.timings.teachers ?? 0) + (performance.now() - started) / 1000;
  // The statistics trigger is off for this transaction: the batch's deltas are appended by its own SQL.
  await timed(options.timings, 'statistics', () => appendBatchStatistics(tx));
  await timed(options.timings, 'entries', () => insertEntries(tx));
  if (options.versions) await timed(options.timings, 'versions', () => insertFirstVersions(tx));
  if (options.trail) await timed(options.timings, 'trail', () => insertTrail(tx));
}

/** 最高学位层次 that goes with 最高学历: 博士 with a doctorate, 硕士 with a master's, mostly 学士 with a bachelor's. */
function degreeOf(education: string): SQL {
  return sql.raw(`case ${education} when '11' then '2' when '14' then '3' when '21' then '4' else '0' end`);
}

/** The batch's own teachers (ids drawn by both connections interleave, so a range would take the other batch's too). */
async function appendBatchStatistics(tx: Transaction): Promise<void> {
  await tx.execute(sql.raw(`do $do$ begin execute stat_counts_add_sql('select 1 as sign, t.* from teachers t join scale_batch b on b.teacher_id = t.id'); end $do$`));
}

/** The list subsets of each record, their values as the forms store them (codes, YYYY-MM months, ISO dates). */
async function insertEntries(tx: Transaction): Promise<void> {
  // Into a temporary table first (ids drawn from the sequence), which the versions then read without an index.
  await tx.execute(sql`
    create temp table scale_entries on commit drop as
    select nextval(pg_get_serial_sequence('teacher_entries', 'id'))::int as id, b.teacher_id, x.subset, x.values, b.reported_at - interval '30 days' as created_at
    from scale_ids b
    cross join lateral (
      -- 学习经历: the highest, and for one in three an earlier 专科 or 本科 before it.
      select 'education' as subset, jsonb_build_object('educationLevel', b.education, 'country', '156',
          'institution', (${sqlArray(universities)})[1 + b.h % ${universities.length}], 'major', (${sqlArray(majors)})[1 + (b.h / 3) % ${majors.length}],
          'teacherTrainingMajor', case when b.h % 3 = 0 then '0' else '1' end,
          'entryMonth', to_char(b.work_start - interval '4 years' + interval '1 month', 'YYYY-MM'), 'graduationMonth', to_char(b.work_start - interval '2 months', 'YYYY-MM'),
          'degreeLevel', ${degreeOf('b.education')}, 'degreeName', case b.education when '11' then '教育学博士' when '14' then '教育学硕士' when '21' then '文学学士' else '' end,
          'degreeInstitution', (${sqlArray(universities)})[1 + b.h % ${universities.length}], 'degreeMonth', to_char(b.work_start - interval '2 months', 'YYYY-MM'), 'studyMode', '01') as values
      union all
      select 'education', jsonb_build_object('educationLevel', '31', 'country', '156', 'institution', (${sqlArray(universities)})[1 + (b.h / 5) % ${universities.length}],
          'major', (${sqlArray(majors)})[1 + (b.h / 3) % ${majors.length}], 'teacherTrainingMajor', '1',
          'entryMonth', to_char(b.work_start - interval '7 years' + interval '1 month', 'YYYY-MM'), 'graduationMonth', to_char(b.work_start - interval '4 years' - interval '2 months', 'YYYY-MM'),
          'degreeLevel', '0', 'studyMode', '01')
      where b.h % 3 = 1 and b.education in ('11', '14', '21')
      union all
      -- 工作经历: an earlier school for those who came later to this one, then this school.
      select 'work', jsonb_build_object('unitName', b.region || '县第' || (1 + b.h % 9) || '中心小学', 'startMonth', to_char(b.work_start, 'YYYY-MM'),
          'endMonth', to_char(b.join_school - interval '1 month', 'YYYY-MM'), 'unitType', '01', 'post', '教师')
      where b.join_school > b.work_start + interval '1 year'
      union all
      select 'work', jsonb_build_object('unitName', b.school_name, 'startMonth', to_char(b.join_school, 'YYYY-MM'), 'unitType', case b.stage when 'kindergarten' then '02' when 'higher_education' then '05' when 'secondary_vocational' then '03' when 'special' then '04' else '01' end, 'post', '教师')
      union all
      -- 岗位聘任 and 专业技术职务聘任: the grade follows the title.
      select 'post', jsonb_build_object('postCategory', '1', 'postGrade', case b.title when '01' then '02' when '02' then '05' when '03' then '08' when '04' then '11' when '05' then '13' else '21' end,
          'concurrentPost', '0', 'leadershipPost', case when b.h % 40 = 0 then '01' when b.h % 40 < 3 then '03' when b.h % 40 < 6 then '05' else '06' end,
          'startMonth', to_char(greatest(b.join_school, date '2015-09-01'), 'YYYY-MM'))
      union all
      select 'title', jsonb_build_object('title', b.title, 'appointingUnit', b.school_name, 'startMonth', to_char(least(greatest(b.join_school, b.work_start + interval '5 years'), date '2026-09-01'), 'YYYY-MM'))
      where b.title is not null
      union all
      -- 年度考核: the last two years.
      select 'assessment', jsonb_build_object('year', y::text, 'result', case when (b.h % 1000 + y) % 10 < 2 then '01' when (b.h % 1000 + y) % 100 < 99 then '02' else '03' end, 'assessingUnit', b.school_name)
      from unnest(array[2024, 2025]) y where make_date(y, 12, 31) > b.work_start
      union all
      -- 教师资格 for the stage taught.
      select 'qualification', jsonb_build_object('certificateType', case b.stage when 'kindergarten' then '01' when 'higher_education' then '07' when 'secondary_vocational' then '05' else case when b.school_type_code like '2%' then '02' when b.school_type_code in ('342', '345') then '04' else '03' end end,
          'certificateNumber', extract(year from b.work_start)::int || b.region || lpad((b.h % 1000000)::text, 6, '0'), 'subject', (${sqlArray(majors)})[1 + (b.h / 3) % ${majors.length}],
          'issueDate', (b.work_start - interval '3 months')::date::text, 'issuingAuthority', b.region || '教育局', 'firstRegistration', '01')
    ) x
    order by b.teacher_id`);
  await tx.execute(sql`
    insert into teacher_entries (id, teacher_id, subset, values, created_at, updated_at)
    select id, teacher_id, subset, values, created_at, created_at from scale_entries order by id`);
  await tx.execute(sql`analyze scale_entries`);
}

/**
 * Version 1 of each effective record as an approval freezes it (`createNextVersionsInBulk`): the record
 * with its entries in id order, and the diff against nothing, every field new, in the order that
 * function writes it.
 */
async function insertFirstVersions(tx: Transaction): Promise<void> {
  await tx.execute(sql`
    with snap as (
      select t.id as teacher_id, t.updated_at, jsonb_build_object('record', t.record, 'entries', coalesce(listed.entries, '{}'::jsonb)) as snapshot
      from scale_ids b join teachers t on t.id = b.teacher_id
      left join (
        select teacher_id, jsonb_object_agg(subset, list) as entries
        from (select e.teacher_id, e.subset, jsonb_agg(jsonb_build_object('id', e.id, 'values', e.values) order by e.id) as list from scale_entries e group by e.teacher_id, e.subset) by_subset
        group by teacher_id
      ) listed on listed.teacher_id = t.id
      where b.state = 'effective'
    ), fields as (
      select s.teacher_id, sub.key as subset, 0 as entry_key, f.key as field, f.value from snap s cross join lateral jsonb_each(s.snapshot->'record') sub cross join lateral jsonb_each(sub.value) f
      union all
      select s.teacher_id, sub.key, (e->>'id')::int, f.key, f.value
      from snap s cross join lateral jsonb_each(s.snapshot->'entries') sub cross join lateral jsonb_array_elements(sub.value) e cross join lateral jsonb_each(e->'values') f
    ), diffs as (
      select teacher_id, jsonb_agg(jsonb_build_object('subset', subset, 'entryId', nullif(entry_key, 0), 'field', field, 'oldValue', null, 'newValue', value) order by entry_key <> 0, subset, entry_key, field) as diff
      from fields where value <> 'null'::jsonb group by teacher_id
    )
    insert into teacher_versions (teacher_id, version, kind, snapshot, diff, approved_by, approved_by_name, approved_at)
    select s.teacher_id, 1, 'collection', s.snapshot, coalesce(d.diff, '[]'::jsonb), null, '规模测试审核人（县级教育行政部门）', s.updated_at + interval '3 days'
    from snap s left join diffs d using (teacher_id)`);
}

/** 报送, then 审核通过 or 退回: each record's timeline and the audit rows the review services write. */
async function insertTrail(tx: Transaction): Promise<void> {
  await tx.execute(sql`
    create temp table scale_trail on commit drop as
    select b.teacher_id, b.path, b.name, x.action, x.audit_action, x.at, x.comment, x.unit_name
    from scale_ids b
    cross join lateral (
      select 'submit' as action, 'record.submit' as audit_action, b.reported_at as at, null::text as comment, b.school_name as unit_name where b.state <> 'draft' or b.r between 960 and 979
      union all
      select 'approve', 'record.approve', b.reported_at + interval '3 days', null, '县级教育行政部门' where b.state = 'effective'
      union all
      select 'return', 'record.return', b.reported_at + interval '2 days', '规模测试：请补充学习经历', '县级教育行政部门' where b.r between 960 and 979
    ) x`);
  await tx.execute(sql`
    insert into record_reviews (teacher_id, action, comment, account_id, account_name, unit_name, created_at)
    select teacher_id, action, comment, null, '规模测试', unit_name, at from scale_trail`);
  await tx.execute(sql`
    insert into audit_log (occurred_at, actor_account_id, actor_username, actor_unit_id, unit_path, action, target_type, target_id, detail, ip)
    select at, null, '规模测试', null, path, audit_action, 'teacher', teacher_id::text, jsonb_build_object('name', name), '10.0.0.1' from scale_trail order by at`);
}
