/**
 * `npm run bench`: against a database loaded by `npm run seed:scale`, prints p50 and p95 of the pages'
 * data and, beside each, the time of the raw SQL that computes the same answer from `teachers`, and
 * the ratio. With --base (the built app serving the same database) it also times whole HTTP responses.
 * Usage: DATABASE_URL=… npm run bench -- [--runs 30] [--base http://localhost:3400] [--import-rows 10000]
 */
import { chromium } from '@playwright/test';
import { idNumberHash, revealStoredIdNumber } from '@/lib/teachers/identity';
import { and, eq, sql } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts, teachers, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { loadSessionAccount } from '@/lib/auth/queries';
import { getProgress } from '@/lib/collection/queries';
import { approveRecords } from '@/lib/collection/review/service';
import { getDashboard, getReport } from '@/lib/statistics/queries';
import { reportKinds, reportTitles, type ReportKind } from '@/lib/statistics/reports';
import { breakdownCaseSql } from '@/lib/reference/school-types';
import { parseStatFilters } from '@/lib/statistics/schemas';
import { getTeacherRecord, listTeachers, teacherFilterConditions } from '@/lib/teachers/queries';
import { getQueryRun, planCombinedQuery, queryRunPage, teacherFiltersOf } from '@/lib/combined-query/queries';
import { runQueryJob, startCombinedQuery } from '@/lib/combined-query/service';
import { parseConditions } from '@/lib/statistics/query-builder';
import { closeJobQueue } from '@/lib/db/job-queue';
import { measure, type Timing } from './bench-timing';
import { timeTeacherImport } from './bench-teacher-import';
import { applyRollupDeltas, rebuildRollups } from '@/lib/units/service';
import { getTransferYearTotals, listTransfers } from '@/lib/transfers/queries';
import { takeTransferStep } from '@/lib/transfers/service';
import { getMobilityTotals, listLeftTeachers, listRetiring } from '@/lib/mobility/queries';
import { getRotationPlan, getRotationTotals, listEligibleTeachers, listRotations, planCountsBySchool } from '@/lib/rotations/queries';
import { retiringWindow } from '@/lib/mobility/schemas';
import { todayIso } from '@/lib/indicators/form-schema';
import { benchTraining } from './bench-training';
import { ensureAuthSecret } from './runtime-env';
import { prepareBenchAccounts, signInPage } from './bench-signin';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, base: { type: 'string' }, 'import-rows': { type: 'string', default: '10000' }, 'training-participants': { type: 'string', default: '5000' }, only: { type: 'string' } } });
const runs = Math.max(30, Number(values.runs));

async function actor(username: string): Promise<Actor> {
  const { db } = await getConnection();
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username));
  if (!account) throw new Error(`no account ${username}: load the database with npm run seed:scale first`);
  return (await loadSessionAccount(account.id, null))!.actor;
}

const ms = (t: Timing) => `${t.p50.toFixed(1)} ms | ${t.p95.toFixed(1)} ms`;

async function compare(label: string, page: (i: number) => Promise<unknown>, raw: ((i: number) => Promise<unknown>) | null) {
  if (values.only && !label.includes(values.only)) return;
  const ours = await measure(runs, page);
  if (!raw) return console.log(`| ${label} | ${ms(ours)} | — | — | — |`);
  const direct = await measure(runs, raw);
  console.log(`| ${label} | ${ms(ours)} | ${ms(direct)} | ${(ours.p95 / direct.p95).toFixed(2)} |`);
}

