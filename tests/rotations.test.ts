import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { rotations, statusChanges, teacherEntries, teachers, teacherVersions, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { getInbox } from '@/lib/inbox/queries';
import { todayIso } from '@/lib/indicators/form-schema';
import { addMonths } from '@/lib/months';
import { recordStatusChange } from '@/lib/mobility/service';
import { getRotation, getRotationPlan, getRotationTotals, listEligibleTeachers, listRotations } from '@/lib/rotations/queries';
import { planFigures, schoolYearOf } from '@/lib/rotations/schemas';
import type { RotationAction } from '@/lib/rotations/chain';
import { markPendingRetirement } from '@/lib/mobility/service';
import { fileRotation, saveRotationTargets, takeRotationStep } from '@/lib/rotations/service';
import { fileTransfer, takeTransferStep } from '@/lib/transfers/service';
import { insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import ExcelJS from 'exceljs';
import { schoolListColumns } from '@/lib/schools/schemas';
import { importSchoolList } from '@/lib/schools/service';
import { actorFor, effectiveTeacher, getUnitByCode, rollup, school, seedSchool, type SchoolFixture, expectBadgeCountsTheInbox } from './support/factories';

const onServer = Boolean(process.env.DATABASE_URL);
const thisMonth = todayIso().slice(0, 7);
/** The plan's year is the school year (September to August) today falls in. */
const year = schoolYearOf(todayIso());
const monthsFrom = addMonths;

async function state(teacherId: number) {
  const db = await getDb();
  const [row] = await db.select({ status: teachers.personnelStatus, unitId: teachers.unitId, version: teachers.effectiveVersion }).from(teachers).where(eq(teachers.id, teacherId));
  const open = await db.select({ id: rotations.id, state: rotations.state, plannedEndMonth: rotations.plannedEndMonth }).from(rotations).where(eq(rotations.teacherId, teacherId)).orderBy(rotations.id);
  const entries = await db.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'rotation')));
  const [changes] = await db.select({ n: sql<number>`count(*)::int` }).from(statusChanges).where(eq(statusChanges.teacherId, teacherId));
  return { ...row, rotations: open, entries: entries.map((entry) => entry.values), statusChanges: changes.n };
}

