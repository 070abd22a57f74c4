import 'server-only';
import { and, asc, desc, eq, inArray, like, lt, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb, type Executor } from '@/lib/db';
import { accounts, teacherEntries, teacherFieldChanges, teacherPhotos, teachers, units, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can } from '@/lib/auth/policy';
import { inJurisdiction, underUnit } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/service';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { resolveCatalogue, type EffectiveCatalogue } from '@/lib/indicators/settings';
import { maskIdNumber } from '@/lib/reference/id-number';
import { breakdownKeyOf, breakdownNames, isSchoolLevel, schoolTypesOfLevel, stageNames, type Stage } from '@/lib/reference/school-types';
import { checkCompleteness, type CompletenessProblem } from '@/lib/teachers/completeness';
import { getScopedTeacher } from '@/lib/teachers/service';
import { maskIdentityInDiff, mayViewFullIdNumber } from '@/lib/auth/personal-data';
import { additionFields, changeableFields, editableFields } from './record-rules';
import type { RecordState } from './schemas';
import { queryFieldOf, type QueryCondition } from '@/lib/statistics/query-builder';
import { idNumberHash, revealStoredIdNumber } from './identity';

export const teacherPageSize = 50;

export interface TeacherListFilters {
  q?: string;
  unitId?: number;
  stage?: string;
  gender?: string;
  personnelStatus?: string;
  state?: string;
  after?: number;
  /** The combined query's conditions on 基本信息 indicators. */
  conditions?: QueryCondition[];
}

export interface TeacherListRow {
  id: number;
  name: string;
  gender: string;
  birthDate: string;
  idNumberMasked: string;
  staffNumber: string | null;
  unitName: string;
  stageName: string;
  onEstablishment: boolean;
  personnelStatus: string | null;
  recordState: RecordState;
  hasPassword: boolean;
}