/** The dashboard's figures counted straight from teachers: what stat_counts saves. */
function rawDashboard(path: string) {
  return async () => {
    const { db } = await getConnection();
    await db.execute(sql`
      select grouping(t.gender, by_year, t.highest_education, t.title_level, minority, t.on_establishment, t.personnel_status, t.stage) as g,
        t.gender, by_year, t.highest_education, t.title_level, minority, t.on_establishment, t.personnel_status, t.stage, count(*)
      from teachers t, lateral (select extract(year from t.birth_date)::int as by_year, t.ethnic_group <> '01' as minority) x
      where t.unit_path <@ ${path}::ltree and t.record_state = 'effective'
      group by grouping sets ((), (t.gender), (t.gender, by_year), (t.highest_education), (t.title_level), (minority), (t.on_establishment), (t.personnel_status), (t.stage))`);
    await db.execute(sql`select subpath(unit_path, nlevel(${path}::ltree), 1), count(*) from teachers where unit_path <@ ${path}::ltree and nlevel(unit_path) > nlevel(${path}::ltree) and record_state = 'effective' group by 1`);
  };
}

/** A standard report's cross-tab counted straight from teachers (what the report counted before migration 0024). */
function rawReport(kind: ReportKind, path: string) {
  const breakdown = sql.raw(breakdownCaseSql('t.school_type_code'));
  const fullTime = sql`t.record->'basic'->>'staffCategory' = '01'`;
  const axes: Record<ReportKind, [ReturnType<typeof sql>, ReturnType<typeof sql>, ReturnType<typeof sql>]> = {
    'education-stage': [sql`coalesce(t.highest_education, '')`, breakdown, fullTime],
    'title-stage': [sql`coalesce(t.title_level, '')`, breakdown, fullTime],
    'age-gender': [sql`(2026 - extract(year from t.birth_date))::int::text`, sql`t.gender`, sql`true`],
    'unit-stage': [sql`subpath(t.unit_path, nlevel(${path}::ltree), 1)::text`, breakdown, sql`true`],
  };
  const [row, column, only] = axes[kind];
  return async () => {
    const { db } = await getConnection();
    await db.execute(sql`select ${row} as row, ${column} as column, count(*)::int as n from teachers t
      where t.unit_path <@ ${path}::ltree and t.record_state = 'effective' and coalesce(t.personnel_status, '') not like '3%' and ${only} group by 1, 2`);
  };
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a database loaded by npm run seed:scale');
  const { db } = await getConnection();
  const [{ total }] = await db.execute(sql`select count(*)::int as total from teachers`).then((r) => r as unknown as { total: number }[]);
  console.log(`teachers in the database: ${total.toLocaleString('en')}; ${runs} runs per measure after one warm-up\n`);
  const ministry = await actor('000000.manager');
  const province = await actor('330000.manager');
  const county = await actor('330106.manager');
  const official = parseStatFilters({});

  console.log('| measure | p50 | p95 | raw SQL p50 | raw SQL p95 | ratio (p95) |');
  console.log('|---|---|---|---|---|---|');
  await compare('national dashboard (data)', () => getDashboard(ministry, official), rawDashboard(ministry.unitPath));
  await compare('province dashboard (浙江, data)', () => getDashboard(province, official), rawDashboard(province.unitPath));
  await compare('county dashboard (西湖区, data)', () => getDashboard(county, official), rawDashboard(county.unitPath));
  await compare('national progress page (data)', () => getProgress(ministry, {}), async () => {
    await db.execute(sql`select subpath(unit_path, 1, 1), count(*), count(*) filter (where complete), count(*) filter (where record_state = 'submitted'), count(*) filter (where record_state = 'effective'), count(*) filter (where record_state = 'draft' and return_reason is not null) from teachers group by 1`);
  });
  for (const [who, user] of [['national', ministry], ['province 浙江', province], ['county 西湖区', county]] as const) {
    for (const kind of reportKinds) await compare(`${who} report ${reportTitles[kind]} (data)`, () => getReport(user, kind, official), rawReport(kind, user.unitPath));
  }

  await benchCombinedQuery(ministry, province, county);

  const [stored] = await db.select({ id: teachers.id, name: teachers.name, idNumberEnc: teachers.idNumberEnc }).from(teachers).where(sql`${teachers.unitPath} <@ ${county.unitPath}::ltree`).limit(1);
  const sample = { ...stored, idNumber: revealStoredIdNumber(stored.idNumberEnc!) };
  const namePrefix = sample.name.slice(0, 2);
  const listRaw = (where: ReturnType<typeof sql>) => async () => {
    await db.execute(sql`select teachers.id, teachers.name, u.name from teachers join units u on u.id = teachers.unit_id where ${where} order by teachers.id desc limit 51`);
  };
  await compare(`national search by name prefix "${namePrefix}"`, () => listTeachers(ministry, { q: namePrefix }), listRaw(sql`t.name like ${`${namePrefix}%`}`));
  await compare('national search by ID number', () => listTeachers(ministry, { q: sample.idNumber }), listRaw(sql`t.id_number_hash = ${idNumberHash(sample.idNumber)}`));
  // Deep in the list: the keyset after the 2,000th teacher of the province, newest first.
  const [deep] = await db.execute(sql`select id from teachers where unit_path <@ ${province.unitPath}::ltree order by id desc offset 2000 limit 1`).then((r) => r as unknown as { id: number }[]);
  await compare('province list, page 41 (keyset)', () => listTeachers(province, { after: deep.id }), listRaw(sql`t.unit_path <@ ${province.unitPath}::ltree and t.id < ${deep.id}`));
  await compare('one record page (county manager)', () => getTeacherRecord(county, sample.id), async () => {
    await db.execute(sql`select t.*, (select json_agg(e) from teacher_entries e where e.teacher_id = t.id) from teachers t where t.id = ${sample.id}`);
  });

  // One approval per sample, each on a different reported record of the county's schools. The generated
  // nation has few reported records per county, so the bench first puts effective ones back to
  // 'submitted' (with their progress totals), then approves them: half through the service, half raw.
  // 30 samples each, whatever --runs says: a county holds a few hundred records.
  const approvalRuns = 30;
  const need = approvalRuns * 2 + 2;
  const [{ available }] = await db.execute(sql`select count(*)::int as available from teachers t join units u on u.id = t.unit_id where u.parent_id = ${county.unitId} and t.record_state = 'effective' and not exists (select 1 from teacher_versions v where v.teacher_id = t.id)`).then((r) => r as unknown as { available: number }[]);
  // With --only the approval is measured only when asked for: each run uses up records.
  const skipApproval = Boolean(values.only && !'one approval'.includes(values.only));
  const reopened = available < need || skipApproval ? [] : await db.transaction(async (tx) => {
    const rows = await tx.execute(sql`
      update teachers set record_state = 'submitted', effective_version = 0
      where id in (select t.id from teachers t join units u on u.id = t.unit_id where u.parent_id = ${county.unitId} and t.record_state = 'effective'
        and not exists (select 1 from teacher_versions v where v.teacher_id = t.id) order by t.id limit ${need})
      returning id, unit_path`);
    const list = rows as unknown as { id: number; unit_path: string }[];
    await applyRollupDeltas(tx, list.map((row) => ({ path: row.unit_path, recordsSubmitted: 1, recordsEffective: -1 })));
    return list.map((row) => Number(row.id));
  });
  if (reopened.length === need) {
    let next = 0;
    const approve = () => approveRecords(county, { teacherIds: [reopened[next++]], comment: '', sampled: [] });
    const ours = await measure(approvalRuns, approve);
    const raw = await measure(approvalRuns, async () => {
      await db.execute(sql`update teachers set record_state = 'effective', effective_version = 1 where id = ${reopened[next++]} and record_state = 'submitted'`);
    });
    console.log(`| one approval (transition, version, totals, statistics, audit; ${approvalRuns} runs) | ${ms(ours)} | ${ms(raw)} | ${(ours.p95 / raw.p95).toFixed(2)} |`);
    // The raw half moved records without their progress totals: put those in step again.
    const rawPaths = await db.execute(sql`select unit_path from teachers where id in (${sql.join(reopened.slice(approvalRuns + 1).map((id) => sql`${id}::int`), sql`, `)}) and record_state = 'effective'`);
    await db.transaction((tx) => applyRollupDeltas(tx, (rawPaths as unknown as { unit_path: string }[]).map((row) => ({ path: row.unit_path, recordsSubmitted: -1, recordsEffective: 1 }))));
  } else if (!skipApproval) console.log(`| one approval | only ${available} effective records in the county's schools (${need} needed): skipped | | | | |`);

  await benchTransfers(ministry, county);
  await benchMobility(ministry, province, county);
  await benchRotations(ministry, province, county);
  await benchTraining(compare, province, county, { participants: Number(values['training-participants']), project: !values.only || '培训学分 project'.includes(values.only) });

  if (values.base && (!values.only || values.only === 'http')) await benchHttp(values.base, { ministry, province, county }, sample.id);

  const importRows = values.only ? 0 : Number(values['import-rows']);
  if (importRows > 0) {
    const [school] = await db.select({ code: units.code }).from(units).where(sql`${units.path} <@ ${province.unitPath}::ltree and ${units.kind} = 'school' and ${units.stage} = 'primary_secondary'`).limit(1);
    const result = await timeTeacherImport(await actor(`${school.code}.manager`), importRows);
    console.log(`\n${importRows}-row teacher import (${result.megabytes.toFixed(1)} MB xlsx): validation ${result.validateSeconds.toFixed(1)} s, import ${result.importSeconds.toFixed(1)} s (${result.status}); ${result.rowsPerSecond.toFixed(0)} rows/s end to end`);
  }
  await closeJobQueue();
  await closeConnection();
}

