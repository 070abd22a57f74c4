import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { getDb, rowsOf } from '@/lib/db';
import { seedDemoData, demoActor } from '@/lib/demo/service';
import { seedLivingDemo, type LivingDemoSummary } from '@/lib/demo/living/service';
import { femaleGivenNames, maleGivenNames } from '@/lib/demo/names';
import { getInbox } from '@/lib/inbox/queries';
import { getDashboard } from '@/lib/statistics/queries';
import { parseStatFilters } from '@/lib/statistics/schemas';

// The demo writes fixed units and teachers: on PostgreSQL it gets a database of its own, so the other
// test files never see it (and it never sees theirs). Without DATABASE_URL the file has its own PGlite.
const baseUrl = process.env.DATABASE_URL;
const ownDatabase = `tmis_demo_${Date.now()}_${process.pid}`;
if (baseUrl) {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${ownDatabase}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${ownDatabase}`;
  process.env.DATABASE_URL = url.toString();
}

afterAll(async () => {
  if (!baseUrl) return;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${ownDatabase} with (force)`);
  await admin.end();
});

/** The slice's schools: 杭州's counties, codes ending 0101 to 0199 (the fixed demo's end 0001 or 0002). */
const livingSchool = sql.raw(`u.tier = 'school' and u.division_code like '3301%' and right(u.code, 4) between '0101' and '0199'`);

const scalar = async (query: ReturnType<typeof sql>) => Number(Object.values(rowsOf<Record<string, number>>(await (await getDb()).execute(query))[0])[0]);

describe('the living demo', () => {
  let summary: LivingDemoSummary;
  let seconds = 0;

  beforeAll(async () => {
    const db = await getDb();
    await seedDemoData(db);
    const started = performance.now();
    summary = await seedLivingDemo(db);
    seconds = (performance.now() - started) / 1000;
    console.log(`living demo on ${baseUrl ? 'PostgreSQL' : 'PGlite'}: ${JSON.stringify(summary)}; ${seconds.toFixed(1)} s`);
  }, 600_000);

  it('holds thousands of teachers in 杭州, most records effective and some in every other state', async () => {
    expect(summary.teachers).toBeGreaterThan(3000);
    expect(summary.schools).toBeGreaterThan(100);
    expect(summary.effective / summary.teachers).toBeGreaterThan(0.7);
    for (const state of ['submitted', 'returned', 'drafts'] as const) expect(summary[state]).toBeGreaterThan(0);
    // Drafts the completeness check refuses (no mobile number), and the county's returns with their reason.
    expect(await scalar(sql`select count(*) from teachers where record_state = 'draft' and not complete and unit_path <@ (select path from units where code = '330100')`)).toBeGreaterThan(0);
    expect(await scalar(sql`select count(*) from teachers where record_state = 'draft' and return_reason like '学习经历%'`)).toBe(summary.returned);
    // Every effective record has its first version.
    expect(await scalar(sql`select count(*) from teachers t where t.record_state = 'effective' and not exists (select 1 from teacher_versions v where v.teacher_id = t.id)`)).toBe(0);
  });

  it('gives names that agree with gender, and ages, titles and education that fit the stage', async () => {
    const db = await getDb();
    const people = rowsOf<{ name: string; gender: string; age: number; stage: string; title: string | null; education: string | null }>(
      await db.execute(sql`
        select t.name, t.gender, extract(year from age(t.birth_date))::int as age, t.stage, t.title_level as title, t.highest_education as education
        from teachers t join units u on u.id = t.unit_id where ${livingSchool}`),
    );
    expect(people.length).toBe(summary.teachers);
    const female = new Set<string>(femaleGivenNames);
    const male = new Set<string>(maleGivenNames);
    const mismatched = people.filter((p) => !(p.gender === '2' ? female : male).has(p.name.slice(1)));
    expect(mismatched).toEqual([]);
    expect(people.filter((p) => p.age < 22 || p.age > (p.gender === '2' ? 55 : 60))).toEqual([]);
    // No 正高级 or 高级 title before thirty; kindergartens are mostly women.
    expect(people.filter((p) => p.age < 30 && (p.title === '01' || p.title === '02'))).toEqual([]);
    const kindergarten = people.filter((p) => p.stage === 'kindergarten');
    expect(kindergarten.filter((p) => p.gender === '2').length / kindergarten.length).toBeGreaterThan(0.9);
    expect(people.filter((p) => p.education === null)).toEqual([]);
  });

  it('gives each role real work and real figures', async () => {
    const county = await getInbox(await demoActor('330106.manager'));
    const keys = county.map((group) => group.key);
    expect(county.find((group) => group.count > 0)).toBeDefined();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const school = await getInbox(await demoActor('2133060103.admin'));
    expect(school.reduce((sum, group) => sum + group.count, 0)).toBeGreaterThan(0);
    const city = await getDashboard(await demoActor('330100.manager'), parseStatFilters({}));
    expect(city.total).toBeGreaterThanOrEqual(summary.effective);
    expect(city.gender.length).toBe(2);

    expect(await scalar(sql`select count(distinct state) from record_additions where state in ('pending_school', 'pending_authority')`)).toBe(2);
    expect(await scalar(sql`select count(*) from change_requests where state in ('pending', 'pending_school')`)).toBe(summary.changeRequests);
    // Teachers' own requests wait at the school and, passed on, at the county.
    expect(await scalar(sql`select count(distinct state) from change_requests cr join accounts a on a.id = cr.filed_by where a.role = 'teacher'`)).toBe(2);
    expect(await scalar(sql`select count(distinct tr.state) from transfers tr join units u on u.id = tr.receiving_school_id where ${livingSchool}`)).toBe(6);
    expect(await scalar(sql`select count(distinct state) from rotations`)).toBeGreaterThanOrEqual(2);
    expect(await scalar(sql`select count(*) from training_credits tc join teachers t on t.id = tc.teacher_id join units u on u.id = t.unit_id where ${livingSchool}`)).toBeGreaterThan(1000);
    expect(await scalar(sql`select count(*) from training_submissions where state = 'submitted'`)).toBeGreaterThan(0);
  });
});