/** How a search box entry is read: an ID number, a staff number, or the start of a name. */
export function searchCondition(raw: string): SQL | null {
  const q = raw.trim();
  if (!q) return null;
  if (/^[0-9]{15,17}[0-9Xx]$/.test(q) || /^[A-Za-z][0-9A-Za-z]{7,}$/.test(q)) {
    // Exact search by ID number goes through its keyed hash: the number itself is stored encrypted.
    return sql`(${teachers.idNumberHash} = ${idNumberHash(q)} or ${teachers.staffNumber} = ${q})`;
  }
  if (/^[0-9A-Za-z-]+$/.test(q)) return eq(teachers.staffNumber, q);
  // Prefix match: Chinese names are 2–4 characters, too short for trigrams; the text_pattern_ops index serves it.
  return like(teachers.name, `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/** Jurisdiction plus the list filters, all in SQL; null when the chosen unit is out of reach. */
/** The list's filters as conditions on teachers, inside the actor's jurisdiction; null when the chosen unit is not in it. */
export async function teacherFilterConditions(db: Executor, actor: Actor, filters: TeacherListFilters): Promise<(SQL | undefined)[] | null> {
  let scope = { id: actor.unitId, path: actor.unitPath, tier: actor.unitTier as string };
  if (filters.unitId && filters.unitId !== actor.unitId) {
    const [unit] = await db.select({ id: units.id, path: units.path, tier: units.tier }).from(units).where(and(eq(units.id, filters.unitId), inJurisdiction(actor, units.path)));
    if (!unit) return null;
    scope = unit;
  }
  // The scope unit lies in the actor's jurisdiction (checked above), so its subtree is the filter.
  const conditions: (SQL | undefined)[] = [underUnit(scope, { unitId: teachers.unitId, unitPath: teachers.unitPath })];
  if (filters.q) conditions.push(searchCondition(filters.q) ?? undefined);
  // A 中小学校 level (小学, 初中, 高中, …) is its school types; a stage is the record's stage.
  if (isSchoolLevel(filters.stage)) conditions.push(inArray(teachers.schoolTypeCode, schoolTypesOfLevel(filters.stage)));
  else if (filters.stage) conditions.push(eq(teachers.stage, filters.stage));
  if (filters.gender) conditions.push(eq(teachers.gender, filters.gender));
  // Serving staff by default: those who left (3xx) only when asked for by their status (or under 已离开).
  conditions.push(filters.personnelStatus ? eq(teachers.personnelStatus, filters.personnelStatus) : sql`(${teachers.personnelStatus} is null or ${teachers.personnelStatus} not like '3%')`);
  if (filters.state === 'draft' || filters.state === 'submitted' || filters.state === 'effective') conditions.push(eq(teachers.recordState, filters.state));
  for (const condition of filters.conditions ?? []) conditions.push(conditionSql(condition));
  return conditions;
}

/** Fields copied out of the record into columns are queried there (indexes, types); the rest in the jsonb. */
const columnOf: Record<string, SQL> = {
  gender: sql`${teachers.gender}`,
  birthDate: sql`${teachers.birthDate}::text`,
  onEstablishment: sql`(case when ${teachers.onEstablishment} then '1' else '0' end)`,
  postCategory: sql`${teachers.postCategory}`,
  personnelStatus: sql`${teachers.personnelStatus}`,
  ethnicGroup: sql`${teachers.ethnicGroup}`,
  highestEducation: sql`${teachers.highestEducation}`,
  highestDegree: sql`${teachers.highestDegree}`,
  staffNumber: sql`${teachers.staffNumber}`,
};

/** Whether a condition is on a column (cheap to test on many rows) rather than on the record's jsonb. */
export function isColumnCondition(condition: QueryCondition): boolean {
  return condition.field in columnOf;
}

function conditionSql(condition: QueryCondition): SQL {
  const field = queryFieldOf(condition.field)!;
  const value = columnOf[field.key] ?? sql`(${teachers.record}->'basic'->>${field.key})`;
  if (condition.op === 'in') {
    const list = sql`array[${sql.join(condition.values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
    return field.type === 'codes' ? sql`(${teachers.record}->'basic'->${field.key}) ?| ${list}` : sql`${value} = any(${list})`;
  }
  if (condition.op === 'contains') return sql`${value} ilike ${`%${condition.values[0].replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
  const [from, to] = condition.values;
  const typed = field.type === 'number' ? sql`(${value})::numeric` : value;
  const bound = (v: string) => (field.type === 'number' ? sql`${v}::numeric` : sql`${v}`);
  return sql.join([from ? sql`${typed} >= ${bound(from)}` : sql`true`, to ? sql`${typed} <= ${bound(to)}` : sql`true`], sql` and `);
}

/** How many teachers match (the combined query shows the count before the list): a statistic, read where statistics are. */
export async function countTeachers(actor: Actor, filters: TeacherListFilters): Promise<number> {
  assertCan(actor, 'teacher.list');
  const db = await getStatisticsDb();
  const conditions = await teacherFilterConditions(db, actor, filters);
  if (!conditions) return 0;
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(teachers).where(and(...conditions));
  return row.n;
}

/**
 * The teacher list (seed 六(六)): jurisdiction first, filters in SQL, keyset pages of 50 by id, newest first. Read from the
 * primary (a teacher just registered is listed) unless the caller passes the statistics handle.
 */
export async function listTeachers(actor: Actor, filters: TeacherListFilters, from?: Executor): Promise<{ rows: TeacherListRow[]; hasMore: boolean }> {
  assertCan(actor, 'teacher.list');
  const db = from ?? (await getDb());
  const conditions = await teacherFilterConditions(db, actor, filters);
  if (!conditions) return { rows: [], hasMore: false };
  if (filters.after) conditions.push(lt(teachers.id, filters.after));
  // The page of ids first, from teachers alone; names, units and logins are joined for those 51 rows only. Joined before
  // the LIMIT, a common name prefix paid a unit and an account lookup for each of its thousands of matches.
  const page = await db
    .select({ id: teachers.id })
    .from(teachers)
    .where(and(...conditions))
    .orderBy(desc(teachers.id))
    .limit(teacherPageSize + 1);
  return teacherListPage(db, page.map((row) => row.id));
}

/**
 * One page of the list from its teacher ids, newest first (at most teacherPageSize + 1 of them: the
 * extra one says there is more): names, units and logins are joined for those rows only, and only
 * for teachers still `within` the given condition when there is one.
 */
export async function teacherListPage(db: Executor, ids: number[], within?: SQL): Promise<{ rows: TeacherListRow[]; hasMore: boolean; nextAfter?: number }> {
  if (!ids.length) return { rows: [], hasMore: false };
  const shown = ids.slice(0, teacherPageSize);
  const rows = await db
    .select({
      id: teachers.id,
      name: teachers.name,
      gender: teachers.gender,
      birthDate: teachers.birthDate,
      idNumberMasked: teachers.idNumberMasked,
      staffNumber: teachers.staffNumber,
      unitName: units.name,
      stage: teachers.stage,
      schoolTypeCode: teachers.schoolTypeCode,
      onEstablishment: teachers.onEstablishment,
      personnelStatus: teachers.personnelStatus,
      recordState: teachers.recordState,
      hasPassword: sql<boolean>`${accounts.passwordHash} is not null`,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .leftJoin(accounts, eq(accounts.id, teachers.accountId))
    .where(and(inArray(teachers.id, shown), within))
    .orderBy(desc(teachers.id));
  return {
    hasMore: ids.length > teacherPageSize,
    // The next page starts after the last id of this one, shown or not.
    nextAfter: ids.length > teacherPageSize ? shown.at(-1) : undefined,
    rows: rows.map(({ idNumberMasked, stage, schoolTypeCode, ...row }) => {
      const key = breakdownKeyOf(schoolTypeCode);
      return { ...row, idNumberMasked: idNumberMasked ?? '', stageName: key ? breakdownNames[key] : (stageNames[stage as Stage] ?? stage) };
    }),
  };
}

export interface EntryView {
  id: number;
  values: Record<string, StoredValue>;
  /** Written by the system from confirmed credits: read-only in forms (a change request corrects it). */
  locked?: boolean;
}

export interface TeacherRecordView {
  id: number;
  name: string;
  idNumberMasked: string;
  /** The full number for the teacher themself; staff reveal it through an audited action. */
  idNumberFull: string | null;
  mayReveal: boolean;
  unitName: string;
  unitCode: string;
  stage: Stage;
  stageName: string;
  recordState: RecordState;
  revision: number;
  record: StoredRecord;
  entries: Record<string, EntryView[]>;
  hasPhoto: boolean;
  catalogue: EffectiveCatalogue;
  /** Per subset: the field keys this actor may write now (drafts). */
  editable: Record<string, string[]>;
  /** Effective records, per subset: fields the actor may ask to change (school manager). */
  changeable: Record<string, string[]>;
  /** Effective records, per list subset: fields the actor may fill in a new entry (teacher or school). */
  addable: Record<string, string[]>;
  returnReason: string | null;
  effectiveVersion: number;
  updatedAt: Date;
  /** Drafts: what the completeness check would refuse today, so it can be fixed before reporting. */
  completeness: CompletenessProblem[] | null;
}

export async function getTeacherRecord(actor: Actor, teacherId: number): Promise<TeacherRecordView> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const [meta] = await db
    .select({ name: teachers.name, idNumberEnc: teachers.idNumberEnc, idNumberMasked: teachers.idNumberMasked, unitName: units.name, unitCode: units.code, updatedAt: teachers.updatedAt, returnReason: teachers.returnReason, effectiveVersion: teachers.effectiveVersion })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(eq(teachers.id, teacher.id));
  // Staff outside the teacher's school reading the whole record is a view the assessor wants to see.
  if (actor.role !== 'teacher' && actor.unitId !== teacher.unitId) {
    await recordAudit(db, actor, { action: 'teacher.view', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id });
  }
  const { settings } = await getProvinceSettings(teacher.provinceUnitId, db);
  const catalogue = resolveCatalogue(settings, teacher.stage);
  const entryRows = await db
    .select({ id: teacherEntries.id, subset: teacherEntries.subset, values: teacherEntries.values, origin: teacherEntries.origin })
    .from(teacherEntries)
    .where(eq(teacherEntries.teacherId, teacher.id))
    .orderBy(asc(teacherEntries.id));
  const entries: Record<string, EntryView[]> = {};
  for (const row of entryRows) (entries[row.subset] ??= []).push({ id: row.id, values: row.values, ...(row.origin ? { locked: true } : {}) });
  for (const subset of catalogue.subsets) {
    const list = entries[subset.key];
    if (list && subset.sortField) list.sort((a, b) => String(b.values[subset.sortField!] ?? '').localeCompare(String(a.values[subset.sortField!] ?? '')));
  }
  const [photo] = await db.select({ size: teacherPhotos.byteSize }).from(teacherPhotos).where(eq(teacherPhotos.teacherId, teacher.id));
  const editable: Record<string, string[]> = {};
  const changeable: Record<string, string[]> = {};
  const addable: Record<string, string[]> = {};
  for (const subset of catalogue.subsets) {
    editable[subset.key] = [...editableFields(actor, teacher, subset, catalogue)];
    changeable[subset.key] = changeableFields(actor, teacher, subset, catalogue.selfFillable);
    addable[subset.key] = teacher.recordState === 'effective' && subset.multi && can(actor, 'record.addInfo') ? additionFields(actor, teacher, subset, catalogue.selfFillable).map((field) => field.key) : [];
  }
  const own = actor.role === 'teacher';
  return {
    id: teacher.id,
    name: meta.name,
    idNumberMasked: meta.idNumberMasked ?? '',
    idNumberFull: own && meta.idNumberEnc ? revealStoredIdNumber(meta.idNumberEnc) : null,
    mayReveal: !own && mayViewFullIdNumber(actor, teacher),
    unitName: meta.unitName,
    unitCode: meta.unitCode,
    stage: teacher.stage,
    stageName: stageNames[teacher.stage] ?? teacher.stage,
    recordState: teacher.recordState,
    revision: teacher.revision,
    record: maskStoredRecord(teacher.record, own),
    entries,
    hasPhoto: Boolean(photo),
    catalogue,
    editable,
    changeable,
    addable,
    returnReason: meta.returnReason,
    effectiveVersion: meta.effectiveVersion,
    updatedAt: meta.updatedAt,
    completeness:
      teacher.recordState === 'draft'
        ? checkCompleteness(catalogue, teacher.record, Object.fromEntries(Object.entries(entries).map(([subset, list]) => [subset, list.map((entry) => entry.values)])))
        : null,
  };
}

/** The record carries the ID number in 基本信息; it leaves the server masked unless it is the teacher's own. */
/** The record's copy of the ID number, masked unless the one full-ID rule allows it. */
export function maskStoredRecord(record: StoredRecord, own: boolean): StoredRecord {
  const basic = record[basicSubsetKey];
  if (own || !basic || typeof basic.idNumber !== 'string') return record;
  return { ...record, [basicSubsetKey]: { ...basic, idNumber: maskIdNumber(basic.idNumber) } };
}

export interface FieldChangeRow {
  id: number;
  subset: string;
  entryId: number | null;
  field: string;
  oldValue: StoredValue | null;
  newValue: StoredValue | null;
  accountName: string | null;
  source: string;
  changedAt: Date;
}

export async function listFieldChanges(actor: Actor, teacherId: number, limit = 100): Promise<FieldChangeRow[]> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const rows = await db
    .select({
      id: teacherFieldChanges.id,
      subset: teacherFieldChanges.subset,
      entryId: teacherFieldChanges.entryId,
      field: teacherFieldChanges.field,
      oldValue: teacherFieldChanges.oldValue,
      newValue: teacherFieldChanges.newValue,
      accountName: teacherFieldChanges.accountName,
      source: teacherFieldChanges.source,
      changedAt: teacherFieldChanges.changedAt,
    })
    .from(teacherFieldChanges)
    .where(eq(teacherFieldChanges.teacherId, teacher.id))
    .orderBy(desc(teacherFieldChanges.id))
    .limit(limit);
  return maskIdentityInDiff(rows);
}

export async function readPhoto(actor: Actor, teacherId: number): Promise<Buffer | null> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const [photo] = await db.select({ content: teacherPhotos.content }).from(teacherPhotos).where(eq(teacherPhotos.teacherId, teacher.id));
  return photo?.content ?? null;
}

/** The teacher's own record id, for /me. */
export async function getOwnTeacherId(actor: Actor): Promise<number | null> {
  if (actor.role !== 'teacher') return null;
  const db = await getDb();
  const [row] = await db.select({ id: teachers.id }).from(teachers).where(eq(teachers.accountId, actor.accountId));
  return row?.id ?? null;
}

/** Units the list can be narrowed to: the actor's own and its direct subordinates. */
export async function listFilterUnits(actor: Actor): Promise<{ id: number; name: string }[]> {
  if (!can(actor, 'teacher.list')) throw new NotFoundError();
  const db = await getDb();
  const rows = await db
    .select({ id: units.id, name: units.name, code: units.code })
    .from(units)
    .where(and(eq(units.parentId, actor.unitId), inArray(units.kind, ['authority', 'school'])))
    .orderBy(asc(units.kind), asc(units.code))
    .limit(500);
  return [{ id: actor.unitId, name: `${actor.unitName}（全部）` }, ...rows.map((row) => ({ id: row.id, name: row.name }))];
}

/** Teachers of the actor's school whose login has no password yet (created by import). */
export async function countTeachersWithoutPassword(actor: Actor): Promise<number> {
  assertCan(actor, 'teacher.create');
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(teachers)
    .innerJoin(accounts, eq(accounts.id, teachers.accountId))
    .where(and(eq(teachers.unitId, actor.unitId), sql`${accounts.passwordHash} is null`));
  return row.n;
}