/**
 * The combined query: counts from the pre-counted rows (with the first page of the list) beside the count and page
 * straight from teachers; then a run in the background end to end, and a page of its kept result.
 */
async function benchCombinedQuery(ministry: Actor, province: Actor, county: Actor) {
  const { db } = await getConnection();
  const listedByRun = new Set<string>();
  const aggregated = ['gender~in~2', 'keyTeacherLevel~in~02,04', 'highestEducation~in~21 staffCategory~in~01', 'birthDate~between~1980-01-01,1989-12-31 gender~in~1'];
  for (const [who, user] of [['national', ministry], ['province 浙江', province], ['county 西湖区', county]] as const) {
    for (const text of aggregated) {
      const request = { scope: 'official' as const, conditions: parseConditions(text.split(' ')) };
      const where = and(...(await teacherFilterConditions(db, user, teacherFiltersOf(request)))!);
      await compare(`${who} combined query ${text} (count + first page)`, async () => {
        const plan = await planCombinedQuery(user, request);
        if (plan.source !== 'aggregate') throw new Error(`${text}: answered by ${plan.source}`);
        if (plan.listLive) await listTeachers(user, teacherFiltersOf(request));
        else listedByRun.add(`${who} ${text}`);
      }, async () => {
        await db.execute(sql`select count(*) from teachers where ${where}`);
        await db.execute(sql`select teachers.id, teachers.name, u.name from teachers join units u on u.id = teachers.unit_id where ${where} order by teachers.id desc limit 51`);
      });
    }
  }
  if (listedByRun.size) console.log(`| (the list of ${[...listedByRun].join('; ')} comes from a run: the time is the count alone) | | | | | |`);
  if (values.only && !'combined query run'.includes(values.only)) return;
  // What no dimension answers: a run in the background, end to end, three times per scope.
  const text = 'joinSchoolDate~between~2010-01,2015-12 gender~in~2';
  for (const [who, user] of [['national', ministry], ['province 浙江', province]] as const) {
    const seconds: number[] = [];
    let runId = '';
    let matched = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      ({ runId } = (await startCombinedQuery(user, { scope: 'all', cond: text.split(' '), rerun: true })) as { runId: string });
      // This process works it, unless a server's worker on the same database took it first: either way, until it is done.
      await runQueryJob(runId);
      let run = await getQueryRun(user, runId);
      while (run.status !== 'done') {
        if (run.status === 'failed') throw new Error(`run failed: ${run.message}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        run = await getQueryRun(user, runId);
      }
      seconds.push((performance.now() - started) / 1000);
      matched = run.matched ?? 0;
    }
    const request = { scope: 'all' as const, conditions: parseConditions(text.split(' ')) };
    const where = and(...(await teacherFilterConditions(db, user, teacherFiltersOf(request)))!);
    const raw = await measure(3, async () => db.execute(sql`select count(*) from teachers where ${where}`));
    console.log(`| ${who} combined query ${text}: run in the background, ${matched.toLocaleString('en')} matches (3 runs) | ${Math.min(...seconds).toFixed(1)} s | ${Math.max(...seconds).toFixed(1)} s | raw count ${raw.p50.toFixed(0)} ms | ${raw.p95.toFixed(0)} ms | |`);
    await compare(`${who} combined query: a page of a kept run's result`, () => queryRunPage(user, runId), async () => {
      await db.execute(sql`select teachers.id, teachers.name, u.name from teachers join units u on u.id = teachers.unit_id where ${where} order by teachers.id desc limit 51`);
    });
  }
}

