import { idCheckCharacter } from '@/lib/reference/id-number';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, auditLog, teacherEntries, teacherFieldChanges, teachers } from '@/lib/db/schema';
import { rollupTotalsOf } from '@/lib/units/queries';
import { verifyPassword } from '@/lib/auth/password';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { buildSubsetSchema } from '@/lib/indicators/form-schema';
import { basicSubset, resolveCatalogue } from '@/lib/indicators/settings';
import { createTeacherSchema } from '@/lib/teachers/schemas';
import { createTeacher } from '@/lib/teachers/registration/service';
import { deleteEntry, saveEntry, savePhoto, saveSection } from '@/lib/teachers/editing/service';
import { revealIdNumber } from '@/lib/teachers/id-numbers/service';
import { getTeacherRecord, listFieldChanges, listTeachers } from '@/lib/teachers/queries';
import { actorFor, getUnitByCode, makeIdNumber, registration, school, seedSchool, teacherIn } from './support/factories';
import { submitRecords } from '@/lib/collection/review/service';
import { idNumberHash, revealStoredIdNumber, teacherLoginName } from '@/lib/teachers/identity';
import { authenticate } from '@/lib/signin/service';
import { maskIdNumber } from '@/lib/reference/id-number';

const today = '2026-11-28';

function basicSchema(enforceRequired = true) {
  return buildSubsetSchema(basicSubset(resolveCatalogue(null, 'primary_secondary')), { enforceRequired, today });
}

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
}

async function schoolWithStaff(authorityCode = '330106') {
  const school = await seedSchool({ authorityCode });
  const sysadmin = await actorFor(`${school.code}.admin`);
  const manager = await actorFor(`${school.code}.manager`);
  return { school, sysadmin, manager };
}

