import 'server-only';
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { accounts, teacherEntries, teacherFieldChanges, teacherPhotos, teachers, units, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { generateInitialPassword, hashPassword } from '@/lib/auth/password';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { setIssuedPasswords, type IssuedCredential } from '@/lib/accounts/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { buildSubsetSchema, compactValues, type RecordValues } from '@/lib/indicators/form-schema';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { resolveCatalogue, type EffectiveCatalogue, type EffectiveSubset } from '@/lib/indicators/settings';
import { maskIdNumber } from '@/lib/reference/id-number';
import type { Stage } from '@/lib/reference/school-types';
import { applyRollupDeltas } from '@/lib/units/service';
import { birthDateFromId, deriveHighest } from './derive';
import { codeTables, type CodeTableKey } from '@/lib/indicators/code-tables';
import { readTable } from '@/lib/spreadsheet/read-table';
import { completenessChecker, type CompletenessProblem } from '@/lib/collection/completeness';
import { createTeacherSchema, maxPhotoBytes, maxRegistrationRows, registrationColumns, type RegistrationRowError, type CreateTeacherInput, type DeleteEntryInput, type SaveEntryInput, type SaveSectionInput, type TeacherIdInput } from './schemas';
import { mayViewFullIdNumber } from '@/lib/auth/personal-data';
import { idNumberHash, revealStoredIdNumber, storeIdNumber, teacherLoginName } from './identity';
import { activeKeyId, decryptText, encryptText, textKeyIdOf } from '@/lib/crypto/envelope';

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

export interface Registration {
  registration: CreateTeacherInput;
  /** Further single-subset values (the import fills the whole 基本信息). */
  record?: StoredRecord;
  passwordHash?: string | null;
}

export interface RegisteredTeacher {
  teacherId: number;
  accountId: number;
  idNumber: string;
}

/**
 * Inserts teachers with their accounts (login by ID number, looked up through its keyed hash). The
 * unique hash decides races: a number already held anywhere makes the whole call fail with a
 * ConflictError. The ID number goes in encrypted; the record JSON keeps only its masked form.
 */
export async function insertTeachers(tx: Executor, actor: ChangeAuthor, school: SchoolTarget, rows: Registration[], source: ChangeSource): Promise<RegisteredTeacher[]> {
  if (rows.length === 0) return [];
  const created: RegisteredTeacher[] = [];
  const chunk = 1000;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk).map((row) => ({ ...row, stored: storeIdNumber(row.registration.idNumber) }));
    const byHash = new Map(slice.map((row) => [row.stored.idNumberHash, row]));
    const heldOne = (taken: Set<string>) => slice.find((row) => !taken.has(row.stored.idNumberHash))!.registration.idNumber;
    // The login is created first; the unique user name and the unique ID number hash both refuse a second
    // registration. Rows travel as one jsonb parameter: thousands of bound values cost more than the insert.
    const accountRows = slice.map(({ registration: r, passwordHash, stored }) => ({ username: teacherLoginName(r.idNumber), hash: stored.idNumberHash, display_name: r.name, password_hash: passwordHash ?? null }));
    const insertedAccounts = rowsOf<{ id: number; hash: string }>(
      await tx.execute(sql`
        insert into accounts (username, unit_id, role, display_name, password_hash, must_change_password, password_issued_at)
        select r.username, ${school.id}, 'teacher', r.display_name, r.password_hash, true, case when r.password_hash is null then null else now() end
        from jsonb_to_recordset(${JSON.stringify(accountRows)}::jsonb) as r(username text, hash text, display_name text, password_hash text)
        on conflict (username) do nothing
        returning id, substr(username, 4) as hash`),
    );
    if (insertedAccounts.length !== slice.length) throw await duplicateRegistrationError(tx, actor, heldOne(new Set(insertedAccounts.map((row) => row.hash))));
    const accountOf = new Map(insertedAccounts.map((row) => [row.hash, Number(row.id)]));
    const teacherRows = slice.map(({ registration: r, record, stored }) => {
      const basic = { ...(record?.[basicSubsetKey] ?? {}), ...registrationValues(r, stored.idNumberMasked) };
      const columns = extractedColumns(basic);
      return {
        account_id: accountOf.get(stored.idNumberHash)!,
        id_type: columns.idType,
        id_number_hash: stored.idNumberHash,
        id_number_enc: stored.idNumberEnc,
        id_number_masked: stored.idNumberMasked,
        name: columns.name,
        gender: columns.gender,
        birth_date: columns.birthDate,
        staff_number: columns.staffNumber,
        on_establishment: columns.onEstablishment,
        post_category: columns.postCategory,
        personnel_status: columns.personnelStatus,
        ethnic_group: columns.ethnicGroup,
        highest_education: columns.highestEducation,
        highest_degree: columns.highestDegree,
        record: { ...(record ?? {}), [basicSubsetKey]: basic },
      };
    });
    const inserted = rowsOf<{ id: number; id_number_hash: string }>(
      await tx.execute(sql`
        insert into teachers (unit_id, unit_path, province_unit_id, stage, school_type_code, ownership, created_by, account_id, id_type, id_number_hash, id_number_enc,
          id_number_masked, name, gender, birth_date, staff_number, on_establishment, post_category, personnel_status, ethnic_group, highest_education, highest_degree, record)
        select ${school.id}, ${school.path}::ltree, ${school.provinceUnitId}::int, ${school.stage}, ${school.schoolTypeCode}::varchar, ${school.ownership}::varchar, ${actor.accountId}::int,
          r.account_id, r.id_type, r.id_number_hash, r.id_number_enc, r.id_number_masked, r.name, r.gender, r.birth_date, r.staff_number, r.on_establishment, r.post_category,
          r.personnel_status, r.ethnic_group, r.highest_education, r.highest_degree, r.record
        from jsonb_to_recordset(${JSON.stringify(teacherRows)}::jsonb) as r(account_id int, id_type text, id_number_hash text, id_number_enc text, id_number_masked text,
          name text, gender text, birth_date date, staff_number text, on_establishment boolean, post_category text, personnel_status text, ethnic_group text,
          highest_education text, highest_degree text, record jsonb)
        on conflict (id_number_hash) do nothing
        returning id, id_number_hash`),
    );
    if (inserted.length !== slice.length) throw await duplicateRegistrationError(tx, actor, heldOne(new Set(inserted.map((row) => row.id_number_hash))));
    await tx.execute(sql`
      insert into teacher_field_changes (teacher_id, subset, field, old_value, new_value, account_id, account_name, source)
      select x.id, ${basicSubsetKey}, '*', null, '"created"'::jsonb, ${actor.accountId}::int, ${actor.displayName}, ${source}
      from unnest(string_to_array(${inserted.map((row) => Number(row.id)).join(',')}, ',')::int[]) as x(id)`);
    for (const row of inserted) {
      const registered = byHash.get(row.id_number_hash)!;
      created.push({ teacherId: Number(row.id), accountId: accountOf.get(row.id_number_hash)!, idNumber: registered.registration.idNumber });
    }
  }
  await applyRollupDeltas(tx, [{ path: school.path, teachers: rows.length, accounts: rows.length }]);
  return created;
}

