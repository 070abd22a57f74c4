import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, teachers } from '@/lib/db/schema';
import { closeJobQueue } from '@/lib/db/job-queue';
import type { Actor } from '@/lib/auth/actor';
import { approveRecordsSchema } from '@/lib/collection/schemas';
import { approveRecords, submitRecords } from '@/lib/collection/review/service';
import { getQueryRun, latestQueryRun, planCombinedQuery, queryRunPage, teacherFiltersOf } from '@/lib/combined-query/queries';
import { purgeExpiredQueryRuns, runQueryJob, startCombinedQuery } from '@/lib/combined-query/service';
import type { CombinedQueryRequest } from '@/lib/combined-query/schemas';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { aggregatePlanOf } from '@/lib/statistics/query-aggregates';
import { encodeCondition, parseConditions, type QueryCondition } from '@/lib/statistics/query-builder';
import { foldAggregateDeltas } from '@/lib/statistics/service';
import { saveEntry, saveSection } from '@/lib/teachers/editing/service';
import { countTeachers, listTeachers } from '@/lib/teachers/queries';
import { actorFor, completeBasic, educationEntry, getUnitByCode, postEntry, school, teacherIn, type SchoolFixture } from './support/factories';

let schools: SchoolFixture[];
let county: Actor;
const created: number[] = [];

async function revisionOf(teacherId: number): Promise<number> {
  const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
  return row.revision;
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return Number(rowsOf<{ n: number }>(await (await getDb()).execute(query))[0].n);
}

beforeAll(async () => {
  schools = [await school('330106'), await school('330106')];
  county = await actorFor('330106.manager');
  // A fixed seed, so that a failure can be replayed.
  let seed = 20261204;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(list: T[]): T => list[Math.floor(random() * list.length)];
  for (let i = 0; i < 36; i++) {
    const fixture = schools[i % 2];
    const onEstablishment = pick(['1', '1', '0'] as const);
    const teacherId = await teacherIn(fixture, { complete: false, name: `查询教师${i}`, gender: pick(['1', '2'] as const), birthDate: `19${70 + Math.floor(random() * 29)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` });
    await saveSection(fixture.manager, {
      teacherId,
      revision: await revisionOf(teacherId),
      subset: 'basic',
      values: {
        ...completeBasic,
        ethnicGroup: pick(['01', '01', '03', '04']),
        politicalStatus: pick([['13'], ['01'], ['01', '05'], ['03']]),
        staffCategory: pick(['01', '01', '02', '03']),
        onEstablishment,
        contractOneYearOrMore: onEstablishment === '0' ? '1' : '',
        // Only staff off the establishment have a form of employment.
        employmentForm: onEstablishment === '0' ? pick(['01', '02', '03']) : '',
        keyTeacherLevel: pick(['02', '04', '06', '']),
        teacherTrainingGraduate: pick(['1', '0']),
        maritalStatus: pick(['10', '20']),
        personnelStatus: pick(['100', '100', '204', '209']),
      },
    });
    await saveEntry(fixture.manager, { teacherId, subset: 'education', values: { ...educationEntry, educationLevel: pick(['21', '14', '31']), degreeLevel: pick(['4', '3', '0']) } });
    await saveEntry(fixture.manager, { teacherId, subset: 'post', values: { ...postEntry, postCategory: pick(['1', '1', '3']) } });
    created.push(teacherId);
  }
  // About half become effective, so that 正式数据 and 全部 differ.
  const reported = [0, 1].map((s) => created.filter((_, i) => i % 4 === s));
  for (const s of [0, 1]) await submitRecords(schools[s].sysadmin, { teacherIds: reported[s] });
  await approveRecords(county, approveRecordsSchema.parse({ teacherIds: reported.flat() }));
  // Some of the counts are folded, the rest still pending deltas: readers sum both.
  await foldAggregateDeltas();
  await teacherIn(schools[0], { complete: false, name: '查询教师末', gender: '1', birthDate: '1985-05-05' });
});

afterAll(async () => {
  delete process.env.QUERY_DIRECT_LIMIT;
  await closeJobQueue({ graceful: false });
});

const cond = (text: string) => parseConditions(text.split(' '));