/** The console's pages, each opened by the account a user of that scope has. */
const consolePages = [
  '/dashboard', '/statistics', '/progress', ...reportKinds.map((kind) => `/statistics/reports?report=${kind}`),
  '/statistics/query?cond=gender~in~2', '/statistics/query?cond=keyTeacherLevel~in~04', '/statistics/query?cond=gender~in~2&cond=highestEducation~in~21', '/teachers', '/units', '/review/records', '/review/changes', '/inbox',
  '/transfers', '/teachers/retiring', '/teachers/left', '/rotations', '/rotations/plan', '/training',
];

/** Whole HTTP responses of the built app (--base): every console page at national, province, county and school scope, and the audit log. */
async function benchHttp(base: string, users: { ministry: Actor; province: Actor; county: Actor }, teacherId: number) {
  const { db } = await getConnection();
  const [school] = await db.select({ code: units.code }).from(units).innerJoin(teachers, eq(teachers.unitId, units.id)).where(eq(teachers.id, teacherId));
  const visits: [string, string[]][] = [
    [users.ministry.username, consolePages],
    [users.province.username, consolePages],
    [users.county.username, [...consolePages, `/teachers/${teacherId}`]],
    [`${school.code}.manager`, [...consolePages, `/teachers/${teacherId}`]],
    ['000000.audit', ['/audit', '/audit?action=record.approve', `/audit?username=${users.county.username}`]],
    ['330000.audit', ['/audit']],
    ['330106.admin', ['/audit', '/accounts']],
  ];
  const credentials = await prepareBenchAccounts(visits.map(([username]) => username));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  console.log('\n| whole HTTP response of the built app | p50 | p95 |');
  console.log('|---|---|---|');
  for (const [username, paths] of visits) {
    const page = await signInPage(browser, base, username, credentials);
    // One pass over the user's pages first: the first requests after a sign-in (the session's first reads, the server's
    // first render of each route) are not what a working user waits for page after page.
    for (const asked of paths) await page.request.get(`${base}${asked}`);
    for (const asked of paths) {
      let path = asked;
      let probe = await page.request.get(`${base}${path}`, { maxRedirects: 0 });
      // A page that sends the user on to the page for their unit (/units → /units/<id>) is timed there.
      const location = probe.headers().location;
      if ([307, 308].includes(probe.status()) && location && !/\/(login|change-password|security)/.test(location)) {
        path = new URL(location, base).pathname + new URL(location, base).search;
        probe = await page.request.get(`${base}${path}`, { maxRedirects: 0 });
      }
      // A page the role may not open is said so, not timed.
      if (!probe.ok()) {
        console.log(`| ${username} GET ${path} | HTTP ${probe.status()} | |`);
        continue;
      }
      const t = await measure(runs, async () => {
        const response = await page.request.get(`${base}${path}`, { maxRedirects: 0 });
        if (!response.ok()) throw new Error(`${path}: HTTP ${response.status()}`);
        await response.body();
      });
      console.log(`| ${username} GET ${path} | ${ms(t)} |`);
    }
    await page.close();
  }
  await browser.close();
}