describe('catalogue rules', () => {
  const valid = {
    name: '李明', gender: '1', nationality: '156', idType: '1', idNumber: '330106198001010011', birthDate: '1980-01-01',
    ethnicGroup: '01', politicalStatus: ['13'], healthStatus: '1', workStartDate: '2002-08', joinSchoolDate: '2010-09',
    staffSource: '01', staffCategory: '01', onEstablishment: '1', contractStatus: '02', postCategory: '1', personnelStatus: '100',
  };

  it('accepts a complete record', () => {
    expect(issuesOf(basicSchema().safeParse(valid))).toEqual({});
  });

  it('keeps ethnicity and political status to Chinese nationals, and requires them there', () => {
    expect(issuesOf(basicSchema().safeParse({ ...valid, nationality: '840' }))).toMatchObject({ ethnicGroup: '民族仅适用于中国国籍人员', politicalStatus: '政治面貌仅适用于中国国籍人员' });
    expect(issuesOf(basicSchema().safeParse({ ...valid, ethnicGroup: '', politicalStatus: [] }))).toMatchObject({ ethnicGroup: '中国国籍人员须填写民族', politicalStatus: '中国国籍人员须填写政治面貌' });
  });

  it('makes 12 and 13 exclusive in political status', () => {
    expect(issuesOf(basicSchema().safeParse({ ...valid, politicalStatus: ['01', '13'] })).politicalStatus).toMatch(/不能与其他政治面貌同时选择/);
    expect(issuesOf(basicSchema().safeParse({ ...valid, politicalStatus: ['01', '05'] }))).toEqual({});
  });

  it('takes the employment form only when not on the establishment', () => {
    expect(issuesOf(basicSchema().safeParse({ ...valid, employmentForm: '01' })).employmentForm).toBe('在编人员不填写用人形式');
    const contract = { ...valid, onEstablishment: '0', contractOneYearOrMore: '1' };
    expect(issuesOf(basicSchema().safeParse(contract)).employmentForm).toBe('非在编人员须填写用人形式');
    expect(issuesOf(basicSchema().safeParse({ ...contract, employmentForm: '01' }))).toEqual({});
  });

  it('wants 进本校 on or after 参加工作, and refuses people outside the collection scope', () => {
    expect(issuesOf(basicSchema().safeParse({ ...valid, joinSchoolDate: '2001-09' })).joinSchoolDate).toBe('进本校年月不能早于参加工作年月');
    expect(issuesOf(basicSchema().safeParse({ ...valid, personnelStatus: '301' })).personnelStatus).toBe('已离开本单位的人员（离退休、调出、离职等）不在采集范围内');
    expect(issuesOf(basicSchema().safeParse({ ...valid, onEstablishment: '0', contractOneYearOrMore: '0', employmentForm: '01' })).contractOneYearOrMore).toMatch(/一年以上合同/);
    expect(issuesOf(basicSchema().safeParse({ ...valid, onEstablishment: '0', contractOneYearOrMore: '1', employmentForm: '01', postCategory: '4' })).postCategory).toMatch(/仅采集/);
  });

  it('checks codes, formats and future dates per field, and lets drafts be incomplete', () => {
    const issues = issuesOf(basicSchema().safeParse({ ...valid, ethnicGroup: '99', workStartDate: '2002/08', joinSchoolDate: '2030-01' }));
    expect(issues).toMatchObject({ ethnicGroup: '不在代码表中，请从下拉列表选择', workStartDate: '年月格式应为 YYYY-MM', joinSchoolDate: '不能晚于本月' });
    expect(issuesOf(basicSchema(false).safeParse({ name: '李明' }))).toEqual({});
    expect(issuesOf(basicSchema(true).safeParse({ name: '李明' })).staffSource).toBe('请选择');
  });

  it('wants graduation after entry in 学习经历', () => {
    const education = resolveCatalogue(null, 'primary_secondary').subsets.find((s) => s.key === 'education')!;
    const schema = buildSubsetSchema(education, { enforceRequired: true, today });
    const entry = { educationLevel: '21', country: '156', institution: '浙江师范大学', entryMonth: '2003-09', graduationMonth: '2003-09' };
    expect(issuesOf(schema.safeParse(entry)).graduationMonth).toBe('毕业年月应晚于入学年月');
    expect(issuesOf(schema.safeParse({ ...entry, graduationMonth: '2007-07' }))).toEqual({});
  });

  it('registers only with an ID number that agrees with birth date and gender; a lower-case x is normalised', () => {
    const id = '11010519491231002X';
    const ok = createTeacherSchema.safeParse(registration({ idNumber: id.toLowerCase(), birthDate: '1949-12-31', gender: '2' }));
    expect(ok.success && ok.data.idNumber).toBe(id);
    expect(issuesOf(createTeacherSchema.safeParse(registration({ idNumber: id, birthDate: '1949-12-30', gender: '2' }))).birthDate).toMatch(/不一致/);
    expect(issuesOf(createTeacherSchema.safeParse(registration({ idNumber: id, birthDate: '1949-12-31', gender: '1' }))).gender).toMatch(/不一致/);
    expect(issuesOf(createTeacherSchema.safeParse(registration({ idNumber: '110105194912310021', birthDate: '1949-12-31', gender: '2' }))).idNumber).toMatch(/校验位/);
  });

  it('refuses a birth date that makes the person a child, saying the age', () => {
    const first17 = '33010620140301002';
    const child = createTeacherSchema.safeParse(registration({ idNumber: first17 + idCheckCharacter(first17), birthDate: '2014-03-01', gender: '2' }));
    expect(issuesOf(child).birthDate).toMatch(/^按此出生日期，本人现年 1\d 岁，未满 16 周岁/);
  });
});