describe('which conditions the pre-counted statistics answer', () => {
  it('maps one coded field, 性别 with whole years of birth, and 专任教师 with 最高学历; nothing else', () => {
    expect(aggregatePlanOf(cond('gender~in~2'))).toEqual({ dim: 'gender', buckets: ['2'] });
    expect(aggregatePlanOf(cond('birthDate~between~1980-01-01,1989-12-31 gender~in~1'))).toEqual({ dim: 'birth', buckets: null, birth: { genders: ['1'], fromYear: 1980, toYear: 1989 } });
    expect(aggregatePlanOf(cond('highestEducation~in~21,14 staffCategory~in~01'))).toEqual({ dim: 'ft_education', buckets: ['21', '14'] });
    expect(aggregatePlanOf(cond('politicalStatus~in~01'))).toEqual({ dim: 'political', buckets: ['01'] });
    expect(aggregatePlanOf(cond('ethnicGroup~in~01'))).toEqual({ dim: 'ethnic', buckets: ['han'] });
    // Two fields no dimension crosses, a range not of whole years, statuses that one teacher may hold together, a free text.
    expect(aggregatePlanOf(cond('gender~in~2 highestEducation~in~21'))).toBeNull();
    expect(aggregatePlanOf(cond('birthDate~between~1980-03-01,1989-12-31'))).toBeNull();
    expect(aggregatePlanOf(cond('politicalStatus~in~01,05'))).toBeNull();
    expect(aggregatePlanOf(cond('ethnicGroup~in~01,03'))).toBeNull();
    expect(aggregatePlanOf(cond('maritalStatus~in~20'))).toBeNull();
    expect(aggregatePlanOf(cond('name~contains~查询'))).toBeNull();
    expect(aggregatePlanOf(cond('highestEducation~in~21 staffCategory~in~01,02'))).toBeNull();
  });
});

