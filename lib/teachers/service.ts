import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor } from '@/lib/db';
import { teacherEntries, teachers, units, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { inJurisdiction } from '@/lib/auth/scope';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { resolveCatalogue, type EffectiveCatalogue } from '@/lib/indicators/settings';
import type { Stage } from '@/lib/reference/school-types';
import { applyRollupDeltas } from '@/lib/units/service';
import { deriveHighest } from '@/lib/teachers/derive';
import { completenessChecker, type CompletenessProblem } from '@/lib/teachers/completeness';
import type { ScopedTeacher } from '@/lib/teachers/schemas';
export type { ScopedTeacher };

export type ChangeSource = 'form' | 'self' | 'import' | 'system';

/** Who a change is recorded against: an actor, or the system itself (seeding) with a null account. */
export interface ChangeAuthor {
  accountId: number | null;
  displayName: string;
  unitPath: string;
}

export interface SchoolTarget {
  id: number;
  code: string;
  name: string;
  path: string;
  stage: Stage;
  schoolTypeCode: string | null;
  ownership: string | null;
  provinceUnitId: number | null;
}

/** The actor's own school, active, for the school-level verbs (create, import). */
export async function getActorSchool(executor: Executor, actor: Actor): Promise<SchoolTarget> {
  return getSchoolTarget(executor, actor.unitId);
}

export async function getSchoolTarget(executor: Executor, unitId: number): Promise<SchoolTarget> {
  const [school] = await executor
    .select({ id: units.id, code: units.code, name: units.name, path: units.path, stage: units.stage, kind: units.kind, status: units.status, schoolTypeCode: units.schoolTypeCode, ownership: units.ownership })
    .from(units)
    .where(eq(units.id, unitId));
  if (!school || school.kind !== 'school' || school.status !== 'active' || !school.stage) throw new ForbiddenError('只有学校账号可以登记本校教师');
  return {
    id: school.id,
    code: school.code,
    name: school.name,
    path: school.path,
    stage: school.stage as Stage,
    schoolTypeCode: school.schoolTypeCode,
    ownership: school.ownership,
    provinceUnitId: await provinceOf(executor, school.path),
  };
}

async function provinceOf(executor: Executor, path: string): Promise<number | null> {
  const ids = path.split('.').map(Number);
  const [row] = await executor.select({ id: units.id }).from(units).where(and(inArray(units.id, ids), eq(units.tier, 'province')));
  return row?.id ?? null;
}

/** The columns lists and statistics filter on, copied from 基本信息. */
export function extractedColumns(basic: Record<string, StoredValue>) {
  const text = (key: string) => (typeof basic[key] === 'string' && basic[key] !== '' ? (basic[key] as string) : null);
  return {
    idType: text('idType')!,
    name: text('name')!,
    gender: text('gender')!,
    birthDate: text('birthDate')!,
    staffNumber: text('staffNumber'),
    onEstablishment: basic.onEstablishment === '1',
    postCategory: text('postCategory'),
    personnelStatus: text('personnelStatus'),
    ethnicGroup: text('ethnicGroup'),
    highestEducation: text('highestEducation'),
    highestDegree: text('highestDegree'),
  };
}

/** A teacher the actor may see: staff within their jurisdiction, a teacher only their own record. */
export async function getScopedTeacher(executor: Executor, actor: Actor, teacherId: number): Promise<ScopedTeacher> {
  const scope = actor.role === 'teacher' ? eq(teachers.accountId, actor.accountId) : inJurisdiction(actor, teachers.unitPath);
  if (actor.role === 'institution' || actor.role === 'auditor') throw new NotFoundError();
  const [row] = await executor
    .select({
      id: teachers.id,
      unitId: teachers.unitId,
      unitPath: teachers.unitPath,
      unitParentId: units.parentId,
      provinceUnitId: teachers.provinceUnitId,
      stage: teachers.stage,
      accountId: teachers.accountId,
      recordState: teachers.recordState,
      revision: teachers.revision,
      record: teachers.record,
      transferOpen: sql<boolean>`exists (select 1 from transfers tr where tr.teacher_id = "teachers"."id" and tr.state not in ('completed', 'rejected', 'withdrawn'))`,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(and(eq(teachers.id, teacherId), scope));
  if (!row) throw new NotFoundError('教师不存在或不在您的管辖范围内');
  return { ...row, stage: row.stage as Stage };
}

export async function catalogueFor(teacher: Pick<ScopedTeacher, 'provinceUnitId' | 'stage'>, executor?: Executor): Promise<EffectiveCatalogue> {
  const { settings } = await getProvinceSettings(teacher.provinceUnitId, executor);
  return resolveCatalogue(settings, teacher.stage);
}

/** 最高学历/学位 from the 学习经历 entries: the columns and the record's 基本信息 to write. */
export async function derivedEducation(tx: Executor, teacherId: number, record: StoredRecord): Promise<Partial<typeof teachers.$inferInsert>> {
  const entries = await tx.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'education')));
  const highest = deriveHighest(entries.map((e) => e.values));
  const basic = { ...(record[basicSubsetKey] ?? {}) };
  for (const [key, value] of Object.entries(highest)) {
    if (value) basic[key] = value;
    else delete basic[key];
  }
  return { record: { ...record, [basicSubsetKey]: basic }, highestEducation: highest.highestEducation || null, highestDegree: highest.highestDegree || null };
}