/** Each actor is refused, and nothing about the teacher or the rotation changed. */
async function refusedToAll(actors: Actor[], teacherId: number, attempt: (actor: Actor) => Promise<unknown>) {
  const before = await state(teacherId);
  for (const actor of actors) {
    const error = await attempt(actor).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${actor.username} must be refused`).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(await state(teacherId)).toEqual(before);
  }
}

const filing = (teacherId: number, hostSchoolId: number, extra: Partial<{ startMonth: string; plannedEndMonth: string; kind: string; hostSchoolCode: string }> = {}) => ({
  teacherId,
  hostSchoolId,
  hostSchoolCode: '',
  kind: '02',
  startMonth: monthsFrom(thisMonth, -11),
  plannedEndMonth: monthsFrom(thisMonth, 13),
  reason: '县域内校际交流',
  documentNumber: '海教人〔2026〕5号',
  ...extra,
});
const step = (id: number, action: RotationAction, extra: Partial<{ reason: string; month: string }> = {}) => ({ id, action, reason: '', month: '', ...extra });

describe('交流轮岗 (人走关系留)', () => {
  it('runs out and back: filed by the home school, confirmed by its authority, 205 at home, listed at the host, reminded, returned', async () => {
    const home = await school('330282');
    const host = await school('330282');
    const elsewhere = await school('330281');
    const teacher = await effectiveTeacher(home, '330282', '交流教师');
    const county = await actorFor('330282.manager');
    const hostRollupBefore = await rollup(host.school.id);
    const totalsBefore = await getRotationTotals(county);
    const homeRollupBefore = await rollup(home.school.id);

    // Only the home school's information manager files.
    await refusedToAll([host.manager, home.sysadmin, county, elsewhere.manager, await actorFor(teacher.idNumber)], teacher.teacherId, (actor) => fileRotation(actor, filing(teacher.teacherId, host.school.id)));
    await expect(fileRotation(home.manager, filing(teacher.teacherId, home.school.id))).rejects.toBeInstanceOf(ValidationError);
    await expect(fileRotation(home.manager, filing(teacher.teacherId, 0, { hostSchoolCode: 'NOPE' }))).rejects.toThrow(/学校代码/);
    await expect(fileRotation(home.manager, filing(teacher.teacherId, host.school.id, { startMonth: monthsFrom(thisMonth, -30) }))).rejects.toBeInstanceOf(ValidationError);
    await expect(fileRotation(home.manager, filing(teacher.teacherId, host.school.id, { plannedEndMonth: monthsFrom(thisMonth, 100) }))).rejects.toThrow(/交流期限/);
    expect((await state(teacher.teacherId)).rotations).toEqual([]);

    const { rotationId } = await fileRotation(home.manager, filing(teacher.teacherId, host.school.id));
    await expect(fileRotation(home.manager, filing(teacher.teacherId, host.school.id))).rejects.toBeInstanceOf(ConflictError);
    // Waiting at the county: its inbox, not the schools'.
    expect((await getInbox(county)).find((group) => group.key === 'rotation.step')?.items.map((item) => item.href)).toContain(`/rotations/${rotationId}`);
    await expectBadgeCountsTheInbox(county);
    await expect(recordStatusChange(home.manager, { teacherId: teacher.teacherId, toStatus: '203', effectiveDate: todayIso(), reason: '病休', documentNumber: '' })).rejects.toThrow(/交流轮岗/);

    // Confirmation belongs to the home school's competent authority alone.
    const others = [home.manager, host.manager, await actorFor('330281.manager'), await actorFor('330200.manager'), await actorFor('330000.manager'), await actorFor('330282.query1'), await actorFor('330282.admin')];
    await refusedToAll(others, teacher.teacherId, (actor) => takeRotationStep(actor, step(rotationId, 'confirm')));
    await expect(takeRotationStep(county, step(rotationId, 'reject'))).rejects.toBeInstanceOf(ValidationError);
    expect(await takeRotationStep(county, step(rotationId, 'confirm'))).toEqual({ state: 'active' });

    const away = await state(teacher.teacherId);
    expect(away).toMatchObject({ status: '205', unitId: home.school.id, version: 2 });
    expect(away.entries).toEqual([{ kind: '02', fromUnit: expect.stringContaining('测试学校'), toUnit: expect.stringContaining('测试学校'), startMonth: monthsFrom(thisMonth, -11), personnelChange: '0' }]);
    const [version] = await (await getDb()).select({ kind: teacherVersions.kind, snapshot: teacherVersions.snapshot }).from(teacherVersions).where(and(eq(teacherVersions.teacherId, teacher.teacherId), eq(teacherVersions.version, 2)));
    expect(version.kind).toBe('status');
    // Still the home school's staff; not counted at the host.
    expect((await rollup(host.school.id)).teachers).toBe(hostRollupBefore.teachers);
    expect((await rollup(home.school.id)).teachers).toBe(homeRollupBefore.teachers);

    // 交流来校 at the host: read-only core information, no record link.
    const incoming = await listRotations(host.manager, { view: 'incoming' });
    expect(incoming.rows.map((row) => row.id)).toContain(rotationId);
    const seenByHost = await getRotation(host.manager, rotationId);
    expect(seenByHost).toMatchObject({ state: 'active', recordHref: null, actions: [] });
    expect(seenByHost.teacherIdMasked).toMatch(/\*/);
    await expect(getRotation(elsewhere.manager, rotationId)).rejects.toBeInstanceOf(NotFoundError);
    // Started, and not yet due: the home school may end it early or ask for more time.
    expect((await getRotation(home.manager, rotationId)).actions.map((a) => a.action).sort()).toEqual(['endEarly', 'extend']);
    const totalsAway = await getRotationTotals(county);
    expect(totalsAway.awayNow - totalsBefore.awayNow).toBe(1);
    expect(totalsAway.hostedNow - totalsBefore.hostedNow).toBe(1);
    // Strangers do not find it at all: not found, not forbidden.
    for (const stranger of [elsewhere.manager, await actorFor('330281.manager')]) {
      await expect(takeRotationStep(stranger, step(rotationId, 'return'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(getRotation(stranger, rotationId)).rejects.toBeInstanceOf(NotFoundError);
    }
    // Nothing else may start meanwhile: a transfer, or 待退休 from 即将退休.
    const receiving = await school('330282');
    await expect(fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer', reason: '调入', postCategory: '1', postTitle: '', plannedArrivalMonth: thisMonth })).rejects.toThrow(/交流轮岗/);
    // Refused for the rotation (checked before the retirement month, which would say "not within 12 months").
    await expect(markPendingRetirement(home.manager, { teacherIds: [teacher.teacherId] })).rejects.toThrow(/交流轮岗/);

    // Not yet due: the return waits until 30 days before the end; the host can do nothing.
    await expect(takeRotationStep(home.manager, step(rotationId, 'return'))).rejects.toThrow(/尚未到期/);
    await refusedToAll([host.manager, county], teacher.teacherId, (actor) => takeRotationStep(actor, step(rotationId, 'return')));

    // An extension is asked for, refused, asked again and granted.
    await expect(takeRotationStep(home.manager, step(rotationId, 'extend', { reason: '延长一年', month: monthsFrom(thisMonth, 5) }))).rejects.toBeInstanceOf(ValidationError);
    await takeRotationStep(home.manager, step(rotationId, 'extend', { reason: '对方学校请求延长', month: monthsFrom(thisMonth, 25) }));
    expect((await getInbox(county)).find((group) => group.key === 'rotation.step')?.items.map((item) => item.href)).toContain(`/rotations/${rotationId}`);
    await takeRotationStep(county, step(rotationId, 'reject', { reason: '按原计划结束' }));
    expect((await state(teacher.teacherId)).rotations[0]).toMatchObject({ state: 'active', plannedEndMonth: monthsFrom(thisMonth, 13) });
    await takeRotationStep(home.manager, step(rotationId, 'extend', { reason: '对方学校请求延长', month: monthsFrom(thisMonth, 25) }));
    await takeRotationStep(county, step(rotationId, 'confirm'));
    expect((await state(teacher.teacherId)).rotations[0]).toMatchObject({ state: 'active', plannedEndMonth: monthsFrom(thisMonth, 25) });

    // Ended early by the home school: back at post, the entry's end month written, a version each.
    await expect(takeRotationStep(home.manager, step(rotationId, 'endEarly', { month: thisMonth }))).rejects.toBeInstanceOf(ValidationError);
    expect(await takeRotationStep(home.manager, step(rotationId, 'endEarly', { month: thisMonth, reason: '派出学校工作需要' }))).toEqual({ state: 'ended' });
    const back = await state(teacher.teacherId);
    expect(back).toMatchObject({ status: '100', version: 3, statusChanges: 2 });
    expect(back.entries[0]).toMatchObject({ endMonth: thisMonth });
    await refusedToAll([home.manager, county], teacher.teacherId, (actor) => takeRotationStep(actor, step(rotationId, 'return')));
  });

  it('reminds both schools 30 days before the end, and returns at the planned month', async () => {
    const home = await school('330282');
    const host = await school('330282');
    const teacher = await effectiveTeacher(home, '330282', '到期教师');
    const county = await actorFor('330282.manager');
    const { rotationId } = await fileRotation(home.manager, filing(teacher.teacherId, host.school.id, { plannedEndMonth: thisMonth, kind: '03' }));
    await takeRotationStep(county, step(rotationId, 'confirm'));
    for (const actor of [home.manager, host.manager]) {
      const due = (await getInbox(actor)).find((group) => group.key === 'rotation.due');
      await expectBadgeCountsTheInbox(actor);
      expect(due?.items.map((item) => item.href)).toContain(`/rotations/${rotationId}`);
    }
    expect((await listRotations(host.manager, { view: 'waiting', state: 'due' })).rows.map((row) => row.id)).toContain(rotationId);
    await expect(takeRotationStep(home.manager, step(rotationId, 'return', { month: monthsFrom(thisMonth, -1) }))).rejects.toThrow(/提前结束/);
    expect(await takeRotationStep(home.manager, step(rotationId, 'return'))).toEqual({ state: 'ended' });
    const back = await state(teacher.teacherId);
    expect(back).toMatchObject({ status: '100' });
    expect(back.entries[0]).toMatchObject({ kind: '03', endMonth: thisMonth });
    expect((await getInbox(host.manager)).find((group) => group.key === 'rotation.due')?.items.map((item) => item.href) ?? []).not.toContain(`/rotations/${rotationId}`);
  });

  it('withdrawn by the home school or refused by the authority, the teacher stays at post with nothing written', async () => {
    const home = await school('330282');
    const host = await school('330282');
    const teacher = await effectiveTeacher(home, '330282', '撤回教师');
    const county = await actorFor('330282.manager');
    const first = await fileRotation(home.manager, filing(teacher.teacherId, host.school.id));
    await refusedToAll([host.manager, county], teacher.teacherId, (actor) => takeRotationStep(actor, step(first.rotationId, 'withdraw')));
    await takeRotationStep(home.manager, step(first.rotationId, 'withdraw'));
    const second = await fileRotation(home.manager, filing(teacher.teacherId, 0, { hostSchoolCode: host.school.code }));
    await takeRotationStep(county, step(second.rotationId, 'reject', { reason: '接收学校岗位已满' }));
    expect(await state(teacher.teacherId)).toMatchObject({ status: '100', version: 1, entries: [], statusChanges: 0 });
    expect((await getRotation(home.manager, second.rotationId)).rejectionReason).toBe('接收学校岗位已满');
    // Confirmed for next month, then called off before it starts: the entry goes again, the teacher is at post.
    const third = await fileRotation(home.manager, filing(teacher.teacherId, host.school.id, { startMonth: monthsFrom(thisMonth, 1), plannedEndMonth: monthsFrom(thisMonth, 13) }));
    await takeRotationStep(county, step(third.rotationId, 'confirm'));
    expect(await state(teacher.teacherId)).toMatchObject({ status: '205', entries: [expect.any(Object)] });
    await refusedToAll([host.manager, county], teacher.teacherId, (actor) => takeRotationStep(actor, step(third.rotationId, 'cancel', { reason: '接收学校撤回需求' })));
    await expect(takeRotationStep(home.manager, step(third.rotationId, 'cancel'))).rejects.toBeInstanceOf(ValidationError);
    expect(await takeRotationStep(home.manager, step(third.rotationId, 'cancel', { reason: '接收学校撤回需求' }))).toEqual({ state: 'withdrawn' });
    expect(await state(teacher.teacherId)).toMatchObject({ status: '100', entries: [], statusChanges: 2 });
  });

  it('with a change of personnel relation runs the transfer chain and writes the 交流轮岗 entry on completion', async () => {
    const sending = await school('330282');
    const receiving = await school('330282');
    const teacher = await effectiveTeacher(sending, '330282', '关系随走');
    const county = await actorFor('330282.manager');
    const base = { idNumber: teacher.idNumber, name: teacher.name, kind: 'rotation' as const, reason: '城乡交流，人事关系随转', postCategory: '1', postTitle: '', plannedArrivalMonth: thisMonth };
    await expect(fileTransfer(receiving.manager, { ...base, rotationKind: '' })).rejects.toThrow(/交流轮岗类型/);
    const { transferId } = await fileTransfer(receiving.manager, { ...base, rotationKind: '01' });
    // A rotation without the relation cannot start meanwhile.
    await expect(fileRotation(sending.manager, filing(teacher.teacherId, receiving.school.id))).rejects.toThrow(/调动/);
    await takeTransferStep(county, { id: transferId, action: 'confirm', reason: '', leavingMonth: '', arrivalMonth: '' });
    await takeTransferStep(sending.manager, { id: transferId, action: 'agree', reason: '', leavingMonth: thisMonth, arrivalMonth: '' });
    await takeTransferStep(county, { id: transferId, action: 'confirm', reason: '', leavingMonth: '', arrivalMonth: '' });
    await takeTransferStep(receiving.manager, { id: transferId, action: 'receive', reason: '', leavingMonth: '', arrivalMonth: thisMonth });
    const moved = await state(teacher.teacherId);
    expect(moved).toMatchObject({ unitId: receiving.school.id, status: '100' });
    expect(moved.entries).toEqual([{ kind: '01', fromUnit: expect.any(String), toUnit: expect.any(String), startMonth: thisMonth, personnelChange: '1' }]);
  });
});

/** A county of its own: the plan's figures then depend on this test alone. */
async function seedCounty(): Promise<{ code: string; id: number; manager: Actor }> {
  const city = await getUnitByCode('330200');
  const code = `3302${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const [created] = await (await getDb()).transaction((tx) => insertUnitsWithDefaultAccounts(tx, [{ code, name: `测试县${code}`, kind: 'authority', tier: 'county', parentId: city.id, parentPath: city.path, divisionCode: '330282' }]));
  return { code, id: created.id, manager: await actorFor(`${code}.manager`) };
}

async function schoolIn(countyCode: string, typeCode = '211'): Promise<SchoolFixture> {
  const created = await seedSchool({ authorityCode: countyCode, typeCode });
  return { school: created, sysadmin: await actorFor(`${created.code}.admin`), manager: await actorFor(`${created.code}.manager`) };
}

async function setBasic(teacherId: number, field: string, value: string) {
  await (await getDb()).execute(sql`update teachers set record = jsonb_set(record, ${`{basic,${field}}`}::text[], to_jsonb(${value}::text)) where id = ${teacherId}`);
}

describe('the county rotation plan', () => {
  it('counts eligible, planned, away and key teachers per school against the targets, as computed by hand', async () => {
    const county = await seedCounty();
    const a = await schoolIn(county.code);
    const b = await schoolIn(county.code, '311');
    const senior = await schoolIn(county.code, '342'); // 高级中学: not compulsory education, not in the plan
    const a1 = await effectiveTeacher(a, county.code, '甲一');
    const a2 = await effectiveTeacher(a, county.code, '甲二');
    await effectiveTeacher(a, county.code, '甲三');
    const aNew = await effectiveTeacher(a, county.code, '甲新');
    const b1 = await effectiveTeacher(b, county.code, '乙一');
    await effectiveTeacher(b, county.code, '乙二');
    await effectiveTeacher(senior, county.code, '高中');
    await setBasic(aNew.teacherId, 'joinSchoolDate', `${year - 2}-09`);
    // A rotation of an earlier school year is not this year's.
    const old = await effectiveTeacher(a, county.code, '甲旧');
    await setBasic(old.teacherId, 'joinSchoolDate', '2000-09');
    await setBasic(a1.teacherId, 'keyTeacherLevel', '04');
    // a1 (key) and a2 rotate this year; b1 left (3xx: not eligible any more).
    const r1 = await fileRotation(a.manager, filing(a1.teacherId, b.school.id, { startMonth: [`${year}-09`, monthsFrom(thisMonth, -11)].sort()[1] }));
    await takeRotationStep(county.manager, step(r1.rotationId, 'confirm'));
    await fileRotation(a.manager, filing(a2.teacherId, b.school.id, { startMonth: thisMonth }));
    // 甲旧 went in August, the last month of the previous school year: away now, not this year's.
    const earlier = await fileRotation(a.manager, filing(old.teacherId, b.school.id, { startMonth: `${year}-08`, plannedEndMonth: monthsFrom(thisMonth, 24) }));
    await takeRotationStep(county.manager, step(earlier.rotationId, 'confirm'));
    await recordStatusChange(b.manager, { teacherId: b1.teacherId, toStatus: '303', effectiveDate: todayIso(), reason: '因病去世', documentNumber: '' });

    const plan = await getRotationPlan(county.manager, { countyId: county.id, year });
    expect(plan.targets).toEqual({ eligibleYears: 6, minSharePermille: 100, minKeySharePermille: 200 });
    expect(plan.schools.map((s) => s.schoolId).sort()).toEqual([a.school.id, b.school.id].sort());
    const figuresOf = (id: number) => plan.schools.find((s) => s.schoolId === id)!;
    // By hand: A has 4 eligible (甲新 joined 2 years ago), 2 planned this school year (one a key teacher), 2 away now (甲一, 甲旧).
    expect(figuresOf(a.school.id)).toMatchObject({ eligible: 4, required: 1, planned: 2, plannedKey: 1, rotatingNow: 2, sharePermille: 500, keySharePermille: 500, meetsShare: true, meetsKeyShare: true });
    // B: 1 eligible (乙一 died), nobody planned.
    expect(figuresOf(b.school.id)).toMatchObject({ eligible: 1, required: 1, planned: 0, plannedKey: 0, rotatingNow: 0, sharePermille: 0, keySharePermille: null, meetsShare: false, meetsKeyShare: false });
    expect(plan.total).toMatchObject({ eligible: 5, required: 1, planned: 2, plannedKey: 1, rotatingNow: 2, sharePermille: 400, keySharePermille: 500 });

    // The county raises its targets; the figures follow. Others may not set them, and nothing changes.
    for (const actor of [a.manager, await actorFor('330200.manager'), await actorFor(`${county.code}.admin`), await actorFor(`${county.code}.query1`)]) {
      await expect(saveRotationTargets(actor, { year, eligibleYears: 3, minSharePercent: 80, minKeySharePercent: 60 })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await getRotationPlan(county.manager, { countyId: county.id, year })).targetsSetBy).toBeNull();
    await saveRotationTargets(county.manager, { year, eligibleYears: 2, minSharePercent: 80, minKeySharePercent: 60 });
    const raised = await getRotationPlan(county.manager, { countyId: county.id, year });
    expect(raised.targets).toEqual({ eligibleYears: 2, minSharePermille: 800, minKeySharePermille: 600 });
    expect(raised.targetsSetBy).not.toBeNull();
    expect(raised.schools.find((s) => s.schoolId === a.school.id)).toMatchObject({ eligible: 5, required: 4, planned: 2, meetsShare: false, meetsKeyShare: false });

    // Drill-down: the eligible of A, with the key teacher and this year's rotations marked.
    const eligible = await listEligibleTeachers(county.manager, { countyId: county.id, year, schoolId: a.school.id });
    expect(eligible.rows.map((row) => row.name).sort()).toEqual(['甲一', '甲三', '甲二', '甲新', '甲旧'].sort());
    expect(eligible.rows.find((row) => row.name === '甲旧')).toMatchObject({ rotationState: 'active', keyTeacher: null });
    expect(eligible.rows.find((row) => row.name === '甲一')).toMatchObject({ keyTeacher: '县级骨干教师', rotationState: 'active', statusCode: '205' });
    expect(eligible.rows.find((row) => row.name === '甲二')).toMatchObject({ rotationState: 'filed' });
    expect(eligible.rows.every((row) => row.idNumberMasked.includes('*'))).toBe(true);

    // The city reads the county's plan; a county beside it and schools do not.
    await expect(getRotationPlan(await actorFor('330200.manager'), { countyId: county.id, year })).resolves.toMatchObject({ total: { eligible: 6 } });
    await expect(getRotationPlan(await actorFor('330282.manager'), { countyId: county.id, year })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getRotationPlan(a.manager, { countyId: county.id, year })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('compares shares exactly', () => {
    const targets = { eligibleYears: 6, minSharePermille: 100, minKeySharePermille: 200 };
    expect(planFigures({ eligible: 10, planned: 1, plannedKey: 0, rotatingNow: 0 }, targets)).toMatchObject({ required: 1, sharePermille: 100, meetsShare: true, meetsKeyShare: false });
    expect(planFigures({ eligible: 11, planned: 1, plannedKey: 1, rotatingNow: 0 }, targets)).toMatchObject({ required: 2, meetsShare: false, meetsKeyShare: true });
    expect(planFigures({ eligible: 0, planned: 0, plannedKey: 0, rotatingNow: 0 }, targets)).toMatchObject({ required: 0, sharePermille: null, meetsShare: true });
    expect(planFigures({ eligible: 30, planned: 5, plannedKey: 1, rotatingNow: 2 }, targets)).toMatchObject({ required: 3, keySharePermille: 200, meetsKeyShare: true });
  });
});

describe('a school moved under another authority', () => {
  it('takes its open rotation along: the new county confirms, the old one (still the host’s) may not', async () => {
    const home = await school('330282');
    const host = await school('330282');
    const teacher = await effectiveTeacher(home, '330282', '随校划转');
    const { rotationId } = await fileRotation(home.manager, filing(teacher.teacherId, host.school.id));
    const [unit] = await (await getDb()).select({ code: units.code, name: units.name, schoolTypeCode: units.schoolTypeCode }).from(units).where(eq(units.id, home.school.id));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('学校名单');
    sheet.addRow(Object.values(schoolListColumns));
    sheet.addRow([unit.code, unit.name, unit.schoolTypeCode!, '330281', '330281', '公办', '']);
    const outcome = await importSchoolList(await actorFor('330000.admin'), { name: 'schools.xlsx', bytes: new Uint8Array(await workbook.xlsx.writeBuffer()) });
    expect(outcome).toMatchObject({ ok: true, summary: { updated: 1 } });
    const oldCounty = await actorFor('330282.manager');
    const newCounty = await actorFor('330281.manager');
    await expect(takeRotationStep(oldCounty, step(rotationId, 'confirm'))).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getInbox(oldCounty)).find((group) => group.key === 'rotation.step')?.items.map((item) => item.href) ?? []).not.toContain(`/rotations/${rotationId}`);
    expect((await getInbox(newCounty)).find((group) => group.key === 'rotation.step')?.items.map((item) => item.href)).toContain(`/rotations/${rotationId}`);
    expect(await takeRotationStep(newCounty, step(rotationId, 'confirm'))).toEqual({ state: 'active' });
    expect(await state(teacher.teacherId)).toMatchObject({ status: '205' });
  });
});

describe.skipIf(!onServer)('交流轮岗 races (PostgreSQL)', () => {
  it('two filings for one teacher: one wins; two confirmations: one moves the record', async () => {
    const home = await school('330282');
    const host = await school('330282');
    const teacher = await effectiveTeacher(home, '330282', '并发交流');
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => fileRotation(home.manager, filing(teacher.teacherId, host.school.id))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true);
    const rotationId = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<{ rotationId: number }>).value.rotationId;
    const county = await actorFor('330282.manager');
    const confirms = await Promise.allSettled([takeRotationStep(county, step(rotationId, 'confirm')), takeRotationStep(county, step(rotationId, 'confirm')), takeRotationStep(home.manager, step(rotationId, 'withdraw'))]);
    expect(confirms.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const after = await state(teacher.teacherId);
    // Either confirmed once (one entry, one status change) or withdrawn (nothing written).
    if (after.rotations[0].state === 'active') expect(after).toMatchObject({ status: '205', statusChanges: 1, entries: [expect.any(Object)] });
    else expect(after).toMatchObject({ status: '100', statusChanges: 0, entries: [] });
  });
});

if (!onServer) console.info('交流轮岗 races skipped: PGlite runs transactions one after another; set DATABASE_URL to run them on PostgreSQL.');