/** 基本信息 from the registration; the ID number only masked (the teacher row keeps it encrypted). */
function registrationValues(r: CreateTeacherInput, idNumberMasked: string): Record<string, StoredValue> {
  return compactValues({
    name: r.name,
    gender: r.gender,
    birthDate: r.birthDate,
    idType: r.idType,
    idNumber: idNumberMasked,
    onEstablishment: r.onEstablishment,
    contractOneYearOrMore: r.contractOneYearOrMore,
    postCategory: r.postCategory,
  });
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

/** Registration refused because the ID number is held: audited outside the rolled-back transaction. */
export class RegistrationConflictError extends ConflictError {}

/**
 * "Already registered" must not become a way to test whether an ID number belongs to a teacher: the
 * holding school is named only when it lies in the actor's own jurisdiction; otherwise the answer says
 * no more than that the number cannot be registered again. Every conflict is audited, and an account
 * that runs into too many within an hour is stopped (registrationConflictBudget).
 */
export async function duplicateRegistrationError(executor: Executor, actor: ChangeAuthor, idNumber: string): Promise<RegistrationConflictError> {
  const [holder] = await executor
    .select({ unitName: units.name, unitPath: units.path })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(and(eq(teachers.idNumberHash, idNumberHash(idNumber)), sql`${teachers.unitPath} <@ ${actor.unitPath}::ltree`));
  const masked = maskIdNumber(idNumber);
  const message = holder
    ? `证件号码 ${masked} 的教师已在“${holder.unitName}”登记，全国只能登记一次。`
    : `证件号码 ${masked} 无法登记：全国每个证件号码只能登记一次。如该教师从其他单位调入，请通过“教师调动”办理；如有疑问，请联系主管教育行政部门核实。`;
  return new RegistrationConflictError(message, { idNumber: [holder ? '该证件号码已在本单位登记' : '该证件号码无法登记'] });
}

/** Conflicts one account may run into per hour before registration stops for it. */
export const registrationConflictBudget = 30;

/** Audits registration conflicts, outside any transaction (the registration itself rolled back). */
export async function recordRegistrationConflicts(actor: Actor, idNumbers: string[]): Promise<void> {
  if (idNumbers.length === 0) return;
  const db = await getDb();
  await recordAudit(db, actor, { action: 'teacher.register.conflict', detail: { count: idNumbers.length, idNumbers: idNumbers.slice(0, 20).map(maskIdNumber) } });
}

async function conflictsThisHour(actor: Actor): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select coalesce(sum(coalesce((detail->>'count')::int, 1)), 0)::int as n from audit_log
      where action = 'teacher.register.conflict' and actor_account_id = ${actor.accountId} and occurred_at > now() - interval '1 hour'`),
  );
  return row.n;
}

/**
 * A file answers row by row which numbers are held only while the hourly budget lasts; a file with
 * more held numbers than the budget has left is refused whole, without saying which they are.
 */
export async function assertConflictsWithinBudget(actor: Actor, heldIdNumbers: string[]): Promise<void> {
  if (heldIdNumbers.length === 0) return;
  const remaining = registrationConflictBudget - (await conflictsThisHour(actor));
  await recordRegistrationConflicts(actor, heldIdNumbers);
  if (heldIdNumbers.length > remaining) {
    throw new ForbiddenError(`文件中有 ${heldIdNumbers.length} 个证件号码无法登记，超过每小时 ${registrationConflictBudget} 次的登记冲突上限。为防止批量探测证件号码，本次不逐行列出；请核对名单，或联系主管教育行政部门。`);
  }
}

export async function assertConflictBudget(actor: Actor): Promise<void> {
  if ((await conflictsThisHour(actor)) >= registrationConflictBudget) {
    throw new ForbiddenError(`一小时内登记冲突已达 ${registrationConflictBudget} 次，为防止批量探测证件号码，本账号暂停登记 1 小时。如确有需要，请联系主管教育行政部门。`);
  }
}

export interface CreatedTeacher {
  teacherId: number;
  credential: IssuedCredential;
}

/** Seed 六(一): the school sysadmin registers a teacher and hands over the login with an initial password. */
export async function createTeacher(actor: Actor, input: CreateTeacherInput): Promise<CreatedTeacher> {
  assertCan(actor, 'teacher.create');
  await assertConflictBudget(actor);
  const db = await getDb();
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  return withConflictAudit(actor, [input.idNumber], () => db.transaction(async (tx) => {
    const school = await getActorSchool(tx, actor);
    const [created] = await insertTeachers(tx, actor, school, [{ registration: input, passwordHash }], 'form');
    await recordAudit(tx, actor, {
      action: 'teacher.create',
      targetType: 'teacher',
      targetId: created.teacherId,
      detail: { name: input.name, idNumber: maskIdNumber(input.idNumber) },
    });
    return {
      teacherId: created.teacherId,
      credential: { unitCode: school.code, unitName: school.name, username: input.idNumber, displayName: input.name, password },
    };
  }));
}

/** Runs a registration; a conflict raised inside its transaction is audited after the rollback. */
async function withConflictAudit<T>(actor: Actor, idNumbers: string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RegistrationConflictError) await recordRegistrationConflicts(actor, idNumbers.length === 1 ? idNumbers : []);
    throw error;
  }
}

/** Bulk registration from the 4-item sheet: all or nothing, initial passwords returned once. */
export async function createTeachers(actor: Actor, rows: CreateTeacherInput[]): Promise<IssuedCredential[]> {
  assertCan(actor, 'teacher.create');
  const db = await getDb();
  const passwords = rows.map(() => generateInitialPassword());
  const hashes = await hashInBatches(passwords);
  return withConflictAudit(actor, [], () => db.transaction(async (tx) => {
    const school = await getActorSchool(tx, actor);
    const created = await insertTeachers(tx, actor, school, rows.map((registration, i) => ({ registration, passwordHash: hashes[i] })), 'import');
    await recordAudit(
      tx,
      actor,
      ...created.map((row, i): AuditEntry => ({ action: 'teacher.create', targetType: 'teacher', targetId: row.teacherId, detail: { name: rows[i].name, idNumber: maskIdNumber(row.idNumber), bulk: true } })),
    );
    return rows.map((row, i) => ({ unitCode: school.code, unitName: school.name, username: row.idNumber, displayName: row.name, password: passwords[i] }));
  }));
}

async function hashInBatches(passwords: string[]): Promise<string[]> {
  const hashes: string[] = [];
  for (let start = 0; start < passwords.length; start += 8) hashes.push(...(await Promise.all(passwords.slice(start, start + 8).map(hashPassword))));
  return hashes;
}

/** Initial passwords for the school's teachers who have none yet (created by import), or for chosen ones. */
export async function issueTeacherCredentials(actor: Actor, input: { teacherIds?: number[]; limit: number }): Promise<IssuedCredential[]> {
  assertCan(actor, 'teacher.create');
  const db = await getDb();
  const school = await getActorSchool(db, actor);
  const targets = await db
    .select({ accountId: accounts.id, idNumberEnc: teachers.idNumberEnc, idNumberMasked: teachers.idNumberMasked, displayName: accounts.displayName })
    .from(teachers)
    .innerJoin(accounts, eq(accounts.id, teachers.accountId))
    .where(and(eq(teachers.unitId, school.id), input.teacherIds ? inArray(teachers.id, input.teacherIds) : isNull(accounts.passwordHash)))
    .orderBy(teachers.id)
    .limit(input.limit);
  if (input.teacherIds && targets.length !== new Set(input.teacherIds).size) throw new NotFoundError('所选教师不存在或不在本校');
  const passwords = targets.map(() => generateInitialPassword());
  const hashes = await hashInBatches(passwords);
  await db.transaction(async (tx) => {
    await setIssuedPasswords(tx, actor, targets.map((t, i) => ({ accountId: t.accountId, passwordHash: hashes[i] })));
    await recordAudit(
      tx,
      actor,
      ...targets.map((t): AuditEntry => ({ action: 'account.credentials.issue', targetType: 'account', targetId: t.accountId, detail: { username: t.idNumberMasked } })),
      { action: 'account.credentials.export', targetType: 'unit', targetId: actor.unitId, detail: { accounts: targets.length } },
    );
  });
  // The sheet names the login as the teacher types it: the ID number (the account name is its hash).
  return targets.map((t, i) => ({ unitCode: school.code, unitName: school.name, username: revealStoredIdNumber(t.idNumberEnc!), displayName: t.displayName, password: passwords[i] }));
}

export interface ScopedTeacher {
  id: number;
  unitId: number;
  unitPath: string;
  unitParentId: number | null;
  provinceUnitId: number | null;
  stage: Stage;
  accountId: number | null;
  recordState: 'draft' | 'submitted' | 'effective';
  revision: number;
  record: StoredRecord;
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

/** Which fields of a subset this actor may write on this record; an empty set means read-only. */
export function editableFields(actor: Actor, teacher: ScopedTeacher, subset: EffectiveSubset, catalogue: EffectiveCatalogue): Set<string> {
  if (teacher.recordState !== 'draft') return new Set();
  const inputFields = subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity);
  if (actor.role === 'teacher' && teacher.accountId === actor.accountId) {
    const self = new Set(catalogue.selfFillable);
    return new Set(inputFields.filter((field) => self.has(field.id)).map((field) => field.key));
  }
  if (can(actor, 'teacher.edit')) return new Set(inputFields.map((field) => field.key));
  return new Set();
}

function subsetOf(catalogue: EffectiveCatalogue, key: string): EffectiveSubset {
  const subset = catalogue.subsets.find((s) => s.key === key);
  if (!subset) throw new NotFoundError('信息集不存在或未被本省选用');
  return subset;
}

function validate(subset: EffectiveSubset, values: RecordValues, enforceRequired: boolean): RecordValues {
  const parsed = buildSubsetSchema(subset, { enforceRequired }).safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
    throw new ValidationError('请检查标出的内容', fieldErrors);
  }
  return compactValues(parsed.data);
}

/**
 * Writable fields take their validated value, or are cleared when left empty; every other stored value
 * stays as it was, including values of dropped indicators that the schema no longer knows.
 */
function mergeWritable(before: Record<string, StoredValue>, validated: RecordValues, editable: Set<string>): Record<string, StoredValue> {
  const after: Record<string, StoredValue> = {};
  for (const [key, value] of Object.entries(before)) if (!editable.has(key)) after[key] = value;
  for (const key of editable) if (key in validated) after[key] = validated[key];
  return after;
}

function changedFields(before: Record<string, StoredValue>, after: Record<string, StoredValue>): { field: string; oldValue: StoredValue | null; newValue: StoredValue | null }[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes = [];
  for (const key of keys) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes.push({ field: key, oldValue: before[key] ?? null, newValue: after[key] ?? null });
  }
  return changes;
}

function sourceOf(actor: Actor): ChangeSource {
  return actor.role === 'teacher' ? 'self' : 'form';
}

/**
 * Saves a single-entry subset (基本信息, 联系方式). Fields the actor may not write keep their stored
 * value; the merged record is validated whole, so cross-field rules see the real neighbours.
 */
export async function saveSection(actor: Actor, input: SaveSectionInput): Promise<{ revision: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const subset = subsetOf(catalogue, input.subset);
    if (subset.multi) throw new ValidationError('该信息集为多条记录，请逐条维护');
    const editable = editableFields(actor, teacher, subset, catalogue);
    if (editable.size === 0) throw new ForbiddenError(teacher.recordState === 'draft' ? '您不能修改该信息集' : '记录已报送或已生效，不能直接修改');
    const before = teacher.record[subset.key] ?? {};
    const merged: RecordValues = { ...before };
    // A field left out of the input is unchanged; an empty one is cleared.
    for (const key of editable) if (key in input.values) merged[key] = input.values[key];
    if (subset.key === basicSubsetKey) merged.birthDate = birthDateFromId(before.idType, before.idNumber) ?? before.birthDate ?? '';
    const after = mergeWritable(before, validate(subset, merged, false), editable);
    const changes = changedFields(before, after);
    if (changes.length === 0) return { revision: teacher.revision };
    const record = { ...teacher.record, [subset.key]: after };
    const [updated] = await tx
      .update(teachers)
      .set({ record, ...(subset.key === basicSubsetKey ? extractedColumns(after) : {}), revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
      .where(and(eq(teachers.id, teacher.id), eq(teachers.revision, input.revision), eq(teachers.recordState, 'draft')))
      .returning({ revision: teachers.revision });
    if (!updated) throw new ConflictError('该记录已被他人修改或已报送，请刷新页面后重试');
    await writeChanges(tx, actor, teacher.id, subset.key, null, changes);
    await refreshCompleteness(tx, [teacher.id]);
    return { revision: updated.revision };
  });
}

async function writeChanges(tx: Executor, actor: Actor, teacherId: number, subset: string, entryId: number | null, changes: ReturnType<typeof changedFields>): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(teacherFieldChanges).values(
    changes.map((change) => ({ teacherId, subset, entryId, field: change.field, oldValue: change.oldValue, newValue: change.newValue, accountId: actor.accountId, accountName: actor.displayName, source: sourceOf(actor) })),
  );
}

/** Marks the record as edited (it must still be a draft); a race with a submit loses here. */
async function touchDraft(tx: Executor, teacherId: number, extra: Partial<typeof teachers.$inferInsert> = {}): Promise<void> {
  const [row] = await tx
    .update(teachers)
    .set({ ...extra, revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
    .where(and(eq(teachers.id, teacherId), eq(teachers.recordState, 'draft')))
    .returning({ id: teachers.id });
  if (!row) throw new ConflictError('记录已报送或已生效，不能直接修改');
}

/** 最高学历/学位 from the 学习经历 entries: the columns and the record's 基本信息 to write. */
async function derivedEducation(tx: Executor, teacherId: number, record: StoredRecord): Promise<Partial<typeof teachers.$inferInsert>> {
  const entries = await tx.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'education')));
  const highest = deriveHighest(entries.map((e) => e.values));
  const basic = { ...(record[basicSubsetKey] ?? {}) };
  for (const [key, value] of Object.entries(highest)) {
    if (value) basic[key] = value;
    else delete basic[key];
  }
  return { record: { ...record, [basicSubsetKey]: basic }, highestEducation: highest.highestEducation || null, highestDegree: highest.highestDegree || null };
}

function refreshDerivedEducation(tx: Executor, teacher: ScopedTeacher): Promise<Partial<typeof teachers.$inferInsert>> {
  return derivedEducation(tx, teacher.id, teacher.record);
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

/** Adds or edits one entry of a list subset (学习经历, 培训研修 …). */
export async function saveEntry(actor: Actor, input: SaveEntryInput): Promise<{ entryId: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const subset = subsetOf(catalogue, input.subset);
    if (!subset.multi) throw new ValidationError('该信息集只有一条记录');
    const editable = editableFields(actor, teacher, subset, catalogue);
    if (editable.size === 0) throw new ForbiddenError(subset.schoolOnly && actor.role === 'teacher' ? `“${subset.label}”由学校或教育行政部门填报` : '您不能修改该信息集');
    let before: Record<string, StoredValue> = {};
    if (input.entryId) {
      const [entry] = await tx
        .select({ values: teacherEntries.values })
        .from(teacherEntries)
        .where(and(eq(teacherEntries.id, input.entryId), eq(teacherEntries.teacherId, teacher.id), eq(teacherEntries.subset, subset.key)));
      if (!entry) throw new NotFoundError('该条记录不存在，可能已被删除');
      before = entry.values;
    }
    const merged: RecordValues = { ...before };
    // A field left out of the input is unchanged; an empty one is cleared.
    for (const key of editable) if (key in input.values) merged[key] = input.values[key];
    const after = mergeWritable(before, validate(subset, merged, true), editable);
    let entryId = input.entryId;
    if (entryId) {
      await tx.update(teacherEntries).set({ values: after, updatedAt: new Date() }).where(eq(teacherEntries.id, entryId));
    } else {
      const [row] = await tx.insert(teacherEntries).values({ teacherId: teacher.id, subset: subset.key, values: after }).returning({ id: teacherEntries.id });
      entryId = row.id;
    }
    await writeChanges(tx, actor, teacher.id, subset.key, entryId, changedFields(before, after));
    await touchDraft(tx, teacher.id, subset.key === 'education' ? await refreshDerivedEducation(tx, teacher) : {});
    if (subset.key === 'title') await refreshTitleLevels(tx, [teacher.id]);
    await refreshCompleteness(tx, [teacher.id]);
    return { entryId };
  });
}

export async function deleteEntry(actor: Actor, input: DeleteEntryInput): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const [entry] = await tx
      .select({ subset: teacherEntries.subset, values: teacherEntries.values })
      .from(teacherEntries)
      .where(and(eq(teacherEntries.id, input.entryId), eq(teacherEntries.teacherId, teacher.id)));
    if (!entry) throw new NotFoundError('该条记录不存在，可能已被删除');
    const subset = subsetOf(catalogue, entry.subset);
    const editable = editableFields(actor, teacher, subset, catalogue);
    // Deleting takes the right to write every field the entry holds.
    if (editable.size === 0 || Object.keys(entry.values).some((key) => !editable.has(key))) throw new ForbiddenError('您不能删除该条记录');
    await tx.delete(teacherEntries).where(eq(teacherEntries.id, input.entryId));
    await writeChanges(tx, actor, teacher.id, subset.key, input.entryId, changedFields(entry.values, {}));
    await touchDraft(tx, teacher.id, subset.key === 'education' ? await refreshDerivedEducation(tx, teacher) : {});
    if (subset.key === 'title') await refreshTitleLevels(tx, [teacher.id]);
    await refreshCompleteness(tx, [teacher.id]);
  });
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

const jpegMagic = [0xff, 0xd8, 0xff];

/** Seed photo rule: a JPEG of at most 60 KB, kept in the database (never under public/). */
export async function savePhoto(actor: Actor, input: TeacherIdInput & { bytes: Uint8Array; fileName: string }): Promise<void> {
  if (input.bytes.byteLength === 0) throw new ValidationError('请选择照片文件', { photo: ['请选择照片文件'] });
  if (input.bytes.byteLength > maxPhotoBytes) throw new ValidationError('照片不能超过 60 KB', { photo: [`照片为 ${Math.ceil(input.bytes.byteLength / 1024)} KB，不能超过 60 KB`] });
  if (!jpegMagic.every((byte, i) => input.bytes[i] === byte)) throw new ValidationError('照片须为 JPG 格式', { photo: ['照片须为 JPG 格式'] });
  const db = await getDb();
  await db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const basic = subsetOf(catalogue, basicSubsetKey);
    const photoField = basic.fields.find((field) => field.type === 'photo');
    if (!photoField) throw new ValidationError('本省未选用照片指标');
    const allowed = teacher.recordState === 'draft' && (actor.role === 'teacher' ? catalogue.selfFillable.includes(photoField.id) : can(actor, 'teacher.edit'));
    if (!allowed) throw new ForbiddenError('您不能修改该教师的照片');
    const content = Buffer.from(input.bytes);
    await tx
      .insert(teacherPhotos)
      .values({ teacherId: teacher.id, content, byteSize: content.byteLength, updatedBy: actor.accountId })
      .onConflictDoUpdate({ target: teacherPhotos.teacherId, set: { content, byteSize: content.byteLength, updatedBy: actor.accountId, updatedAt: new Date() } });
    await writeChanges(tx, actor, teacher.id, basicSubsetKey, null, [{ field: 'photo', oldValue: null, newValue: `${content.byteLength} bytes` }]);
    await touchDraft(tx, teacher.id);
  });
}

/**
 * The full ID number, for managers of the teacher's own school or of its competent authority only.
 * Every reveal is audited.
 */
export async function revealIdNumber(actor: Actor, input: TeacherIdInput): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (!mayViewFullIdNumber(actor, teacher)) throw new ForbiddenError('只有本校或其主管教育行政部门的管理员可以查看完整证件号码');
    const [stored] = await tx.select({ enc: teachers.idNumberEnc, masked: teachers.idNumberMasked }).from(teachers).where(eq(teachers.id, teacher.id));
    await recordAudit(tx, actor, { action: 'teacher.idNumber.view', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { idNumber: stored.masked } });
    return revealStoredIdNumber(stored.enc!);
  });
}


export type BulkRegistrationOutcome = { ok: true; credentials: IssuedCredential[] } | { ok: false; rows: number; errors: RegistrationRowError[] };

/** Bulk registration from the 4-item sheet: every row checked first (format, ID rules, file and national duplicates). */
export async function registerTeachersFromSheet(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<BulkRegistrationOutcome> {
  assertCan(actor, 'teacher.create');
  await assertConflictBudget(actor);
  const table = await readTable(file, { maxRows: maxRegistrationRows });
  const missing = (['name', 'gender', 'birthDate', 'idNumber'] as const).filter((key) => !table.headers.includes(registrationColumns[key]));
  if (missing.length) throw new ValidationError(`表头缺少列：${missing.map((key) => registrationColumns[key]).join('、')}。请使用模板，不要修改表头。`);
  const byName = (table: CodeTableKey, text: string, fallback = '') => {
    const value = text.trim();
    if (!value) return fallback;
    return codeTables[table].find((item) => item.name === value || item.code === value)?.code ?? `?${value}`;
  };
  const errors: RegistrationRowError[] = [];
  const valid: { rowNumber: number; input: CreateTeacherInput }[] = [];
  const seen = new Map<string, number>();
  for (const { rowNumber, cells } of table.rows) {
    const cell = (key: keyof typeof registrationColumns) => (cells[registrationColumns[key]] ?? '').trim();
    const raw = {
      name: cell('name'),
      gender: byName('gender', cell('gender')),
      birthDate: cell('birthDate').replace(/[./]/g, '-'),
      idType: byName('idDocumentType', cell('idType'), '1'),
      idNumber: cell('idNumber'),
      onEstablishment: byName('yesNo', cell('onEstablishment'), '1'),
      contractOneYearOrMore: byName('yesNo', cell('contractOneYearOrMore')),
      postCategory: byName('postCategory', cell('postCategory'), '1'),
    };
    const parsed = createTeacherSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]) as keyof typeof registrationColumns;
        errors.push({ rowNumber, column: registrationColumns[key] ?? '', value: cell(key) ?? '', message: issue.message });
      }
      continue;
    }
    const first = seen.get(parsed.data.idNumber);
    if (first) {
      errors.push({ rowNumber, column: registrationColumns.idNumber, value: maskIdNumber(parsed.data.idNumber), message: `与第 ${first} 行的证件号码重复` });
      continue;
    }
    seen.set(parsed.data.idNumber, rowNumber);
    valid.push({ rowNumber, input: parsed.data });
  }
  const db = await getDb();
  const held = new Set<string>();
  const ids = valid.map((v) => v.input.idNumber);
  for (let start = 0; start < ids.length; start += 2000) {
    const hashes = new Map(ids.slice(start, start + 2000).map((id) => [idNumberHash(id), id]));
    for (const row of await db.select({ hash: teachers.idNumberHash }).from(teachers).where(inArray(teachers.idNumberHash, [...hashes.keys()]))) held.add(hashes.get(row.hash!)!);
  }
  await assertConflictsWithinBudget(actor, valid.filter((row) => held.has(row.input.idNumber)).map((row) => row.input.idNumber));
  for (const row of valid) {
    if (held.has(row.input.idNumber)) errors.push({ rowNumber: row.rowNumber, column: registrationColumns.idNumber, value: maskIdNumber(row.input.idNumber), message: (await duplicateRegistrationError(db, actor, row.input.idNumber)).message });
  }
  if (errors.length) return { ok: false, rows: table.rows.length, errors: errors.sort((a, b) => a.rowNumber - b.rowNumber).slice(0, 500) };
  return { ok: true, credentials: await createTeachers(actor, valid.map((v) => v.input)) };
}

/** The SQL twin of maskIdNumber, for values inside stored JSON (idempotent on masked values). */
function sqlMask(text: string): string {
  return `(case when length(${text}) <= 8 then repeat('*', length(${text})) else left(${text}, 4) || repeat('*', length(${text}) - 8) || right(${text}, 4) end)`;
}

/** A diff array with the idNumber entries' values masked each by itself, in the original order. */
function maskedDiff(column: string): string {
  const value = (key: string) => `case when jsonb_typeof(e->'${key}') = 'string' then to_jsonb(${sqlMask(`(e->>'${key}')`)}) else e->'${key}' end`;
  return `(select coalesce(jsonb_agg(case when e->>'field' = 'idNumber' then e || jsonb_build_object('oldValue', ${value('oldValue')}, 'newValue', ${value('newValue')}) else e end order by n), '[]'::jsonb)
    from jsonb_array_elements(${column}) with ordinality as d(e, n))`;
}

/**
 * Encrypts ID numbers still held in clear (rows from before encryption at rest, or loaded raw by the
 * scale tools): the teacher row gets its hash, ciphertext and mask, the record JSON, versions and
 * field history the mask, the login its hashed name, and the clear column is emptied last, one
 * transaction per batch so that a crash leaves every row either wholly sealed or wholly not. Runs at
 * every start (through the unique index on the legacy column, so it costs nothing once all is sealed).
 * Answers how many rows it sealed.
 */
export async function sealLegacyIdNumbers(executor: Executor, batch = 5000): Promise<number> {
  let sealed = 0;
  for (;;) {
    const done = await executor.transaction(async (tx) => {
      const rows = await tx
        .select({ id: teachers.id, idNumber: teachers.legacyIdNumber, accountId: teachers.accountId })
        .from(teachers)
        .where(isNotNull(teachers.legacyIdNumber))
        .orderBy(teachers.id)
        .limit(batch)
        .for('update');
      if (rows.length === 0) return 0;
      const values = JSON.stringify(
        rows.map((row) => {
          const stored = storeIdNumber(row.idNumber!);
          return { id: row.id, account_id: row.accountId, login: teacherLoginName(row.idNumber!), hash: stored.idNumberHash, enc: stored.idNumberEnc, masked: stored.idNumberMasked };
        }),
      );
      const rowsType = sql`jsonb_to_recordset(${values}::jsonb) as v(id int, account_id int, login text, hash text, enc text, masked text)`;
      await tx.execute(sql`update accounts a set username = v.login from ${rowsType} where a.id = v.account_id and a.role = 'teacher'`);
      await tx.execute(sql`
        update teacher_versions tv set
          snapshot = case when jsonb_typeof(tv.snapshot #> '{record,basic,idNumber}') = 'string'
            then jsonb_set(tv.snapshot, '{record,basic,idNumber}', to_jsonb(${sql.raw(sqlMask(`(tv.snapshot #>> '{record,basic,idNumber}')`))})) else tv.snapshot end,
          diff = ${sql.raw(maskedDiff('tv.diff'))}
        from ${rowsType} where tv.teacher_id = v.id`);
      await tx.execute(sql`
        update teacher_field_changes c set
          old_value = case when jsonb_typeof(c.old_value) = 'string' then to_jsonb(${sql.raw(sqlMask(`(c.old_value #>> '{}')`))}) else c.old_value end,
          new_value = case when jsonb_typeof(c.new_value) = 'string' then to_jsonb(${sql.raw(sqlMask(`(c.new_value #>> '{}')`))}) else c.new_value end
        from ${rowsType} where c.teacher_id = v.id and c.field = 'idNumber'`);
      // The clear column is emptied last, with the rest: the check constraint holds at every step.
      await tx.execute(sql`
        update teachers t set id_number_hash = v.hash, id_number_enc = v.enc, id_number_masked = v.masked, id_number = null,
          record = case when t.record ? 'basic' then jsonb_set(t.record, '{basic,idNumber}', to_jsonb(v.masked)) else t.record end
        from ${rowsType} where t.id = v.id`);
      return rows.length;
    });
    if (done === 0) return sealed;
    sealed += done;
  }
}

/**
 * Key rotation for ID numbers: every ciphertext not under the active key is decrypted and encrypted
 * again, in id order and batches, each row only if it did not change meanwhile. Answers how many.
 */
export async function reencryptIdNumbers(executor: Executor, batch = 5000): Promise<number> {
  const active = activeKeyId();
  let after = 0;
  let changed = 0;
  for (;;) {
    const rows = await executor
      .select({ id: teachers.id, enc: teachers.idNumberEnc })
      .from(teachers)
      .where(and(isNotNull(teachers.idNumberEnc), sql`${teachers.id} > ${after}`))
      .orderBy(teachers.id)
      .limit(batch);
    if (rows.length === 0) return changed;
    after = rows.at(-1)!.id;
    const stale = rows.filter((row) => textKeyIdOf(row.enc!) !== active).map((row) => ({ id: row.id, old: row.enc!, enc: encryptText(decryptText(row.enc!)) }));
    if (stale.length === 0) continue;
    const updated = rowsOf<{ id: number }>(
      await executor.execute(sql`
        update teachers t set id_number_enc = v.enc from jsonb_to_recordset(${JSON.stringify(stale)}::jsonb) as v(id int, old text, enc text)
        where t.id = v.id and t.id_number_enc = v.old returning t.id`),
    );
    changed += updated.length;
  }
}
