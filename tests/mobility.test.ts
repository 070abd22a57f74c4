import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { accounts, statusChanges, teachers, teacherVersions } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { DomainError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { getInbox } from '@/lib/inbox/queries';
import { todayIso } from '@/lib/indicators/form-schema';
import { addMonths } from '@/lib/months';
import { getStatusPanel, listLeftTeachers, listPendingStatusChanges, listRetiring } from '@/lib/mobility/queries';
import { decideStatusChange, markPendingRetirement, recordStatusChange, setFlexibleRetirement } from '@/lib/mobility/service';
import { statutoryRetirement } from '@/lib/mobility/retirement';
import { setFlexibleRetirementSchema } from '@/lib/mobility/schemas';
import { auditLog } from '@/lib/db/schema';
import { fileTransfer, takeTransferStep } from '@/lib/transfers/service';
import { actorFor, effectiveTeacher, expectTotalsMatchRecount, school, expectBadgeCountsTheInbox } from './support/factories';

const onServer = Boolean(process.env.DATABASE_URL);
const today = todayIso();

async function statusRow(teacherId: number) {
  const db = await getDb();
  const [row] = await db.select({ status: teachers.personnelStatus, record: teachers.record, version: teachers.effectiveVersion, accountId: teachers.accountId }).from(teachers).where(eq(teachers.id, teacherId));
  const [changes] = await db.select({ n: sql<number>`count(*)::int` }).from(statusChanges).where(eq(statusChanges.teacherId, teacherId));
  const [login] = await db.select({ status: accounts.status }).from(accounts).where(eq(accounts.id, row.accountId!));
  return { status: row.status, recordStatus: row.record.basic.personnelStatus, version: row.version, changes: changes.n, login: login.status };
}

/** Each actor is refused, and nothing about the teacher's status changed. */
async function refusedToAll(actors: Actor[], teacherId: number, attempt: (actor: Actor) => Promise<unknown>) {
  const before = await statusRow(teacherId);
  for (const actor of actors) {
    const error = await attempt(actor).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${actor.username} must be refused`).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(await statusRow(teacherId)).toEqual(before);
  }
}

const change = (teacherId: number, toStatus: string, extra: Partial<{ effectiveDate: string; reason: string; documentNumber: string }> = {}) => ({ teacherId, toStatus, effectiveDate: today, reason: '病休', documentNumber: '', ...extra });

describe('在职情况变动', () => {
  it('takes a temporary absence and the return to post into effect at once, each a version, by the school only', async () => {
    const fixture = await school('330282');
    const other = await school('330282');
    const teacher = await effectiveTeacher(fixture, '330282', '病假教师');
    const strangers = [other.manager, fixture.sysadmin, await actorFor('330282.manager'), await actorFor('330200.manager'), await actorFor(teacher.idNumber), await actorFor(`${fixture.school.code}.query1`)];
    await refusedToAll(strangers, teacher.teacherId, (actor) => recordStatusChange(actor, change(teacher.teacherId, '203')));
    await expect(recordStatusChange(fixture.manager, change(teacher.teacherId, '100'))).rejects.toBeInstanceOf(ValidationError);
    await expect(recordStatusChange(fixture.manager, change(teacher.teacherId, '203', { effectiveDate: '2099-01-01' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(recordStatusChange(fixture.manager, change(teacher.teacherId, '203', { effectiveDate: '2009-01-01' }))).rejects.toThrow(/进本校年月/);

    expect(await recordStatusChange(fixture.manager, change(teacher.teacherId, '203', { documentNumber: '海教人〔2026〕12号' }))).toMatchObject({ state: 'effective' });
    expect(await statusRow(teacher.teacherId)).toMatchObject({ status: '203', recordStatus: '203', version: 2, login: 'active' });
    const county = await actorFor('330282.manager');
    expect(await getStatusPanel(county, teacher.teacherId)).toMatchObject({ statusName: '暂未在本单位任职-长病假', mayRecord: false });
    expect(await getStatusPanel(fixture.manager, teacher.teacherId)).toMatchObject({ mayRecord: true, serving: true });
    await recordStatusChange(fixture.manager, change(teacher.teacherId, '100', { reason: '病愈返岗' }));
    expect(await statusRow(teacher.teacherId)).toMatchObject({ status: '100', version: 3 });
    const versions = await (await getDb()).select({ kind: teacherVersions.kind, diff: teacherVersions.diff }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.teacherId)).orderBy(teacherVersions.version);
    expect(versions.map((v) => v.kind)).toEqual(['collection', 'status', 'status']);
    expect(versions[1].diff).toEqual([expect.objectContaining({ field: 'personnelStatus', oldValue: '100', newValue: '203' })]);
  });

  it('waits for the competent authority on a departure, then closes the login; a refusal keeps the teacher serving', async () => {
    const fixture = await school('330282');
    const teacher = await effectiveTeacher(fixture, '330282', '离职教师');
    const county = await actorFor('330282.manager');
    const { changeId } = await recordStatusChange(fixture.manager, change(teacher.teacherId, '307', { reason: '本人申请离职', documentNumber: '海教人〔2026〕30号' }));
    expect(await statusRow(teacher.teacherId)).toMatchObject({ status: '100', login: 'active' });
    await expect(recordStatusChange(fixture.manager, change(teacher.teacherId, '203'))).rejects.toBeInstanceOf(ConflictError);
    expect((await listPendingStatusChanges(county)).map((row) => row.id)).toContain(changeId);
    expect((await getInbox(county)).find((group) => group.key === 'status.pending')?.count).toBeGreaterThanOrEqual(1);
    await expectBadgeCountsTheInbox(county);
    const strangers = [fixture.manager, fixture.sysadmin, await actorFor('330200.manager'), await actorFor('330281.manager'), await actorFor('330282.query1'), await actorFor('330000.manager')];
    await refusedToAll(strangers, teacher.teacherId, (actor) => decideStatusChange(actor, { id: changeId, decision: 'approve', comment: '' }));
    await expect(decideStatusChange(county, { id: changeId, decision: 'return', comment: '' })).rejects.toBeInstanceOf(ValidationError);

    expect(await decideStatusChange(county, { id: changeId, decision: 'approve', comment: '' })).toEqual({ state: 'effective' });
    expect(await statusRow(teacher.teacherId)).toMatchObject({ status: '307', login: 'disabled', version: 2 });
    // No longer counted in the subtree totals; a recount of serving staff agrees.
    await expectTotalsMatchRecount('330282');
    await expect(decideStatusChange(county, { id: changeId, decision: 'approve', comment: '' })).rejects.toBeInstanceOf(ConflictError);
    // Left: no further change, no transfer; the record stays readable under 已离开.
    await expect(recordStatusChange(fixture.manager, change(teacher.teacherId, '100'))).rejects.toThrow(/已离开本单位/);
    const receiving = await school('330281');
    await expect(fileTransfer(receiving.manager, { idNumber: teacher.idNumber, name: teacher.name, kind: 'transfer', reason: '调入', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-01' })).rejects.toThrow(/已离开本单位/);
    expect((await listLeftTeachers(fixture.manager)).rows.map((row) => row.id)).toContain(teacher.teacherId);
    expect((await listLeftTeachers(county)).rows.find((row) => row.id === teacher.teacherId)).toMatchObject({ statusName: '离职', leftOn: today });
    await expect(listLeftTeachers(await actorFor('330281.manager')).then((r) => r.rows.map((row) => row.id))).resolves.not.toContain(teacher.teacherId);

    // Dashboards count serving staff by default; everyone when asked.
    const { getDashboard } = await import('@/lib/statistics/queries');
    const { parseStatFilters } = await import('@/lib/statistics/schemas');
    const serving = await getDashboard(county, parseStatFilters({ scope: 'all' }));
    const everyone = await getDashboard(county, parseStatFilters({ scope: 'all', staff: 'all' }));
    expect(everyone.total - serving.total).toBe(1);
    expect(everyone.status.find((slice) => slice.key === '307')?.count).toBe(1);
    expect(serving.status.find((slice) => slice.key === '307')).toBeUndefined();

    const kept = await effectiveTeacher(fixture, '330282', '留任教师');
    const refused = await recordStatusChange(fixture.manager, change(kept.teacherId, '306', { reason: '辞职' }));
    await decideStatusChange(county, { id: refused.changeId, decision: 'return', comment: '聘用合同未到期，请先办理解除手续' });
    expect(await statusRow(kept.teacherId)).toMatchObject({ status: '100', login: 'active' });
    // Death takes effect at once and closes the login.
    expect((await recordStatusChange(fixture.manager, change(kept.teacherId, '303', { reason: '因病去世' }))).state).toBe('effective');
    expect(await statusRow(kept.teacherId)).toMatchObject({ status: '303', login: 'disabled' });
  });

  it('lists 即将退休 for the school and its authorities, reminds the school, and sets 209 in bulk', async () => {
    const fixture = await school('330281');
    // Born 1971-10, a woman on a teaching post: 55 years and 6 months, so 2027-04 (within the next 12 months of 2026-12).
    const soon = await effectiveTeacher(fixture, '330281', '退休教师', { gender: '2', birthDate: '1971-10-05' });
    const later = await effectiveTeacher(fixture, '330281', '年轻教师', { gender: '2', birthDate: '1990-05-05' });
    const listed = await listRetiring(fixture.manager);
    const row = listed.rows.find((r) => r.id === soon.teacherId)!;
    expect(row).toMatchObject({ retirementMonth: '2027-04', retirementAge: '55岁6个月', mayMark: true, statusName: '在本单位任职' });
    expect(listed.rows.some((r) => r.id === later.teacherId)).toBe(false);
    const county = await actorFor('330281.manager');
    expect((await listRetiring(county)).rows.find((r) => r.id === soon.teacherId)).toMatchObject({ mayMark: false });
    expect((await listRetiring(await actorFor('330282.manager'))).rows.some((r) => r.id === soon.teacherId)).toBe(false);
    expect((await getInbox(fixture.manager)).find((group) => group.key === 'retirement.soon')?.items.map((item) => item.title)).toContain('退休教师');
    await expectBadgeCountsTheInbox(fixture.manager);

    await expect(markPendingRetirement(county, { teacherIds: [soon.teacherId] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(markPendingRetirement((await school('330281')).manager, { teacherIds: [soon.teacherId] })).rejects.toBeInstanceOf(NotFoundError);
    // One with a pending departure is refused on its own; the rest go ahead.
    const departing = await effectiveTeacher(fixture, '330281', '将离教师', { gender: '2', birthDate: '1971-11-05' });
    await recordStatusChange(fixture.manager, change(departing.teacherId, '306', { reason: '辞职' }));
    expect((await listRetiring(fixture.manager)).rows.find((r) => r.id === departing.teacherId)).toMatchObject({ mayMark: false });
    const outcome = await markPendingRetirement(fixture.manager, { teacherIds: [soon.teacherId, later.teacherId, departing.teacherId] });
    expect(outcome.marked).toEqual([soon.teacherId]);
    expect(outcome.refused).toEqual(
      expect.arrayContaining([expect.objectContaining({ teacherId: later.teacherId, reason: expect.stringMatching(/不到退休时间/) }), expect.objectContaining({ teacherId: departing.teacherId, reason: expect.stringMatching(/待确认/) })]),
    );
    expect(await statusRow(soon.teacherId)).toMatchObject({ status: '209', version: 2 });
    expect((await getInbox(fixture.manager)).find((group) => group.key === 'retirement.soon')?.items.map((item) => item.title) ?? []).not.toContain('退休教师');
    await expect(markPendingRetirement(fixture.manager, { teacherIds: [soon.teacherId] })).rejects.toThrow(/已是待退休/);
  });
});

describe('弹性退休', () => {
  const monthsAfter = addMonths;
  const retirementOf = async (teacherId: number) => {
    const [row] = await (await getDb()).select({ month: teachers.retirementMonth, override: teachers.retirementOverride }).from(teachers).where(eq(teachers.id, teacherId));
    return { month: row.month?.slice(0, 7), override: row.override };
  };

  it('lets the school set a month within 3 years of the statutory one, refuses others and anything outside, and clears it', async () => {
    const fixture = await school('330282');
    const other = await school('330282');
    const teacher = await effectiveTeacher(fixture, '330282', '弹性退休', { gender: '1', birthDate: '1972-05-20' });
    const statutory = statutoryRetirement('1972-05', 60).month;
    expect(await retirementOf(teacher.teacherId)).toEqual({ month: statutory, override: null });
    const input = (month: string) => ({ teacherId: teacher.teacherId, month, reason: '本人申请，单位同意', documentNumber: '' });
    for (const actor of [other.manager, await actorFor('330282.manager'), fixture.sysadmin, await actorFor(teacher.idNumber)]) {
      await expect(setFlexibleRetirement(actor, input(monthsAfter(statutory, 12))), actor.username).rejects.toBeInstanceOf(DomainError);
      expect(await retirementOf(teacher.teacherId)).toEqual({ month: statutory, override: null });
    }
    await expect(setFlexibleRetirement(fixture.manager, input(monthsAfter(statutory, 37)))).rejects.toThrow(/不能晚于/);
    await expect(setFlexibleRetirement(fixture.manager, input(monthsAfter(statutory, -37)))).rejects.toThrow(/不能早于/);
    // The basis is required at its field (the action parses with this schema before the service runs).
    expect(setFlexibleRetirementSchema.safeParse({ ...input(monthsAfter(statutory, 12)), reason: '' }).error?.issues[0]).toMatchObject({ path: ['reason'], message: '请填写依据（至少 2 个字）' });
    expect(await retirementOf(teacher.teacherId)).toEqual({ month: statutory, override: null });

    expect(await setFlexibleRetirement(fixture.manager, input(monthsAfter(statutory, 12)))).toEqual({ retirementMonth: monthsAfter(statutory, 12) });
    expect((await retirementOf(teacher.teacherId)).month).toBe(monthsAfter(statutory, 12));
    expect(await getStatusPanel(fixture.manager, teacher.teacherId)).toMatchObject({ retirementMonth: monthsAfter(statutory, 12), statutoryRetirementMonth: statutory, flexibleRetirement: true });
    const audits = await (await getDb()).select({ detail: auditLog.detail }).from(auditLog).where(and(eq(auditLog.action, "retirement.flexible"), eq(auditLog.targetId, String(teacher.teacherId))));
    expect(audits.map((row) => row.detail)).toEqual([expect.objectContaining({ from: null, to: monthsAfter(statutory, 12), statutory })]);
    await setFlexibleRetirement(fixture.manager, input(''));
    expect(await retirementOf(teacher.teacherId)).toEqual({ month: statutory, override: null });
  });
});

describe('在职情况变动 beside a transfer', () => {
  it('lets neither overtake the other: a pending departure blocks a transfer, an open transfer blocks the confirmation', async () => {
    const fixture = await school('330282');
    const receiving = await school('330281');
    const county = await actorFor('330282.manager');
    const leaving = await effectiveTeacher(fixture, '330282', '待离教师');
    const pending = await recordStatusChange(fixture.manager, change(leaving.teacherId, '305', { reason: '调出' }));
    const filing = { name: leaving.name, idNumber: leaving.idNumber, kind: 'transfer' as const, reason: '调入', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-01' };
    await expect(fileTransfer(receiving.manager, filing)).rejects.toThrow(/在职情况变动/);
    await decideStatusChange(county, { id: pending.changeId, decision: 'return', comment: '请走调动流程' });
    await fileTransfer(receiving.manager, filing);
    await expect(recordStatusChange(fixture.manager, change(leaving.teacherId, '307', { reason: '离职' }))).rejects.toThrow(/正在办理调动/);
    // The school sysadmin cannot switch a leaver's login back on.
    const dead = await effectiveTeacher(fixture, '330282', '已故教师');
    await recordStatusChange(fixture.manager, change(dead.teacherId, '303', { reason: '病故' }));
    const [account] = await (await getDb()).select({ id: teachers.accountId }).from(teachers).where(eq(teachers.id, dead.teacherId));
    const { setAccountStatus } = await import('@/lib/accounts/service');
    await expect(setAccountStatus(fixture.sysadmin, { accountId: account.id!, status: 'active' })).rejects.toThrow(/重新入职/);
    expect(await statusRow(dead.teacherId)).toMatchObject({ login: 'disabled' });
  });
});

describe('重新入职', () => {
  it('moves a teacher who left to the new school with the whole history, at post again, with a new initial password', async () => {
    const old = await school('330282');
    const teacher = await effectiveTeacher(old, '330282', '返聘教师');
    const leaving = await recordStatusChange(old.manager, change(teacher.teacherId, '307', { reason: '离职' }));
    await decideStatusChange(await actorFor('330282.manager'), { id: leaving.changeId, decision: 'approve', comment: '' });
    const hiring = await school('330281');
    const filing = { idNumber: teacher.idNumber, name: teacher.name, reason: '重新应聘到校任教', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-01' };
    // A transfer is refused (the teacher left); 重新入职 is the way.
    await expect(fileTransfer(hiring.manager, { ...filing, kind: 'transfer' })).rejects.toThrow(/重新入职/);
    const { transferId } = await fileTransfer(hiring.manager, { ...filing, kind: 'rehire' });
    const county = await actorFor('330281.manager');
    await expect(takeTransferStep(old.manager, { id: transferId, action: 'confirm', reason: '', leavingMonth: '', arrivalMonth: '' })).rejects.toBeInstanceOf(DomainError);
    expect((await takeTransferStep(county, { id: transferId, action: 'confirm', reason: '', leavingMonth: '', arrivalMonth: '' })).state).toBe('awaiting_file');
    const done = await takeTransferStep(hiring.manager, { id: transferId, action: 'receive', reason: '', leavingMonth: '', arrivalMonth: '' });
    expect(done.state).toBe('completed');
    expect(done.credential).toMatchObject({ username: teacher.idNumber, displayName: teacher.name });
    const row = await statusRow(teacher.teacherId);
    expect(row).toMatchObject({ status: '100', recordStatus: '100', login: 'active' });
    const [moved] = await (await getDb()).select({ unitId: teachers.unitId }).from(teachers).where(eq(teachers.id, teacher.teacherId));
    expect(moved.unitId).toBe(hiring.school.id);
    const { authenticate } = await import('@/lib/signin/service');
    expect(await authenticate({ username: teacher.idNumber, password: done.credential!.password, ip: '10.9.8.7' })).toMatchObject({ ok: true });
    const kinds = (await (await getDb()).select({ kind: teacherVersions.kind }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.teacherId)).orderBy(teacherVersions.version)).map((v) => v.kind);
    expect(kinds).toEqual(['collection', 'status', 'transfer', 'status']);
    await expectTotalsMatchRecount('330282');
    await expectTotalsMatchRecount('330281');
    await expectTotalsMatchRecount('330200');
  });

  it('is refused for a teacher still serving and for the deceased', async () => {
    const old = await school('330282');
    const serving = await effectiveTeacher(old, '330282', '在职教师');
    const hiring = await school('330281');
    const base = { reason: '重新入职', postCategory: '1', postTitle: '', plannedArrivalMonth: '2027-01', kind: 'rehire' as const };
    await expect(fileTransfer(hiring.manager, { ...base, idNumber: serving.idNumber, name: serving.name })).rejects.toThrow(/仍在原单位任职/);
    await recordStatusChange(old.manager, change(serving.teacherId, '303', { reason: '因病去世' }));
    await expect(fileTransfer(hiring.manager, { ...base, idNumber: serving.idNumber, name: serving.name })).rejects.toThrow(/已死亡/);
  });
});

describe('在职情况变动 under concurrency (PostgreSQL)', () => {
  it.skipIf(!onServer)('keeps one pending change per teacher when two are filed at once, and confirms it once', async () => {
    const fixture = await school('330282');
    const teacher = await effectiveTeacher(fixture, '330282', '并发教师');
    const filed = await Promise.allSettled(['301', '307', '306', '305'].map((to) => recordStatusChange(fixture.manager, change(teacher.teacherId, to, { reason: '离开' }))));
    expect(filed.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const [pending] = await (await getDb()).select({ id: statusChanges.id }).from(statusChanges).where(and(eq(statusChanges.teacherId, teacher.teacherId), eq(statusChanges.state, 'pending')));
    const county = await actorFor('330282.manager');
    const decided = await Promise.allSettled([decideStatusChange(county, { id: pending.id, decision: 'approve', comment: '' }), decideStatusChange(county, { id: pending.id, decision: 'return', comment: '材料不全' })]);
    expect(decided.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const versions = await (await getDb()).select({ kind: teacherVersions.kind }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.teacherId));
    expect(versions.filter((v) => v.kind === 'status').length).toBeLessThanOrEqual(1);
  });
});