describe('teacher registration', () => {
  it('creates the teacher, a login by the ID number with a one-time password, history, audit and rollups; the number only encrypted at rest', async () => {
    const { school, sysadmin } = await schoolWithStaff();
    const db = await getDb();
    const county = await getUnitByCode('330106');
    const before = (await rollupTotalsOf(db, [county.id])).get(county.id)!;
    const input = registration({ name: '赵敏' });
    const created = await createTeacher(sysadmin, input);
    const [teacher] = await db.select().from(teachers).where(eq(teachers.id, created.teacherId));
    expect(teacher).toMatchObject({ unitId: school.id, name: '赵敏', legacyIdNumber: null, idNumberHash: idNumberHash(input.idNumber), idNumberMasked: maskIdNumber(input.idNumber), birthDate: input.birthDate, recordState: 'draft', stage: 'primary_secondary' });
    // Nowhere on the row, in the record JSON or in the login is the number in clear; the ciphertext gives it back.
    expect(JSON.stringify(teacher)).not.toContain(input.idNumber);
    expect(teacher.idNumberEnc).toMatch(/^enc:/);
    expect(revealStoredIdNumber(teacher.idNumberEnc!)).toBe(input.idNumber);
    const [account] = await db.select().from(accounts).where(eq(accounts.id, teacher.accountId!));
    expect(account).toMatchObject({ username: teacherLoginName(input.idNumber), role: 'teacher', unitId: school.id, mustChangePassword: true });
    expect(account.username).not.toContain(input.idNumber.slice(6));
    // The teacher still signs in with the ID number (lower-case x too), looked up by its keyed hash.
    expect((await authenticate({ username: input.idNumber.toLowerCase(), password: created.credential.password, ip: '10.33.0.9' })).ok).toBe(true);
    expect(await verifyPassword(account.passwordHash, created.credential.password)).toBe(true);
    const after = (await rollupTotalsOf(db, [county.id])).get(county.id)!;
    expect(after.teachers - before.teachers).toBe(1);
    expect(after.accounts - before.accounts).toBe(1);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'teacher.create'), eq(auditLog.targetId, String(teacher.id))));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0].detail)).not.toContain(input.idNumber);
  });

  it('only a school sysadmin registers teachers', async () => {
    const { manager } = await schoolWithStaff();
    await expect(createTeacher(manager, registration())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createTeacher(await actorFor('330106.admin'), registration())).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a second registration anywhere without saying where the number is held, and audits it', async () => {
    const first = await schoolWithStaff();
    const input = registration();
    await createTeacher(first.sysadmin, input);
    const sameProvince = await schoolWithStaff();
    const error = await createTeacher(sameProvince.sysadmin, { ...input, name: '别名' }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('教师调动');
    expect(error.message).not.toContain(first.school.name);
    expect(error.message).not.toContain('浙江');
    expect(error.message).not.toContain(input.idNumber);
    const otherProvince = await schoolWithStaff('450100');
    const far = await createTeacher(otherProvince.sysadmin, input).catch((e) => e);
    expect(far).toBeInstanceOf(ConflictError);
    // Both answers are the same words whoever holds the number: nothing to tell provinces apart by.
    expect(far.message).toBe(error.message);
    // Within its own jurisdiction a school learns the holder: it is itself.
    const again = await createTeacher(first.sysadmin, input).catch((e) => e);
    expect(again.message).toContain(first.school.name);
    const conflicts = rowsOf<{ n: number }>(await (await getDb()).execute(sql`select count(*)::int as n from audit_log where action = 'teacher.register.conflict' and actor_account_id in (${sameProvince.sysadmin.accountId}, ${otherProvince.sysadmin.accountId})`));
    expect(conflicts[0].n).toBe(2);
  });

  it('never creates a duplicate when schools register the same person at the same moment', async () => {
    const a = await schoolWithStaff();
    const b = await schoolWithStaff('450100');
    const input = registration();
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => createTeacher(i % 2 ? a.sysadmin : b.sysadmin, input)));
    expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of attempts) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    const db = await getDb();
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(teachers).where(eq(teachers.idNumberHash, idNumberHash(input.idNumber)));
    expect(count.n).toBe(1);
    const [logins] = await db.select({ n: sql<number>`count(*)::int` }).from(accounts).where(eq(accounts.username, teacherLoginName(input.idNumber)));
    expect(logins.n).toBe(1);
  });
});

