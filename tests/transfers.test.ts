import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, auditLog, caseEvents, recordSupplements, teacherEntries, teachers, teacherVersions, transfers } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { fileChangeRequest } from '@/lib/collection/changes/service';
import { fileAddition } from '@/lib/collection/additions/service';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { getInbox, inboxCount } from '@/lib/inbox/queries';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { todayIso } from '@/lib/indicators/form-schema';
import { saveIndicatorSettings } from '@/lib/indicators/service';
import { settingsToForm } from '@/lib/indicators/schemas';
import { defaultProvinceSettings } from '@/lib/indicators/settings';
import { getTeacherRecord } from '@/lib/teachers/queries';
import { fileTransfer, findTransferTeacher, readTransferAttachment, takeTransferStep } from '@/lib/transfers/service';
import { getTransfer, getTransferYearTotals, listOwnTransfers, listTransfers } from '@/lib/transfers/queries';
import type { TransferStepInput } from '@/lib/transfers/schemas';
import { actorFor, effectiveTeacher, expectTotalsMatchRecount, getUnitByCode, rollup, school, teacherIn, expectBadgeCountsTheInbox } from './support/factories';

const onServer = Boolean(process.env.DATABASE_URL);
// The months as the service sees them (China Standard Time).
const thisMonth = todayIso().slice(0, 7);
const lastMonth = (() => {
  const [year, month] = thisMonth.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
})();

async function expectError(promise: Promise<unknown>, type: new (...args: never[]) => Error, message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${type.name}`).toBeInstanceOf(type);
  if (message) expect((error as Error).message).toMatch(message);
}

function step(id: number, action: TransferStepInput['action'], extra: Partial<TransferStepInput> = {}): TransferStepInput {
  return { id, action, reason: '', leavingMonth: '', arrivalMonth: '', ...extra };
}

/** Everything a refused step could have touched: the case, its timeline, and the teacher row. */
async function snapshot(transferId: number, teacherId: number) {
  const db = await getDb();
  const [transfer] = await db.select().from(transfers).where(eq(transfers.id, transferId));
  const [events] = await db.select({ n: sql<number>`count(*)::int` }).from(caseEvents).where(and(eq(caseEvents.flow, 'transfer'), eq(caseEvents.caseId, transferId)));
  const [teacher] = await db.select({ unitId: teachers.unitId, unitPath: teachers.unitPath, revision: teachers.revision, version: teachers.effectiveVersion }).from(teachers).where(eq(teachers.id, teacherId));
  return { transfer, events: events.n, teacher };
}

/** Everyone but the allowed party is refused the step (not found, forbidden, or a conflict when it is not their turn), and nothing changes. */
async function refusedToAllBut(allowed: Actor, everyone: Actor[], transferId: number, teacherId: number, input: TransferStepInput) {
  const before = await snapshot(transferId, teacherId);
  for (const actor of everyone) {
    if (actor.accountId === allowed.accountId) continue;
    const error = await takeTransferStep(actor, input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${actor.username} must be refused ${input.action}`).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(await snapshot(transferId, teacherId)).toEqual(before);
  }
}