/** 即将退休 of a province and of the nation, 已离开 of a county, beside the raw SQL for the same page. */
async function benchMobility(ministry: Actor, province: Actor, county: Actor) {
  const { db } = await getConnection();
  const window = retiringWindow(todayIso(), 12);
  const rawRetiring = (path: string) => async () => {
    await db.execute(sql`select t.id, t.name, u.name from teachers t join units u on u.id = t.unit_id
      where t.unit_path <@ ${path}::ltree and (t.personnel_status is null or t.personnel_status not like '3%') and t.retirement_month >= ${window.from} and t.retirement_month < ${window.until}
      order by t.retirement_month, t.id limit 51`);
    await db.execute(sql`select count(*) from teachers t where t.unit_path <@ ${path}::ltree and (t.personnel_status is null or t.personnel_status not like '3%') and t.retirement_month >= ${window.from} and t.retirement_month < ${window.until}`);
  };
  await compare('即将退休, province (浙江), first page and count', () => listRetiring(province), rawRetiring(province.unitPath));
  await compare('即将退休, nation, first page and count', () => listRetiring(ministry), rawRetiring(ministry.unitPath));
  await compare('已离开, county (西湖区)', () => listLeftTeachers(county), async () => {
    await db.execute(sql`select t.id, t.name from teachers t where t.unit_path <@ ${county.unitPath}::ltree and t.personnel_status like '3%' order by t.id desc limit 51`);
  });
}