describe('online entry', () => {
  async function teacherAt() {
    const staff = await schoolWithStaff();
    const input = registration();
    const created = await createTeacher(staff.sysadmin, input);
    const teacherActor = await actorFor(input.idNumber);
    return { ...staff, input, teacherId: created.teacherId, teacherActor };
  }

  it('lets the school manager write 基本信息, records field history and refuses a stale revision', async () => {
    const { manager, teacherId } = await teacherAt();
    const record = await getTeacherRecord(manager, teacherId);
    const saved = await saveSection(manager, { teacherId, revision: record.revision, subset: 'basic', values: { staffNumber: 'T-001', healthStatus: '1', personnelStatus: '100', maritalStatus: '20' } });
    const changes = await listFieldChanges(manager, teacherId);
    expect(changes.filter((c) => c.field !== '*').map((c) => c.field).sort()).toEqual(['healthStatus', 'maritalStatus', 'personnelStatus', 'staffNumber']);
    expect(changes.find((c) => c.field === 'staffNumber')).toMatchObject({ oldValue: null, newValue: 'T-001', accountName: manager.displayName });
    // Codes that look like numbers come back as the strings they are, so the history shows their names.
    expect(changes.find((c) => c.field === 'maritalStatus')!.newValue).toBe('20');
    expect(changes.find((c) => c.field === 'personnelStatus')!.newValue).toBe('100');
    const db = await getDb();
    const [row] = await db.select().from(teachers).where(eq(teachers.id, teacherId));
    expect(row).toMatchObject({ staffNumber: 'T-001', personnelStatus: '100', revision: saved.revision });
    await expect(saveSection(manager, { teacherId, revision: record.revision, subset: 'basic', values: { staffNumber: 'T-002' } })).rejects.toBeInstanceOf(ConflictError);
    const bad = await saveSection(manager, { teacherId, revision: saved.revision, subset: 'basic', values: { staffNumber: 'T-001', workStartDate: '2010-09', joinSchoolDate: '2005-09' } }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.fieldErrors.joinSchoolDate).toEqual(['进本校年月不能早于参加工作年月']);
    // Clearing a field clears it, and the history says so.
    const cleared = await saveSection(manager, { teacherId, revision: saved.revision, subset: 'basic', values: { staffNumber: '', healthStatus: '1', personnelStatus: '100' } });
    const [afterClear] = await db.select().from(teachers).where(eq(teachers.id, teacherId));
    expect(afterClear).toMatchObject({ staffNumber: null, revision: cleared.revision });
    expect(afterClear.record.basic.staffNumber).toBeUndefined();
    expect(afterClear.record.basic.name).toBe(row.name);
    expect((await listFieldChanges(manager, teacherId))[0]).toMatchObject({ field: 'staffNumber', oldValue: 'T-001', newValue: null });
  });

  it('lets the teacher fill only self-fillable fields and nothing school-only', async () => {
    const { teacherId, teacherActor } = await teacherAt();
    const record = await getTeacherRecord(teacherActor, teacherId);
    expect(record.idNumberFull).toBeTruthy();
    expect(record.editable.basic).toContain('healthStatus');
    expect(record.editable.basic).not.toContain('staffNumber');
    expect(record.editable.assessment).toEqual([]);
    await saveSection(teacherActor, { teacherId, revision: record.revision, subset: 'basic', values: { healthStatus: '1', staffNumber: 'HACK' } });
    const db = await getDb();
    const [row] = await db.select().from(teachers).where(eq(teachers.id, teacherId));
    expect(row.staffNumber).toBeNull();
    expect(row.record.basic.healthStatus).toBe('1');
    await expect(saveEntry(teacherActor, { teacherId, subset: 'assessment', values: { year: '2025', result: '01', assessingUnit: '本校' } })).rejects.toBeInstanceOf(ForbiddenError);
    const changes = await listFieldChanges(teacherActor, teacherId);
    expect(changes[0]).toMatchObject({ field: 'healthStatus', source: 'self' });
  });

  it('derives the highest education and degree from 学习经历 and keeps it in step on edit and delete', async () => {
    const { manager, teacherId } = await teacherAt();
    const base = { country: '156', institution: '浙江师范大学', entryMonth: '2003-09', graduationMonth: '2007-07' };
    await saveEntry(manager, { teacherId, subset: 'education', values: { ...base, educationLevel: '21', degreeLevel: '4' } });
    const { entryId } = await saveEntry(manager, { teacherId, subset: 'education', values: { ...base, educationLevel: '14', degreeLevel: '3', entryMonth: '2008-09', graduationMonth: '2011-06' } });
    const db = await getDb();
    const read = async () => (await db.select().from(teachers).where(eq(teachers.id, teacherId)))[0];
    expect(await read()).toMatchObject({ highestEducation: '14', highestDegree: '3' });
    await deleteEntry(manager, { teacherId, entryId });
    expect(await read()).toMatchObject({ highestEducation: '21', highestDegree: '4' });
    const bad = await saveEntry(manager, { teacherId, subset: 'education', values: { ...base, educationLevel: '21', graduationMonth: '2003-01' } }).catch((e) => e);
    expect(bad.fieldErrors.graduationMonth).toEqual(['毕业年月应晚于入学年月']);
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(teacherEntries).where(eq(teacherEntries.teacherId, teacherId));
    expect(n).toBe(1);
  });

  it('tells on the record page what the completeness check would refuse, and nothing once complete or reported', async () => {
    const { manager, teacherId, teacherActor } = await teacherAt();
    const problems = (await getTeacherRecord(manager, teacherId)).completeness!;
    expect(problems.map((p) => p.fieldLabel)).toContain('手机号码');
    expect(problems.map((p) => p.message)).toContain('至少须填写一条学习经历');
    // The teacher sees the same list on /me.
    expect((await getTeacherRecord(teacherActor, teacherId)).completeness).toEqual(problems);
    const fixture = await school('330106');
    const complete = await teacherIn(fixture, { complete: true });
    expect((await getTeacherRecord(fixture.manager, complete)).completeness).toEqual([]);
    await submitRecords(fixture.sysadmin, { teacherIds: [complete] });
    expect((await getTeacherRecord(fixture.manager, complete)).completeness).toBeNull();
  });

  it('keeps other jurisdictions and read-only roles out, changing nothing', async () => {
    const { teacherId } = await teacherAt();
    const stranger = await schoolWithStaff();
    const otherCounty = await actorFor('450100.manager');
    for (const actor of [stranger.manager, stranger.sysadmin, otherCounty]) {
      await expect(getTeacherRecord(actor, teacherId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveSection(actor, { teacherId, revision: 0, subset: 'basic', values: { staffNumber: 'X' } })).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveEntry(actor, { teacherId, subset: 'work', values: { unitName: 'x', startMonth: '2001-01' } })).rejects.toBeInstanceOf(NotFoundError);
      await expect(revealIdNumber(actor, { teacherId })).rejects.toBeInstanceOf(NotFoundError);
      expect((await listTeachers(actor, {})).rows.some((row) => row.id === teacherId)).toBe(false);
    }
    const viewer = await actorFor('330106.query1');
    expect((await listTeachers(viewer, {})).rows.some((row) => row.id === teacherId)).toBe(true);
    await expect(saveSection(viewer, { teacherId, revision: 0, subset: 'basic', values: { staffNumber: 'X' } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revealIdNumber(viewer, { teacherId })).rejects.toBeInstanceOf(ForbiddenError);
    const db = await getDb();
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(teacherFieldChanges).where(and(eq(teacherFieldChanges.teacherId, teacherId), sql`${teacherFieldChanges.field} <> '*'`));
    expect(n).toBe(0);
  });

  it('masks ID numbers in lists and reveals them, audited, to the school and its authority only', async () => {
    const { manager, teacherId, input } = await teacherAt();
    const list = await listTeachers(manager, { q: input.idNumber });
    expect(list.rows.map((r) => r.id)).toEqual([teacherId]);
    expect(list.rows[0].idNumberMasked).toBe(`${input.idNumber.slice(0, 4)}**********${input.idNumber.slice(-4)}`);
    expect(await revealIdNumber(manager, { teacherId })).toBe(input.idNumber);
    expect(await revealIdNumber(await actorFor('330106.manager'), { teacherId })).toBe(input.idNumber);
    await expect(revealIdNumber(await actorFor('330100.manager'), { teacherId })).rejects.toBeInstanceOf(ForbiddenError);
    const db = await getDb();
    const views = await db.select().from(auditLog).where(and(eq(auditLog.action, 'teacher.idNumber.view'), eq(auditLog.targetId, String(teacherId))));
    expect(views).toHaveLength(2);
  });

  it('takes a JPG photo of at most 60 KB only', async () => {
    const { manager, teacherId } = await teacherAt();
    const jpeg = new Uint8Array(2048);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
    await savePhoto(manager, { teacherId, bytes: jpeg, fileName: 'a.jpg' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]);
    await expect(savePhoto(manager, { teacherId, bytes: png, fileName: 'a.jpg' })).rejects.toThrow('JPG');
    const big = new Uint8Array(61 * 1024);
    big.set([0xff, 0xd8, 0xff]);
    await expect(savePhoto(manager, { teacherId, bytes: big, fileName: 'a.jpg' })).rejects.toThrow('60 KB');
    expect((await getTeacherRecord(manager, teacherId)).hasPhoto).toBe(true);
  });

  it('finds teachers by name prefix and staff number within scope', async () => {
    const { sysadmin, manager } = await schoolWithStaff();
    const name = `欧阳${Math.random().toString(36).slice(2, 5)}`;
    const created = await createTeacher(sysadmin, registration({ name }));
    const record = await getTeacherRecord(manager, created.teacherId);
    await saveSection(manager, { teacherId: created.teacherId, revision: record.revision, subset: 'basic', values: { staffNumber: `S${created.teacherId}` } });
    expect((await listTeachers(manager, { q: name.slice(0, 3) })).rows.map((r) => r.id)).toEqual([created.teacherId]);
    expect((await listTeachers(manager, { q: `S${created.teacherId}` })).rows.map((r) => r.id)).toEqual([created.teacherId]);
    expect((await listTeachers(manager, { q: makeIdNumber() })).rows).toEqual([]);
  });
});