describe('combined query counts from the pre-counted statistics', () => {
  it('equal a direct count of the teachers at the county and every authority above it, for every field that has a dimension', async () => {
    const queries = [
      'gender~in~1',
      'gender~in~1,2',
      'birthDate~between~1980-01-01,1994-12-31',
      'birthDate~between~,1985-12-31 gender~in~2',
      'birthDate~between~1990-01-01,',
      'highestEducation~in~21',
      'highestEducation~in~14,31 staffCategory~in~01',
      'staffCategory~in~01',
      'staffCategory~in~02,03',
      'onEstablishment~in~1',
      'personnelStatus~in~204',
      'personnelStatus~in~301',
      'ethnicGroup~in~01',
      'politicalStatus~in~01',
      'politicalStatus~in~05',
      'highestDegree~in~3,4',
      'postCategory~in~3',
      'employmentForm~in~02',
      'keyTeacherLevel~in~02,04',
      'teacherTrainingGraduate~in~1',
    ];
    const ministry = await actorFor('000000.manager');
    const units = [await getUnitByCode('330106'), await getUnitByCode('330100'), await getUnitByCode('330000'), await getUnitByCode('000000')];
    let nonZero = 0;
    for (const unit of units) {
      for (const scope of ['official', 'all'] as const) {
        for (const text of queries) {
          const request: CombinedQueryRequest = { unitId: unit.id, scope, conditions: cond(text) };
          expect(request.conditions, text).toHaveLength(text.split(' ').length);
          const plan = await planCombinedQuery(ministry, request);
          const direct = await countTeachers(ministry, teacherFiltersOf(request));
          expect({ source: plan.source, count: plan.count }, `${text} at ${unit.code} (${scope})`).toEqual({ source: 'aggregate', count: direct });
          if (direct > 0) nonZero++;
        }
      }
    }
    // The comparison is not between zeros.
    expect(nonZero).toBeGreaterThan(100);

    // 岗位类别 and 学位 are bucketed from the columns the query filters on, even when a load wrote only those.
    await (await getDb()).execute(sql`update teachers set post_category = '4', highest_degree = '2' where id = ${created[0]}`);
    for (const text of ['postCategory~in~4', 'highestDegree~in~2']) {
      const request: CombinedQueryRequest = { unitId: units[0].id, scope: 'all', conditions: cond(text) };
      const direct = await countTeachers(ministry, teacherFiltersOf(request));
      expect(direct, text).toBe(1);
      expect((await planCombinedQuery(ministry, request)).count, text).toBe(direct);
    }
  });

  it('counts a school directly, and refuses a unit outside the jurisdiction as not found', async () => {
    const request: CombinedQueryRequest = { unitId: schools[0].school.id, scope: 'all', conditions: cond('maritalStatus~in~20') };
    const plan = await planCombinedQuery(county, request);
    expect(plan).toEqual({ unitId: schools[0].school.id, source: 'direct', count: await countTeachers(county, teacherFiltersOf(request)), listLive: true });
    expect(plan.count).toBeGreaterThan(0);
    const other = await actorFor('330102.manager');
    await expect(planCombinedQuery(other, request)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('combined query as a run in the background', () => {
  // Every jurisdiction counts as large here, so that what the statistics cannot answer becomes a run.
  beforeAll(() => {
    process.env.QUERY_DIRECT_LIMIT = '0';
  });

  const input = (conditions: QueryCondition[], extra: { unitId?: number; scope?: 'official' | 'all' } = {}) => ({ unitId: extra.unitId, scope: extra.scope ?? 'all', cond: conditions.map(encodeCondition) });

  it('keeps the matching teachers with its progress, pages them like the list, and is the account’s own', async () => {
    const city = await actorFor('330100.manager');
    const conditions = cond('maritalStatus~in~20 gender~in~2');
    const request: CombinedQueryRequest = { scope: 'all', conditions };
    expect((await planCombinedQuery(city, request)).source).toBe('run');
    const audits = await count(sql`select count(*)::int as n from audit_log where action = 'statistics.query.run'`);
    const { runId } = await startCombinedQuery(city, input(conditions));
    expect(runId).toBeTruthy();
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'statistics.query.run'`)).toBe(audits + 1);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'statistics.query.run' and target_id = ${String((await getUnitByCode('330100')).id)} and detail->>'run' = ${runId}`)).toBe(1);
    // Asked again while it is queued: the same run.
    expect((await startCombinedQuery(city, input([...conditions].reverse()))).runId).toBe(runId);
    expect((await getQueryRun(city, runId!)).status).toBe('queued');

    await runQueryJob(runId!);
    const run = await getQueryRun(city, runId!);
    const direct = await countTeachers(city, teacherFiltersOf(request));
    expect(direct).toBeGreaterThan(0);
    expect({ status: run.status, matched: run.matched, done: run.done }).toEqual({ status: 'done', matched: direct, done: run.total });
    expect(run.total).toBe(await countTeachers(city, { conditions: [] }));
    expect(await latestQueryRun(city, request)).toMatchObject({ id: runId });
    const page = await queryRunPage(city, runId!);
    expect(page.rows.map((row) => row.id)).toEqual((await listTeachers(city, teacherFiltersOf(request))).rows.map((row) => row.id));

    // Another account, even the ministry's, does not see it; nothing about it changes.
    const ministry = await actorFor('000000.manager');
    await expect(getQueryRun(ministry, runId!)).rejects.toBeInstanceOf(NotFoundError);
    await expect(queryRunPage(ministry, runId!)).rejects.toBeInstanceOf(NotFoundError);
    expect(await getQueryRun(city, runId!)).toEqual(run);
    // A late duplicate of the queue's message does nothing.
    await runQueryJob(runId!);
    expect(await getQueryRun(city, runId!)).toEqual(run);
    // 查询 again: the kept result; 重新查询: a new run (and its audit row).
    expect((await startCombinedQuery(city, input(conditions))).runId).toBe(runId);
    const again = await startCombinedQuery(city, { ...input(conditions), rerun: true });
    expect(again.runId).not.toBe(runId);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'statistics.query.run'`)).toBe(audits + 2);
    // An id that is no run, however it looks, is not found.
    for (const odd of ['a'.repeat(36), '-'.repeat(36), 'x', `${runId}0`]) await expect(getQueryRun(city, odd)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('starts over when an attempt died halfway', async () => {
    const conditions = cond('maritalStatus~in~10');
    const { runId } = await startCombinedQuery(county, input(conditions));
    // The dead attempt: it claimed the run and wrote a wrong hit.
    await (await getDb()).execute(sql`update query_runs set status = 'running', attempts = 1, done = 5 where id = ${runId}::uuid`);
    await (await getDb()).execute(sql`insert into query_run_hits (run_id, teacher_id) values (${runId}::uuid, -1)`);
    await runQueryJob(runId!);
    const run = await getQueryRun(county, runId!);
    const request: CombinedQueryRequest = { scope: 'all', conditions };
    expect({ status: run.status, matched: run.matched }).toEqual({ status: 'done', matched: await countTeachers(county, teacherFiltersOf(request)) });
    const ids = rowsOf<{ id: number }>(await (await getDb()).execute(sql`select teacher_id as id from query_run_hits where run_id = ${runId}::uuid order by 1 desc`)).map((r) => r.id);
    const expected = rowsOf<{ id: number }>(
      await (await getDb()).execute(sql`select id from teachers where unit_path <@ ${(await getUnitByCode('330106')).path}::ltree and record->'basic'->>'maritalStatus' = '10' and coalesce(personnel_status, '') not like '3%' order by 1 desc`),
    ).map((r) => r.id);
    expect(ids).toEqual(expected);
  });

  it('refuses conditions it cannot read and a unit out of reach, and queues nothing', async () => {
    const before = await count(sql`select count(*)::int as n from query_runs`);
    await expect(startCombinedQuery(county, { scope: 'all', cond: ['maritalStatus~in~77'] })).rejects.toBeInstanceOf(ValidationError);
    await expect(startCombinedQuery(county, { scope: 'all', unitId: (await getUnitByCode('330102')).id, cond: ['maritalStatus~in~20'] })).rejects.toBeInstanceOf(NotFoundError);
    expect(await count(sql`select count(*)::int as n from query_runs`)).toBe(before);
  });

  it('answers at once what the statistics count (no run), and lists from a run what is tested in the record', async () => {
    const before = await count(sql`select count(*)::int as n from query_runs`);
    expect(await startCombinedQuery(county, input(cond('gender~in~2')))).toEqual({ runId: null });
    expect(await count(sql`select count(*)::int as n from query_runs`)).toBe(before);
    // No teacher holds this status: 0 from the statistics, nothing to list.
    expect(await planCombinedQuery(county, { scope: 'all', conditions: cond('personnelStatus~in~211') })).toEqual({ unitId: county.unitId, source: 'aggregate', count: 0, listLive: true });
    // A field in the record's jsonb: the count at once, the list from a run, which finds as many.
    const keyTeachers = cond('keyTeacherLevel~in~02,04');
    const plan = await planCombinedQuery(county, { scope: 'all', conditions: keyTeachers });
    expect(plan).toMatchObject({ source: 'aggregate', listLive: false });
    expect(plan.count).toBeGreaterThan(0);
    const { runId } = await startCombinedQuery(county, input(keyTeachers));
    expect(runId).toBeTruthy();
    await runQueryJob(runId!);
    expect(await getQueryRun(county, runId!)).toMatchObject({ status: 'done', matched: plan.count });
  });

  it('ends a run whose account was disabled meanwhile, and deletes runs past their retention time with their teachers', async () => {
    const city = await actorFor('330100.manager');
    const { runId } = await startCombinedQuery(city, input(cond('maritalStatus~in~10')));
    await (await getDb()).update(accounts).set({ status: 'disabled' }).where(eq(accounts.id, city.accountId));
    await runQueryJob(runId!);
    await (await getDb()).update(accounts).set({ status: 'active' }).where(eq(accounts.id, city.accountId));
    expect(await getQueryRun(city, runId!)).toMatchObject({ status: 'failed', message: '账号已停用，查询未完成' });

    const hits = await count(sql`select count(*)::int as n from query_run_hits`);
    expect(hits).toBeGreaterThan(0);
    await (await getDb()).execute(sql`update query_runs set created_at = now() - interval '25 hours'`);
    expect(await purgeExpiredQueryRuns()).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from query_runs`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from query_run_hits`)).toBe(0);
  });
});