/** The county's rotation plan and its drill-down, 交流轮岗 lists, and the dashboard's 人员流动 figures, beside the raw SQL. */
async function benchRotations(ministry: Actor, province: Actor, county: Actor) {
  const { db } = await getConnection();
  const [{ n }] = await db.execute(sql`select count(*)::int as n from rotations`).then((r) => r as unknown as { n: number }[]);
  if (n === 0) return console.log('| 交流轮岗 | no rotations loaded (npm run seed:scale loads them): skipped | | | | |');
  const year = Number(todayIso().slice(0, 4));
  const joinedBy = `${year - 6}-09`;
  const compulsory = sql`('211','218','219','311','312','319','341','345')`;
  await compare(`交流轮岗计划, county (西湖区), ${year}`, () => getRotationPlan(county, { countyId: county.unitId, year }), async () => {
    await db.execute(sql`select t.unit_id, count(*) from teachers t where t.unit_path <@ ${county.unitPath}::ltree and t.school_type_code in ${compulsory}
      and t.record_state = 'effective' and (t.personnel_status is null or t.personnel_status not like '3%') and t.record->'basic'->>'joinSchoolDate' <= ${joinedBy} group by 1`);
    await db.execute(sql`select home_school_id, count(*) filter (where start_month like ${`${year}-%`}), count(*) filter (where state in ('active','extending')) from rotations
      where home_school_path <@ ${county.unitPath}::ltree and state not in ('rejected','withdrawn') group by 1`);
  });
  // Generated counties are small (one school in ~2,900 per county); the same statement over a province's
  // subtree stands for a county ten times the largest real one.
  const [{ teachers: provinceTeachers }] = await db.execute(sql`select count(*)::int as teachers from teachers where unit_path <@ ${province.unitPath}::ltree`).then((r) => r as unknown as { teachers: number }[]);
  await compare(`交流轮岗计划 statement over 浙江's subtree (${provinceTeachers.toLocaleString('en')} teachers), ${year}`, () => planCountsBySchool(db, province.unitPath, year, joinedBy), null);
  await compare('交流轮岗计划 drill-down, county, first page of the eligible', () => listEligibleTeachers(county, { countyId: county.unitId, year }), async () => {
    await db.execute(sql`select t.id, t.name from teachers t where t.unit_path <@ ${county.unitPath}::ltree and t.school_type_code in ${compulsory}
      and t.record_state = 'effective' and (t.personnel_status is null or t.personnel_status not like '3%') and t.record->'basic'->>'joinSchoolDate' <= ${joinedBy} order by t.id limit 51`);
  });
  const rawRotations = (where: ReturnType<typeof sql>) => async () => {
    await db.execute(sql`select id, state, kind, teacher_name, home_school_name, host_school_name, start_month, planned_end_month from rotations where ${where} order by id desc limit 51`);
  };
  await compare(`交流轮岗, county, all of ${n.toLocaleString('en')} rotations`, () => listRotations(county, { view: 'all' }), rawRotations(sql`(home_school_path <@ ${county.unitPath}::ltree or host_school_path <@ ${county.unitPath}::ltree)`));
  await compare('交流轮岗, ministry, under way', () => listRotations(ministry, { view: 'all', state: 'away' }), rawRotations(sql`state in ('active','extending')`));
  const rawRotationTotals = (path: string) => async () => {
    await db.execute(sql`select count(*) filter (where home_school_path <@ ${path}::ltree), count(*) filter (where host_school_path <@ ${path}::ltree) from rotations where state in ('active','extending')`);
  };
  await compare('dashboard rotation figures, county', () => getRotationTotals(county), rawRotationTotals(county.unitPath));
  await compare('dashboard rotation figures, ministry', () => getRotationTotals(ministry), rawRotationTotals(ministry.unitPath));
  const window = retiringWindow(todayIso(), 12);
  const rawMobility = (path: string) => async () => {
    await db.execute(sql`select count(*) from teachers where unit_path <@ ${path}::ltree and (personnel_status is null or personnel_status not like '3%') and retirement_month >= ${window.from} and retirement_month < ${window.until}`);
    await db.execute(sql`select to_status, count(*) from status_changes where state = 'effective' and to_status like '3%' and effective_date >= date_trunc('year', now()) and unit_path <@ ${path}::ltree group by 1`);
  };
  await compare('dashboard 人员流动 (retiring within 12 months, leavers by reason), county', () => getMobilityTotals(county), rawMobility(county.unitPath));
  await compare('dashboard 人员流动, province (浙江)', () => getMobilityTotals(province), rawMobility(province.unitPath));
  await compare('dashboard 人员流动, nation', () => getMobilityTotals(ministry), rawMobility(ministry.unitPath));
}