describe('教师调动 between two counties of one city', () => {
  it('passes the chain step by step, each step refused to every other party, and completes in one transaction', async () => {
    const sending = await school('330203');
    const receiving = await school('330205');
    const beside = await school('330205');
    const otherProvince = await school('320104');
    const teacher = await effectiveTeacher(sending, '330203', '调动甲');
    const parties = {
      receivingSchool: receiving.manager,
      receivingAuthority: await actorFor('330205.manager'),
      sendingSchool: sending.manager,
      sendingAuthority: await actorFor('330203.manager'),
    };
    const others = [
      receiving.sysadmin,
      sending.sysadmin,
      beside.manager,
      otherProvince.manager,
      await actorFor('330205.query1'),
      await actorFor('330200.manager'),
      await actorFor('330000.manager'),
      await actorFor('000000.manager'),
      await actorFor('320104.manager'),
      await actorFor(`${teacher.idNumber}`),
    ];
    const everyone = [...Object.values(parties), ...others];

    // Finding needs the ID number and the name together; the candidate shows four facts only.
    await expectError(findTransferTeacher(receiving.manager, { idNumber: teacher.idNumber, name: '别人' }), NotFoundError);
    await expectError(findTransferTeacher(receiving.sysadmin, { idNumber: teacher.idNumber, name: teacher.name }), ForbiddenError);
    expect(await findTransferTeacher(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name })).toEqual({ name: '调动甲', idNumberMasked: expect.stringMatching(/^\d{4}\*+\d{3}[\dX]$/), gender: '2', schoolName: expect.any(String) });
    await expectError(findTransferTeacher(sending.manager, { idNumber: teacher.idNumber, name: teacher.name }), ValidationError, /已在本校/);

    const filing = { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer' as const, reason: '工作需要', postCategory: '1', postTitle: '小学语文教师', plannedArrivalMonth: '2027-03' };
    await expectError(fileTransfer(beside.sysadmin, filing), ForbiddenError);
    // A miss while filing is audited after the filing's transaction, which leaves nothing behind.
    const misses = async () => (await getDb()).select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, 'transfer.lookup.miss'), eq(auditLog.actorAccountId, receiving.manager.accountId)));
    const missesBefore = (await misses())[0].n;
    await expectError(fileTransfer(receiving.manager, { ...filing, name: '别人' }), NotFoundError);
    expect((await misses())[0].n).toBe(missesBefore + 1);
    expect(await (await getDb()).select().from(transfers).where(eq(transfers.teacherId, teacher.teacherId))).toEqual([]);
    const { transferId: id } = await fileTransfer(receiving.manager, filing);
    await expectError(fileTransfer(beside.manager, filing), ConflictError, /已有正在办理的调动/);

    // The receiving side sees the core four only until the sending school agrees; outsiders see nothing.
    expect((await getTransfer(receiving.manager, id)).teacherSummary).toBeNull();
    expect((await getTransfer(sending.manager, id)).teacherSummary).not.toBeNull();
    await expectError(getTransfer(beside.manager, id), NotFoundError);
    await expectError(getTransfer(otherProvince.manager, id), NotFoundError);
    expect((await getTransfer(await actorFor('330200.query1'), id)).actions).toEqual([]);
    expect((await listTransfers(beside.manager, { view: 'all' })).rows.some((row) => row.id === id)).toBe(false);

    // While the transfer is open the record takes no addition or change request.
    await expectError(fileAddition(sending.manager, { teacherId: teacher.teacherId, subset: 'training', values: { trainingYear: '2025' } }), ConflictError, /正在办理调动/);
    await expectError(fileChangeRequest(sending.manager, { teacherId: teacher.teacherId, subset: 'contact', kind: 'update', values: { mobile: '13900000000' }, reason: '号码变更' }), ConflictError, /正在办理调动/);

    // Step 2: the receiving school's competent authority; a rejection needs a reason.
    expect((await getTransfer(parties.receivingAuthority, id)).actions.map((a) => a.action).sort()).toEqual(['confirm', 'reject']);
    expect((await getTransfer(parties.receivingSchool, id)).actions.map((a) => a.action)).toEqual(['withdraw']);
    await expectError(takeTransferStep(parties.receivingAuthority, step(id, 'reject')), ValidationError);
    expect((await getInbox(parties.receivingAuthority)).find((g) => g.key === 'transfer.step')?.items.some((item) => item.href === `/transfers/${id}`)).toBe(true);
    await expectBadgeCountsTheInbox(parties.receivingAuthority);
    await refusedToAllBut(parties.receivingAuthority, everyone, id, teacher.teacherId, step(id, 'confirm'));
    expect((await takeTransferStep(parties.receivingAuthority, step(id, 'confirm', { reason: '同意' }))).state).toBe('sent');
    await expectError(takeTransferStep(parties.receivingAuthority, step(id, 'confirm')), ConflictError);
    await expectError(takeTransferStep(parties.receivingSchool, step(id, 'withdraw')), ConflictError);

    // Step 3: the sending school agrees with its leaving month.
    await refusedToAllBut(parties.sendingSchool, everyone, id, teacher.teacherId, step(id, 'agree', { leavingMonth: thisMonth }));
    const beforeMonths = await snapshot(id, teacher.teacherId);
    await expectError(takeTransferStep(parties.sendingSchool, step(id, 'agree', { leavingMonth: '2009-01' })), ValidationError, /不能早于进本校年月/);
    await expectError(takeTransferStep(parties.sendingSchool, step(id, 'agree', { leavingMonth: '2099-01' })), ValidationError, /一年以后/);
    expect(await snapshot(id, teacher.teacherId)).toEqual(beforeMonths);
    expect((await takeTransferStep(parties.sendingSchool, step(id, 'agree', { leavingMonth: thisMonth }))).state).toBe('sending_agreed');
    expect((await getTransfer(receiving.manager, id)).teacherSummary).not.toBeNull();

    // Step 4: the sending school's competent authority; within one province no province relay.
    await refusedToAllBut(parties.sendingAuthority, everyone, id, teacher.teacherId, step(id, 'confirm'));
    expect((await takeTransferStep(parties.sendingAuthority, step(id, 'confirm'))).state).toBe('awaiting_file');

    // Step 6: the receiving school receives the file and the transfer completes.
    const sendingCounty = await getUnitByCode('330203');
    const receivingCounty = await getUnitByCode('330205');
    const before = { sending: await rollup(sendingCounty.id), receiving: await rollup(receivingCounty.id), city: await rollup((await getUnitByCode('330200')).id) };
    await refusedToAllBut(parties.receivingSchool, everyone, id, teacher.teacherId, step(id, 'receive', { arrivalMonth: thisMonth }));
    await expectError(takeTransferStep(parties.receivingSchool, step(id, 'receive', { arrivalMonth: lastMonth })), ValidationError, /不能早于离校年月/);
    await expectError(takeTransferStep(parties.receivingSchool, step(id, 'receive', { arrivalMonth: '2099-01' })), ValidationError, /不能晚于本月/);
    expect((await takeTransferStep(parties.receivingSchool, step(id, 'receive', { arrivalMonth: thisMonth }))).state).toBe('completed');

    const db = await getDb();
    const [moved] = await db.select().from(teachers).where(eq(teachers.id, teacher.teacherId));
    expect(moved.unitId).toBe(receiving.school.id);
    expect(moved.unitPath).toBe(receiving.school.path);
    expect(moved.recordState).toBe('effective');
    expect(moved.record.basic.joinSchoolDate).toBe(thisMonth);
    const [login] = await db.select({ unitId: accounts.unitId, username: accounts.username }).from(accounts).where(eq(accounts.id, moved.accountId!));
    expect(login.unitId).toBe(receiving.school.id);
    expect((await actorFor(teacher.idNumber)).unitId).toBe(receiving.school.id);
    const work = await db.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacher.teacherId), eq(teacherEntries.subset, 'work')));
    expect(work.map((w) => w.values)).toEqual([expect.objectContaining({ startMonth: thisMonth, post: '小学语文教师' })]);
    const [version] = await db.select().from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.teacherId)).orderBy(sql`${teacherVersions.version} desc`).limit(1);
    expect(version).toMatchObject({ version: 2, kind: 'transfer' });
    expect(version.diff).toEqual(expect.arrayContaining([expect.objectContaining({ subset: 'basic', field: 'joinSchoolDate', newValue: thisMonth }), expect.objectContaining({ subset: 'work', field: 'startMonth', newValue: thisMonth })]));

    // The totals moved from one county to the other; the city above both did not change; a recount agrees.
    const after = { sending: await rollup(sendingCounty.id), receiving: await rollup(receivingCounty.id), city: await rollup((await getUnitByCode('330200')).id) };
    expect(after.sending.teachers).toBe(before.sending.teachers - 1);
    expect(after.sending.recordsEffective).toBe(before.sending.recordsEffective - 1);
    expect(after.receiving.teachers).toBe(before.receiving.teachers + 1);
    expect(after.receiving.accounts).toBe(before.receiving.accounts + 1);
    expect(after.city).toEqual(before.city);
    await expectTotalsMatchRecount('330203');
    await expectTotalsMatchRecount('330205');
    await expectTotalsMatchRecount('330200');

    // The new school now holds the record; the old one no longer finds it; the teacher follows it on /me.
    expect((await getTeacherRecord(receiving.manager, teacher.teacherId)).id).toBe(teacher.teacherId);
    await expectError(getTeacherRecord(sending.manager, teacher.teacherId), NotFoundError);
    const own = await listOwnTransfers(await actorFor(teacher.idNumber));
    expect(own[0]).toMatchObject({ id, state: 'completed' });
    expect(own[0].events.map((e) => e.label)).toEqual(['调入学校提交申请', '确认', '调出学校同意', '确认', '调档，调动完成']);
    expect((await getTransferYearTotals(parties.receivingAuthority)).incoming).toBeGreaterThanOrEqual(1);
    expect((await getTransferYearTotals(parties.sendingAuthority)).outgoing).toBeGreaterThanOrEqual(1);
    const events = await db.select({ action: caseEvents.action, toState: caseEvents.toState }).from(caseEvents).where(and(eq(caseEvents.flow, 'transfer'), eq(caseEvents.caseId, id)));
    expect(events.map((e) => e.toState)).toEqual(['filed', 'sent', 'sending_agreed', 'awaiting_file', 'completed']);
  });

  it('refuses records that are not effective or have pending requests, and takes a refiling after a rejection', async () => {
    const sending = await school('330203');
    const receiving = await school('330205');
    const draftId = await teacherIn(sending, { complete: true, name: '草稿教师' });
    const db = await getDb();
    const [draft] = await db.select({ enc: teachers.idNumberEnc }).from(teachers).where(eq(teachers.id, draftId));
    const { revealStoredIdNumber } = await import('@/lib/teachers/identity');
    const base = { kind: 'transfer' as const, reason: '工作需要', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-03' };
    await expectError(fileTransfer(receiving.manager, { ...base, idNumber: revealStoredIdNumber(draft.enc!), name: '草稿教师' }), ConflictError, /尚未审核生效/);

    const pending = await effectiveTeacher(sending, '330203', '待审教师');
    await fileChangeRequest(sending.manager, { teacherId: pending.teacherId, subset: 'contact', kind: 'update', values: { mobile: '13900000001' }, reason: '号码变更' });
    const countFor = async (teacherId: number) => (await db.select({ n: sql<number>`count(*)::int` }).from(transfers).where(eq(transfers.teacherId, teacherId)))[0].n;
    const count = () => countFor(pending.teacherId);
    await expectError(fileTransfer(receiving.manager, { ...base, idNumber: pending.idNumber, name: pending.name }), ConflictError, /待审批的新增信息或变更申请/);
    expect(await count()).toBe(0);

    const teacher = await effectiveTeacher(sending, '330203', '被拒教师');
    // The attachment must be a PDF or a JPG within 5 MB, checked by its bytes; a refusal files nothing.
    const filing = { ...base, idNumber: teacher.idNumber, name: teacher.name };
    await expectError(fileTransfer(receiving.manager, filing, { name: 'a.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('<html>not a pdf</html>') }), ValidationError, /PDF 或 JPG/);
    await expectError(fileTransfer(receiving.manager, filing, { name: 'big.pdf', type: 'application/pdf', bytes: new Uint8Array(6 * 1024 * 1024).fill(0x25) }), ValidationError, /5 MB/);
    expect(await countFor(teacher.teacherId)).toBe(0);
    const pdf = new TextEncoder().encode('%PDF-1.4 调动审批材料');
    const { transferId } = await fileTransfer(receiving.manager, filing, { name: '调动审批表.pdf', type: 'application/pdf', bytes: pdf });
    const attachment = await readTransferAttachment(sending.manager, transferId);
    expect(attachment).toMatchObject({ fileName: '调动审批表.pdf', contentType: 'application/pdf' });
    expect(new Uint8Array(attachment.content)).toEqual(pdf);
    await expectError(readTransferAttachment((await school('330205')).manager, transferId), NotFoundError);
    await takeTransferStep(await actorFor('330205.manager'), step(transferId, 'confirm'));
    await expectError(takeTransferStep(sending.manager, step(transferId, 'reject', { reason: '' })), ValidationError);
    await takeTransferStep(sending.manager, step(transferId, 'reject', { reason: '毕业班教学任务未完成' }));
    const rejected = await getTransfer(receiving.manager, transferId);
    expect(rejected).toMatchObject({ state: 'rejected', rejectionReason: '毕业班教学任务未完成', actions: [] });
    const again = await fileTransfer(receiving.manager, { ...base, idNumber: teacher.idNumber, name: teacher.name, reason: '教学任务完成后再次申请' });
    expect(again.transferId).toBeGreaterThan(transferId);
    // The receiving school withdraws it before its authority acts.
    await takeTransferStep(receiving.manager, step(again.transferId, 'withdraw'));
    expect((await getTransfer(receiving.manager, again.transferId)).state).toBe('withdrawn');
  });
});

describe('教师调动 across provinces', () => {
  it('adds each province’s confirmation, keeps the old province’s own values hidden and asks for what the new one requires', async () => {
    // 江苏 requires an indicator of its own that the Zhejiang record cannot have.
    const jiangsuAdmin = await actorFor('320000.admin');
    const current = await getProvinceSettings(jiangsuAdmin.unitId);
    const form = settingsToForm(current.version, current.settings ?? defaultProvinceSettings());
    const label = `江苏调入测试指标${current.version}`;
    form.custom.push({ subset: 'basic', label, type: 'text', required: true, optionLines: '', dropped: false });
    await saveIndicatorSettings(jiangsuAdmin, form);
    const customKey = (await getProvinceSettings(jiangsuAdmin.unitId)).settings!.custom.find((c) => c.label === label)!.key;

    const sending = await school('330203');
    const receiving = await school('320104');
    const teacher = await effectiveTeacher(sending, '330203', '跨省教师');
    const db = await getDb();
    // A value of an indicator only Zhejiang has (as a province's own indicator would leave on the record).
    await db.execute(sql`update teachers set record = jsonb_set(record, '{basic,pZhejiangOnly}', '"浙江自有值"') where id = ${teacher.teacherId}`);
    const { transferId: id } = await fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'rotation', rotationKind: '04', reason: '对口交流', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-09' });
    const provinces = { receiving: await actorFor('320000.manager'), sending: await actorFor('330000.manager') };
    const everyone = [receiving.manager, sending.manager, await actorFor('320104.manager'), await actorFor('330203.manager'), provinces.receiving, provinces.sending, await actorFor('320100.manager'), await actorFor('000000.manager')];
    expect((await getTransfer(receiving.manager, id)).route).toEqual(['filed', 'receiving_province', 'sent', 'sending_agreed', 'sending_province', 'awaiting_file']);

    await takeTransferStep(await actorFor('320104.manager'), step(id, 'confirm'));
    await refusedToAllBut(provinces.receiving, everyone, id, teacher.teacherId, step(id, 'confirm'));
    expect((await takeTransferStep(provinces.receiving, step(id, 'confirm'))).state).toBe('sent');
    await takeTransferStep(sending.manager, step(id, 'agree', { leavingMonth: lastMonth }));
    expect((await takeTransferStep(await actorFor('330203.manager'), step(id, 'confirm'))).state).toBe('sending_province');
    await refusedToAllBut(provinces.sending, everyone, id, teacher.teacherId, step(id, 'confirm'));
    await takeTransferStep(provinces.sending, step(id, 'confirm'));
    await takeTransferStep(receiving.manager, step(id, 'receive'));

    const [moved] = await db.select({ provinceUnitId: teachers.provinceUnitId, recordState: teachers.recordState, record: teachers.record }).from(teachers).where(eq(teachers.id, teacher.teacherId));
    expect(moved.provinceUnitId).toBe(jiangsuAdmin.unitId);
    expect(moved.recordState).toBe('effective');
    expect(moved.record.basic.pZhejiangOnly).toBe('浙江自有值');
    expect(moved.record.basic.joinSchoolDate).toBe(thisMonth);
    const view = await getTeacherRecord(receiving.manager, teacher.teacherId);
    expect(view.catalogue.subsets[0].fields.some((f) => f.key === 'pZhejiangOnly')).toBe(false);
    const [supplement] = await db.select().from(recordSupplements).where(eq(recordSupplements.teacherId, teacher.teacherId));
    expect(supplement.unitId).toBe(receiving.school.id);
    expect(supplement.problems.map((p) => p.field)).toContain(customKey);
    expect((await getInbox(receiving.manager)).find((g) => g.key === 'record.supplement')?.items.map((i) => i.href)).toContain(`/teachers/${teacher.teacherId}`);
    await expectBadgeCountsTheInbox(receiving.manager);
    await expectTotalsMatchRecount('330000');
    await expectTotalsMatchRecount('320000');

    // Filling the missing field through a change request clears 待补充.
    await fileChangeRequest(receiving.manager, { teacherId: teacher.teacherId, subset: 'basic', kind: 'update', values: { [customKey]: '已补充' }, reason: '调入后补充本省指标' });
    const { decideChangeRequest } = await import('@/lib/collection/changes/service');
    const [request] = rowsOf<{ id: number }>(await db.execute(sql`select id from change_requests where teacher_id = ${teacher.teacherId} and state = 'pending'`));
    await decideChangeRequest(await actorFor('320104.manager'), { id: Number(request.id), decision: 'approve', comment: '' });
    expect(await db.select().from(recordSupplements).where(eq(recordSupplements.teacherId, teacher.teacherId))).toEqual([]);
  });
});

describe('教师调动 under concurrency (PostgreSQL)', () => {
  it.skipIf(!onServer)('lets one of two schools filing for the same teacher at the same moment win', async () => {
    const sending = await school('330203');
    const a = await school('330205');
    const b = await school('330205');
    const teacher = await effectiveTeacher(sending, '330203', '争抢教师');
    const input = { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer' as const, reason: '工作需要', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-03' };
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => fileTransfer(i % 2 ? a.manager : b.manager, input)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    const [open] = await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(transfers).where(eq(transfers.teacherId, teacher.teacherId));
    expect(open.n).toBe(1);
  });

  it.skipIf(!onServer)('lets one of two approvers racing on one step win, and the loser changes nothing', async () => {
    const sending = await school('330203');
    const receiving = await school('330205');
    const teacher = await effectiveTeacher(sending, '330203', '竞态教师');
    const { transferId } = await fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer', reason: '工作需要', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-03' });
    const county = await actorFor('330205.manager');
    const outcomes = await Promise.allSettled([
      takeTransferStep(county, step(transferId, 'confirm')),
      takeTransferStep(county, step(transferId, 'reject', { reason: '名额已满' })),
      takeTransferStep(county, step(transferId, 'confirm')),
      takeTransferStep(receiving.manager, step(transferId, 'withdraw')),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    const events = await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(caseEvents).where(and(eq(caseEvents.flow, 'transfer'), eq(caseEvents.caseId, transferId)));
    expect(events[0].n).toBe(2);
  });

  it.skipIf(!onServer)('completes a transfer once when the receiving school clicks twice at the same moment', async () => {
    const sending = await school('330203');
    const receiving = await school('330205');
    const teacher = await effectiveTeacher(sending, '330203', '双击教师');
    const { transferId: id } = await fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer', reason: '工作需要', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-03' });
    await takeTransferStep(await actorFor('330205.manager'), step(id, 'confirm'));
    await takeTransferStep(sending.manager, step(id, 'agree', { leavingMonth: thisMonth }));
    await takeTransferStep(await actorFor('330203.manager'), step(id, 'confirm'));
    const outcomes = await Promise.allSettled([takeTransferStep(receiving.manager, step(id, 'receive')), takeTransferStep(receiving.manager, step(id, 'receive'))]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const versions = await (await getDb()).select({ kind: teacherVersions.kind }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.teacherId));
    expect(versions.filter((v) => v.kind === 'transfer')).toHaveLength(1);
    await expectTotalsMatchRecount('330205');
  });
});