/**
 * After an approved change to the entries of an effective record: what the system derives from them
 * (最高学历/学位 from 学习经历, the title level from 专业技术职务聘任) follows.
 */
export async function refreshDerivedFromEntries(tx: Executor, teacherId: number, subset: string): Promise<void> {
  if (subset === 'title') await refreshTitleLevels(tx, [teacherId]);
  if (subset !== 'education') return;
  const [teacher] = await tx.select({ record: teachers.record }).from(teachers).where(eq(teachers.id, teacherId));
  await tx.update(teachers).set(await derivedEducation(tx, teacherId, teacher.record)).where(eq(teachers.id, teacherId));
}

/** The best 聘任专业技术职务 of each teacher (code 01 ranks highest), kept as a column for statistics. */
export async function refreshTitleLevels(tx: Executor, teacherIds: number[]): Promise<void> {
  for (let start = 0; start < teacherIds.length; start += 5000) {
    const ids = teacherIds.slice(start, start + 5000);
    await tx.execute(sql`
      update teachers t set title_level = e.level
      from (select id, (select min(values->>'title') from teacher_entries where teacher_id = t2.id and subset = 'title') as level from teachers t2 where t2.id in (${sql.join(ids.map((id) => sql`${id}::int`), sql`, `)})) e
      where t.id = e.id and t.title_level is distinct from e.level`);
  }
}

export interface CompletenessResult {
  teacherId: number;
  problems: CompletenessProblem[];
}

/**
 * Runs the completeness check on draft records and keeps `teachers.complete` and the progress rollups
 * in step, in the caller's transaction (every edit, import and report calls it).
 */
export async function refreshCompleteness(tx: Executor, teacherIds: number[]): Promise<CompletenessResult[]> {
  const results: CompletenessResult[] = [];
  const checkers = new Map<string, ReturnType<typeof completenessChecker>>();
  for (let start = 0; start < teacherIds.length; start += 2000) {
    const ids = teacherIds.slice(start, start + 2000);
    const rows = await tx
      .select({ id: teachers.id, unitPath: teachers.unitPath, provinceUnitId: teachers.provinceUnitId, stage: teachers.stage, record: teachers.record, complete: teachers.complete })
      .from(teachers)
      .where(and(inArray(teachers.id, ids), eq(teachers.recordState, 'draft')));
    if (rows.length === 0) continue;
    const entries = new Map<number, Record<string, Record<string, StoredValue>[]>>();
    for (const entry of await tx.select({ teacherId: teacherEntries.teacherId, subset: teacherEntries.subset, values: teacherEntries.values }).from(teacherEntries).where(inArray(teacherEntries.teacherId, rows.map((r) => r.id))).orderBy(teacherEntries.id)) {
      const bySubset = entries.get(entry.teacherId) ?? {};
      (bySubset[entry.subset] ??= []).push(entry.values);
      entries.set(entry.teacherId, bySubset);
    }
    const nowComplete: number[] = [];
    const nowIncomplete: number[] = [];
    const deltas: { path: string; recordsComplete: number }[] = [];
    for (const row of rows) {
      const key = `${row.provinceUnitId}:${row.stage}`;
      let check = checkers.get(key);
      if (!check) checkers.set(key, (check = completenessChecker(await catalogueFor({ provinceUnitId: row.provinceUnitId, stage: row.stage as Stage }, tx))));
      const problems = check(row.record, entries.get(row.id) ?? {});
      results.push({ teacherId: row.id, problems });
      const complete = problems.length === 0;
      if (complete === row.complete) continue;
      (complete ? nowComplete : nowIncomplete).push(row.id);
      deltas.push({ path: row.unitPath, recordsComplete: complete ? 1 : -1 });
    }
    if (nowComplete.length) await tx.update(teachers).set({ complete: true }).where(and(inArray(teachers.id, nowComplete), eq(teachers.recordState, 'draft')));
    if (nowIncomplete.length) await tx.update(teachers).set({ complete: false }).where(and(inArray(teachers.id, nowIncomplete), eq(teachers.recordState, 'draft')));
    await applyRollupDeltas(tx, deltas);
  }
  return results;
}

/** Orders concurrent flows on one record (a transfer filed while an addition is filed): the later waits. */
export async function lockTeacher(tx: Executor, teacherId: number): Promise<void> {
  await tx.execute(sql`select id from teachers where id = ${teacherId} for update`);
}