/** 调动管理 lists, the dashboard's transfer figures and one completion, beside the raw SQL for each. */
async function benchTransfers(ministry: Actor, county: Actor) {
  const { db } = await getConnection();
  const [{ n }] = await db.execute(sql`select count(*)::int as n from transfers`).then((r) => r as unknown as { n: number }[]);
  if (n === 0) return console.log('| 调动管理 | no transfers loaded (npm run seed:scale loads them): skipped | | | | |');
  const rawList = (where: ReturnType<typeof sql>) => async () => {
    await db.execute(sql`select id, kind, state, teacher_name, teacher_id_masked, sending_school_name, receiving_school_name, cross_province, filed_at, state_since, waiting_unit_id from transfers where ${where} order by id desc limit 51`);
  };
  const inCounty = sql`(sending_school_path <@ ${county.unitPath}::ltree or receiving_school_path <@ ${county.unitPath}::ltree)`;
  await compare(`调动管理, county (西湖区), all of ${n.toLocaleString('en')} transfers`, () => listTransfers(county, { view: 'all' }), rawList(inCounty));
  await compare('调动管理, county, 待我处理', () => listTransfers(county, { view: 'waiting' }), rawList(sql`waiting_unit_id = ${county.unitId}`));
  await compare('调动管理, county, overdue', () => listTransfers(county, { view: 'all', state: 'overdue' }), rawList(sql`${inCounty} and state in ('filed','receiving_province','sent','sending_agreed','sending_province','awaiting_file') and state_since < now() - interval '10 days'`));
  await compare('调动管理, ministry, all', () => listTransfers(ministry, { view: 'all' }), rawList(sql`true`));
  await compare('调动管理, ministry, overdue', () => listTransfers(ministry, { view: 'all', state: 'overdue' }), rawList(sql`state in ('filed','receiving_province','sent','sending_agreed','sending_province','awaiting_file') and state_since < now() - interval '10 days'`));
  const rawTotals = (where: ReturnType<typeof sql>) => async () => {
    await db.execute(sql`select count(*) filter (where state = 'completed'), count(*) filter (where state not in ('completed','rejected','withdrawn')) from transfers where ${where} and (state not in ('completed','rejected','withdrawn') or closed_at >= date_trunc('year', now()))`);
  };
  await compare('dashboard transfer figures, county', () => getTransferYearTotals(county), rawTotals(inCounty));
  await compare('dashboard transfer figures, ministry', () => getTransferYearTotals(ministry), rawTotals(sql`true`));

  // One completion per sample, each on a different transfer waiting for its file, by the receiving
  // school's manager: conditional transition, the move, totals, statistics, work history, version, audit.
  if (values.only && !'one transfer completion'.includes(values.only)) return;
  const completionRuns = 30;
  const waiting = await db.execute(sql`
    select tr.id, tr.teacher_id, u.code, r.path as receiving_path, r.id as receiving_id from transfers tr
    join teachers t on t.id = tr.teacher_id and t.unit_id = tr.sending_school_id and t.record_state = 'effective' and (t.personnel_status is null or t.personnel_status not like '3%')
    join units u on u.id = tr.receiving_school_id join units r on r.id = tr.receiving_school_id
    where tr.state = 'awaiting_file' order by tr.id limit ${completionRuns * 2 + 2}`).then((r) => r as unknown as { id: number; teacher_id: number; code: string; receiving_path: string; receiving_id: number }[]);
  if (waiting.length < completionRuns * 2 + 2) return console.log(`| one transfer completion | only ${waiting.length} transfers waiting for their file: skipped | | | | |`);
  const managers = new Map<string, Actor>();
  for (const row of waiting) if (!managers.has(row.code)) managers.set(row.code, await actor(`${row.code}.manager`));
  let next = 0;
  const ours = await measure(completionRuns, async () => {
    const row = waiting[next++];
    await takeTransferStep(managers.get(row.code)!, { id: Number(row.id), action: 'receive', reason: '', leavingMonth: '', arrivalMonth: '' });
  });
  const raw = await measure(completionRuns, async () => {
    const row = waiting[next++];
    await db.transaction(async (tx) => {
      await tx.execute(sql`update transfers set state = 'completed', closed_at = now(), waiting_unit_id = null where id = ${Number(row.id)} and state = 'awaiting_file'`);
      await tx.execute(sql`update teachers set unit_id = ${Number(row.receiving_id)}, unit_path = ${row.receiving_path}::ltree where id = ${Number(row.teacher_id)}`);
    });
  });
  console.log(`| one transfer completion (transition, move, totals, statistics, work history, version, audit; ${completionRuns} runs) | ${ms(ours)} | ${ms(raw)} | ${(ours.p95 / raw.p95).toFixed(2)} |`);
  // The raw half moved teachers without their totals: recount once so the database stays consistent.
  await db.transaction((tx) => rebuildRollups(tx));
}

main().catch(async (error) => {
  console.error(error);
  await closeConnection();
  process.exit(1);
});