describe('教师调动 overdue steps', () => {
  it('reach the authorities above the unit whose turn it is, in their inbox and in the header’s count, and not the unit’s side elsewhere', async () => {
    const sending = await school('330381');
    const receiving = await school('330382');
    const teacher = await effectiveTeacher(sending, '330381', '超期甲');
    const { transferId } = await fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer', reason: '工作需要', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-03' });
    const city = await actorFor('330300.manager');
    const province = await actorFor('330000.manager');
    const ministry = await actorFor('000000.manager');
    const otherProvince = await actorFor('320000.manager');
    const overdueOf = async (actor: Actor) => (await getInbox(actor)).find((group) => group.key === 'transfer.overdue');
    // Waiting since today: late for nobody.
    expect((await overdueOf(city))?.items.map((item) => item.id) ?? []).not.toContain(`to${transferId}`);
    await (await getDb()).update(transfers).set({ stateSince: sql`now() - interval '20 days'` }).where(eq(transfers.id, transferId));
    for (const actor of [city, province, ministry]) {
      const group = await overdueOf(actor);
      expect(group?.items.map((item) => item.id), actor.username).toContain(`to${transferId}`);
      // The header counts what the inbox lists (below the badge's cap).
      expect(await inboxCount(actor)).toBe((await getInbox(actor)).reduce((sum, g) => sum + g.count, 0));
      await expectBadgeCountsTheInbox(actor);
    }
    expect((await overdueOf(otherProvince))?.items.map((item) => item.id) ?? []).not.toContain(`to${transferId}`);
  });
});
