import 'server-only';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { getDb, intArray, rowsOf, type Executor } from '@/lib/db';
import { accounts, teachers, units, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { generateInitialPassword, hashPassword, hashPasswords } from '@/lib/auth/password';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { grantCredentials, preparePasswords, type IssuedCredential, type OnHashed, type PreparedCredentials } from '@/lib/accounts/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { compactValues } from '@/lib/indicators/form-schema';
import { maskIdNumber } from '@/lib/reference/id-number';
import { applyRollupDeltas } from '@/lib/units/service';
import { codeTables, type CodeTableKey } from '@/lib/indicators/code-tables';
import { readTable } from '@/lib/spreadsheet/read-table';
import { createTeacherSchema, maxRegistrationRows, registrationColumns, type RegistrationRowError, type CreateTeacherInput } from '@/lib/teachers/schemas';
import { idNumberHash, revealStoredIdNumber, storeIdNumber, teacherLoginName } from '@/lib/teachers/identity';
import { type ChangeSource, type ChangeAuthor, type SchoolTarget, getActorSchool, extractedColumns } from '@/lib/teachers/service';

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
      from unnest(${intArray(inserted.map((row) => Number(row.id)))}) as x(id)`);
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
    : `证件号码 ${masked} 无法登记：全国每个证件号码只能登记一次。如该教师从其他单位调入，请通过“教师调动”办理；曾在其他单位任职、已离开（退休、离职等）后再到本校任职的，请在“教师调动”中选择“重新入职”；如有疑问，请联系主管教育行政部门核实。`;
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
  const hashes = await hashPasswords(passwords);
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

/** At most this many teachers' initial passwords per sheet (one sheet per click). */
export const teacherCredentialsPerSheet = 2000;

/** Initial passwords for the school's teachers who have none yet (created by import), or for chosen ones; hashed, not yet set. */
export async function prepareTeacherCredentials(actor: Actor, input: { teacherIds?: number[]; limit: number }, onHashed?: OnHashed): Promise<PreparedCredentials> {
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
  if (!targets.length) throw new ValidationError('本校教师都已发放初始密码');
  // The sheet names the login as the teacher types it: the ID number (the account name is its hash).
  return preparePasswords(targets, onHashed, (target, password, passwordHash) => ({
    issued: { unitCode: school.code, unitName: school.name, username: revealStoredIdNumber(target.idNumberEnc!), displayName: target.displayName, password },
    grant: { accountId: target.accountId, passwordHash, auditName: target.idNumberMasked ?? '' },
  }));
}

/** Issues initial passwords at once; for teachers without one, only if none got one meanwhile. */
export async function issueTeacherCredentials(actor: Actor, input: { teacherIds?: number[]; limit: number }): Promise<IssuedCredential[]> {
  const prepared = await prepareTeacherCredentials(actor, input);
  const db = await getDb();
  await db.transaction((tx) => grantCredentials(tx, actor, prepared.grants, { onlyWithoutPassword: !input.teacherIds }));
  return prepared.issued;
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
