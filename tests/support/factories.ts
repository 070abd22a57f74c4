import { and, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { createTeacher } from '@/lib/teachers/registration/service';
import { saveEntry, saveSection } from '@/lib/teachers/editing/service';
import { loginNameFor, revealStoredIdNumber } from '@/lib/teachers/identity';
import { approveRecords, submitRecords } from '@/lib/collection/review/service';
import { approveRecordsSchema } from '@/lib/collection/schemas';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, statParts, teachers, units } from '@/lib/db/schema';
import { rollupTotalsOf } from '@/lib/units/queries';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { loadSessionAccount } from '@/lib/auth/queries';
import { schoolTypes } from '@/lib/reference/school-types';
import { idCheckCharacter } from '@/lib/reference/id-number';
import type { CreateTeacherInput } from '@/lib/teachers/schemas';
import { insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import type { TeacherListFilters } from '@/lib/teachers/queries';
import { requestTeacherExport, runTeacherExport } from '@/lib/teacher-export/service';
import { getExportJob, openExportFile } from '@/lib/teacher-export/queries';

let sequence = 100000 + Math.floor(Math.random() * 800000);

/** A fresh school code in the given province, unique within this run. */
export function nextSchoolCode(provincePrefix: string, typeClass = '21'): string {
  sequence += 1;
  return `${typeClass}${provincePrefix}${String(sequence).padStart(6, '0')}`;
}

export async function getUnitByCode(code: string) {
  const db = await getDb();
  const [unit] = await db.select().from(units).where(eq(units.code, code));
  if (!unit) throw new Error(`no unit ${code}`);
  return unit;
}

/** A school under the authority with the given code, with its default accounts. */
export async function seedSchool(options: { authorityCode: string; divisionCode?: string; typeCode?: string; name?: string }) {
  const db = await getDb();
  const authority = await getUnitByCode(options.authorityCode);
  const typeCode = options.typeCode ?? '211';
  const divisionCode = options.divisionCode ?? authority.divisionCode!;
  const code = nextSchoolCode(divisionCode.slice(0, 2), typeCode.slice(0, 2));
  const [created] = await db.transaction((tx) =>
    insertUnitsWithDefaultAccounts(tx, [
      {
        code,
        name: options.name ?? `测试学校${code}`,
        kind: 'school',
        tier: 'school',
        parentId: authority.id,
        parentPath: authority.path,
        divisionCode,
        schoolTypeCode: typeCode,
        stage: schoolTypes.get(typeCode)!.stage,
        ownership: 'public',
      },
    ]),
  );
  return created;
}

/** Gives an account a known password (no forced change) and answers it as an actor. */
export async function actorFor(username: string, password = 'Test@2026pw'): Promise<Actor> {
  const db = await getDb();
  const [account] = await db
    .update(accounts)
    .set({ passwordHash: await hashPassword(password), mustChangePassword: false, status: 'active' })
    .where(eq(accounts.username, loginNameFor(username)))
    .returning({ id: accounts.id });
  if (!account) throw new Error(`no account ${username}`);
  const session = await loadSessionAccount(account.id, '127.0.0.1');
  return session!.actor;
}

export async function getAccount(username: string) {
  const db = await getDb();
  const [account] = await db.select().from(accounts).where(eq(accounts.username, loginNameFor(username)));
  return account;
}

let idSequence = Math.floor(Math.random() * 400);

/** A valid resident ID number (GB 11643) for the region, birth date and gender, unique within this run. */
export function makeIdNumber(options: { region?: string; birthDate?: string; gender?: '1' | '2' } = {}): string {
  const region = options.region ?? '330106';
  const birth = (options.birthDate ?? '1985-03-15').replaceAll('-', '');
  idSequence += 1;
  // Each vitest worker draws from its own 50 sequences, so files running side by side never make the same
  // number for the same birth date. Third sequence digit: odd for men, even for women.
  const worker = Number(process.env.VITEST_POOL_ID ?? 1) % 10;
  const base = (worker * 50 + (idSequence % 50)) * 2 + (options.gender === '1' ? 1 : 0);
  const first17 = `${region}${birth}${String(base % 1000).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

export function registration(overrides: Partial<CreateTeacherInput> = {}): CreateTeacherInput {
  const gender = overrides.gender ?? '2';
  const birthDate = overrides.birthDate ?? randomBirthDate();
  return {
    name: '测试教师',
    gender,
    birthDate,
    idType: '1',
    idNumber: makeIdNumber({ gender, birthDate }),
    onEstablishment: '1',
    contractOneYearOrMore: '',
    postCategory: '1',
    ...overrides,
  };
}

function randomBirthDate(): string {
  const year = 1965 + Math.floor(Math.random() * 35);
  const month = 1 + Math.floor(Math.random() * 12);
  const day = 1 + Math.floor(Math.random() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ---- A school with staff, and teachers whose records pass the completeness check ----

export const completeBasic = {
  nationality: '156', ethnicGroup: '01', politicalStatus: ['13'], healthStatus: '1', workStartDate: '2008-08', joinSchoolDate: '2010-09',
  staffSource: '01', staffCategory: '01', contractStatus: '02', personnelStatus: '100',
};
export const educationEntry = { educationLevel: '21', country: '156', institution: '浙江师范大学', entryMonth: '2004-09', graduationMonth: '2008-07' };
export const postEntry = { postCategory: '1', postGrade: '10', startMonth: '2015-09' };

export interface SchoolFixture {
  school: { id: number; code: string; path: string };
  sysadmin: Actor;
  manager: Actor;
}

export async function school(authorityCode: string): Promise<SchoolFixture> {
  const created = await seedSchool({ authorityCode });
  return { school: created, sysadmin: await actorFor(`${created.code}.admin`), manager: await actorFor(`${created.code}.manager`) };
}

/** Registers a teacher; `complete` fills everything the completeness check wants. */
export async function teacherIn(fixture: SchoolFixture, options: { complete: boolean; name?: string } & Partial<CreateTeacherInput> = { complete: true }): Promise<number> {
  const { complete: _complete, ...overrides } = options;
  const { teacherId } = await createTeacher(fixture.sysadmin, registration({ ...overrides, name: options.name ?? '测试教师' }));
  const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
  await saveSection(fixture.manager, { teacherId, revision: row.revision, subset: 'basic', values: completeBasic });
  await saveSection(fixture.manager, { teacherId, revision: row.revision + 1, subset: 'contact', values: { mobile: '13800138000' } });
  await saveEntry(fixture.manager, { teacherId, subset: 'education', values: educationEntry });
  if (options.complete) await saveEntry(fixture.manager, { teacherId, subset: 'post', values: postEntry });
  return teacherId;
}

/** A teacher whose record is effective: complete, reported by the school, approved by its county. */
export async function effectiveTeacher(fixture: SchoolFixture, countyCode: string, name = '调动教师', overrides: Partial<CreateTeacherInput> = {}): Promise<{ teacherId: number; idNumber: string; name: string }> {
  const teacherId = await teacherIn(fixture, { complete: true, name, ...overrides });
  await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
  await approveRecords(await actorFor(`${countyCode}.manager`), approveRecordsSchema.parse({ teacherIds: [teacherId] }));
  const db = await getDb();
  const [row] = await db.select({ enc: teachers.idNumberEnc }).from(teachers).where(eq(teachers.id, teacherId));
  return { teacherId, idNumber: revealStoredIdNumber(row.enc!), name };
}

export async function rollup(unitId: number) {
  return (await rollupTotalsOf(await getDb(), [unitId])).get(unitId)!;
}

/** unit_rollups and stat_counts of a subtree against a count from the base tables. */
export async function expectTotalsMatchRecount(unitCode: string) {
  const db = await getDb();
  const unit = await getUnitByCode(unitCode);
  const [counted] = rowsOf<{ teachers: number; effective: number; complete: number }>(
    await db.execute(sql`select count(*)::int as teachers, count(*) filter (where record_state = 'effective')::int as effective, count(*) filter (where complete)::int as complete from teachers where unit_path <@ ${unit.path}::ltree and coalesce(personnel_status, '') not like '3%'`),
  );
  const totals = await rollup(unit.id);
  expect({ teachers: totals?.teachers ?? 0, effective: totals?.recordsEffective ?? 0, complete: totals?.recordsComplete ?? 0 }).toEqual(counted);
  const [stat] = await db.select({ n: sql<number>`coalesce(sum(${statParts.n}), 0)::int` }).from(statParts).where(and(eq(statParts.unitId, unit.id), eq(statParts.dim, 'total'), eq(statParts.serving, true)));
  expect(stat.n).toBe(counted.teachers);
}

/** An export as the worker makes it, run here in the test's process: the file's bytes and counts. */
export async function exportTeachersNow(actor: Actor, filters: TeacherListFilters, subsets: string[], options: { official?: boolean; reveal?: { purpose: string } } = {}) {
  const { jobId } = await requestTeacherExport(actor, { filters, subsets, ...options });
  await runTeacherExport(jobId);
  const job = await getExportJob(actor, jobId);
  if (job.status !== 'done') throw new Error(`export ${job.status}: ${job.message}`);
  const file = await openExportFile(actor, jobId);
  const pieces: Buffer[] = [];
  for await (const piece of file.pieces) pieces.push(piece);
  return { jobId, content: Buffer.concat(pieces), rows: job.rows!, unmasked: job.unmasked! };
}

/**
 * The header's counts (one statement) against each source's own list, up to the badge's cap, and the inbox page's groups
 * against both: a count and a list that filter differently would show a number with nothing behind it.
 */
export async function expectBadgeCountsTheInbox(actor: Actor) {
  const { badgeCountCap } = await import('@/lib/inbox/registry');
  const { getInbox, inboxCounts, inboxSources } = await import('@/lib/inbox/queries');
  const counted = await inboxCounts(actor);
  for (const source of inboxSources.filter((candidate) => candidate.applies(actor))) {
    expect({ key: source.key, n: counted.get(source.key) }).toEqual({ key: source.key, n: (await source.load(actor, badgeCountCap)).length });
  }
  const listed = new Map((await getInbox(actor)).map((group) => [group.key, group.count]));
  for (const [key, n] of counted) expect({ key, n }).toEqual({ key, n: listed.get(key) ?? 0 });
}
