import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, auditLog, changeRequestFields, indicatorSettings, recordReviews, teacherEntries, teachers, teacherVersions } from '@/lib/db/schema';
import { rollupTotalsOf } from '@/lib/units/queries';
import type { Actor } from '@/lib/auth/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { diffSnapshots } from '@/lib/records/diff';
import { approveRecordsSchema, decideSchema, fileAdditionSchema, fileChangeRequestSchema, returnRecordsSchema } from '@/lib/collection/schemas';
import { approveRecords, returnRecords, setReviewDelegation, submitRecords } from '@/lib/collection/review/service';
import { decideAddition, fileAddition } from '@/lib/collection/additions/service';
import { decideChangeRequest, fileChangeRequest } from '@/lib/collection/changes/service';
import { markReminderRead, sendReminders, setDeadline } from '@/lib/collection/steering/service';
import { getProgress, getRecordWorkflow, listReviewQueue } from '@/lib/collection/queries';
import { getInbox, inboxCount } from '@/lib/inbox/queries';
import { loadSessionAccount } from '@/lib/auth/queries';
import { saveEntry, saveSection } from '@/lib/teachers/editing/service';
import ExcelJS from 'exceljs';
import { getProvinceSettings, getSettingsRecheck } from '@/lib/indicators/queries';
import { runSettingsRecheck, saveIndicatorSettings } from '@/lib/indicators/service';
import { defaultProvinceSettings } from '@/lib/indicators/settings';
import { settingsToForm } from '@/lib/indicators/schemas';
import { applyRollupDeltas } from '@/lib/units/service';
import { actorFor, exportTeachersNow, getUnitByCode, school, teacherIn, expectBadgeCountsTheInbox } from './support/factories';

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return Number(rowsOf<{ n: number }>(await (await getDb()).execute(query))[0].n);
}

/** The queued re-check of one version of a province's settings. */
async function recheckJobOf(provinceUnitId: number, version: number): Promise<{ jobId: string }> {
  const [row] = await (await getDb())
    .select({ jobId: indicatorSettings.recheckJobId })
    .from(indicatorSettings)
    .where(and(eq(indicatorSettings.provinceUnitId, provinceUnitId), eq(indicatorSettings.version, version)));
  return { jobId: row.jobId! };
}

async function stateOf(teacherId: number) {
  const [row] = await (await getDb()).select({ state: teachers.recordState, complete: teachers.complete, returnReason: teachers.returnReason, version: teachers.effectiveVersion, record: teachers.record }).from(teachers).where(eq(teachers.id, teacherId));
  return row;
}

async function rollupOf(unitId: number) {
  return (await rollupTotalsOf(await getDb(), [unitId])).get(unitId)!;
}

/** A second information manager in a unit (units start with one), for the same-person rule. */
async function extraManager(unitCode: string, suffix: string): Promise<Actor> {
  const unit = await getUnitByCode(unitCode);
  const username = `${unitCode}.${suffix}`;
  await (await getDb()).transaction(async (tx) => {
    const created = await tx.insert(accounts).values({ username, unitId: unit.id, role: 'manager', displayName: `${unit.name}${suffix}` }).onConflictDoNothing().returning({ id: accounts.id });
    await applyRollupDeltas(tx, [{ path: unit.path, accounts: created.length }]);
  });
  return actorFor(username);
}

async function expectError(promise: Promise<unknown>, type: new (...args: never[]) => Error, message?: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  if (message) expect((error as Error).message).toMatch(message);
}

describe('school review and reporting', () => {
  it('reports complete drafts, lists incomplete ones with reasons, and keeps the progress totals in step', async () => {
    const fixture = await school('330106');
    const complete = await teacherIn(fixture, { complete: true, name: '完整' });
    const incomplete = await teacherIn(fixture, { complete: false, name: '缺岗位' });
    expect((await stateOf(complete)).complete).toBe(true);
    expect((await stateOf(incomplete)).complete).toBe(false);
    expect(await rollupOf(fixture.school.id)).toMatchObject({ teachers: 2, recordsComplete: 1, recordsSubmitted: 0 });

    const outcome = await submitRecords(fixture.sysadmin, { teacherIds: [complete, incomplete] });
    expect(outcome.submitted).toEqual([complete]);
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]).toMatchObject({ teacherId: incomplete, name: '缺岗位' });
    expect(outcome.failed[0].problems.map((p) => p.message)).toContain('至少须填写一条岗位聘任');
    expect((await stateOf(complete)).state).toBe('submitted');
    expect((await stateOf(incomplete)).state).toBe('draft');
    expect(await rollupOf(fixture.school.id)).toMatchObject({ recordsComplete: 1, recordsSubmitted: 1 });

    // Reported records are read-only for the school.
    const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, complete));
    await expectError(saveSection(fixture.manager, { teacherId: complete, revision: row.revision, subset: 'basic', values: { healthStatus: '2' } }), ForbiddenError);
    // Reporting it again is refused with a reason, not an error.
    expect((await submitRecords(fixture.sysadmin, { teacherIds: [complete] })).refused[0].reason).toMatch(/已报送/);
  });

  it('lets only the school head report, unless the sysadmin delegates it to the manager', async () => {
    const fixture = await school('330106');
    const other = await school('330106');
    const teacherId = await teacherIn(fixture);
    await expectError(submitRecords(fixture.manager, { teacherIds: [teacherId] }), ForbiddenError);
    await expectError(submitRecords(await actorFor(`${fixture.school.code}.query1`), { teacherIds: [teacherId] }), ForbiddenError);
    await expectError(submitRecords(other.sysadmin, { teacherIds: [teacherId] }), NotFoundError);
    await expectError(setReviewDelegation(fixture.manager, true), ForbiddenError);
    await setReviewDelegation(fixture.sysadmin, true);
    const delegated = (await loadSessionAccount(fixture.manager.accountId, null))!.actor;
    expect(delegated.mayReviewRecords).toBe(true);
    expect((await submitRecords(delegated, { teacherIds: [teacherId] })).submitted).toEqual([teacherId]);
  });
});

describe('authority review', () => {
  it('is done by the competent authority only: the county for its schools, the province for its own', async () => {
    const countySchool = await school('330106');
    const provinceSchool = await school('330000');
    const a = await teacherIn(countySchool);
    const b = await teacherIn(provinceSchool);
    await submitRecords(countySchool.sysadmin, { teacherIds: [a] });
    await submitRecords(provinceSchool.sysadmin, { teacherIds: [b] });
    const county = await actorFor('330106.manager');
    const city = await actorFor('330100.manager');
    const province = await actorFor('330000.manager');
    // The city is above the county but is not the school's competent authority.
    await expectError(approveRecords(city, approveRecordsSchema.parse({ teacherIds: [a] })), NotFoundError);
    await expectError(approveRecords(province, approveRecordsSchema.parse({ teacherIds: [a] })), NotFoundError);
    await expectError(approveRecords(county, approveRecordsSchema.parse({ teacherIds: [b] })), NotFoundError);
    await expectError(approveRecords(await actorFor('330106.query1'), approveRecordsSchema.parse({ teacherIds: [a] })), ForbiddenError);
    await expectError(approveRecords(await actorFor('330106.admin'), approveRecordsSchema.parse({ teacherIds: [a] })), ForbiddenError);
    await expectError(approveRecords(countySchool.manager, approveRecordsSchema.parse({ teacherIds: [a] })), ForbiddenError);
    expect((await listReviewQueue(county, {})).rows.map((r) => r.id)).toContain(a);
    expect((await listReviewQueue(county, {})).rows.map((r) => r.id)).not.toContain(b);
    expect((await approveRecords(county, approveRecordsSchema.parse({ teacherIds: [a] }))).approved).toEqual([a]);
    expect((await approveRecords(province, approveRecordsSchema.parse({ teacherIds: [b] }))).approved).toEqual([b]);
    expect((await stateOf(a)).state).toBe('effective');
    expect((await stateOf(b)).state).toBe('effective');
  });

  it('returns with a required reason that the school and the teacher see; the fixed record is reported again', async () => {
    const fixture = await school('330106');
    const teacherId = await teacherIn(fixture);
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    const county = await actorFor('330106.manager');
    expect(returnRecordsSchema.safeParse({ teacherIds: [teacherId], reason: ' ' }).success).toBe(false);
    await returnRecords(county, { teacherIds: [teacherId], reason: '进本校年月有误' });
    expect(await stateOf(teacherId)).toMatchObject({ state: 'draft', returnReason: '进本校年月有误' });
    expect(await rollupOf(fixture.school.id)).toMatchObject({ recordsSubmitted: 0, recordsReturned: 1 });
    const [account] = await (await getDb()).select({ username: accounts.username }).from(accounts).innerJoin(teachers, eq(teachers.accountId, accounts.id)).where(eq(teachers.id, teacherId));
    const teacher = await actorFor(account.username);
    const seen = await getRecordWorkflow(teacher, teacherId);
    expect(seen.returnReason).toBe('进本校年月有误');
    expect(seen.timeline.map((t) => t.action)).toEqual(['return', 'submit']);
    expect((await getInbox(teacher)).find((g) => g.key === 'teacher.returned')?.count).toBe(1);
    await expectBadgeCountsTheInbox(teacher);
    expect((await getInbox(fixture.manager)).find((g) => g.key === 'record.returned')?.items[0].detail).toMatch(/进本校年月有误/);
    await expectBadgeCountsTheInbox(fixture.manager);
    // The school fixes and reports it again; the return is cleared.
    const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
    await saveSection(fixture.manager, { teacherId, revision: row.revision, subset: 'basic', values: { joinSchoolDate: '2011-09' } });
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    expect(await stateOf(teacherId)).toMatchObject({ state: 'submitted', returnReason: null });
    expect(await rollupOf(fixture.school.id)).toMatchObject({ recordsSubmitted: 1, recordsReturned: 0 });
    await approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] }));
    expect(await stateOf(teacherId)).toMatchObject({ state: 'effective', version: 1 });
    await expectError(returnRecords(county, { teacherIds: [teacherId], reason: '太晚了' }), ConflictError, /已生效/);
  });

  it('refuses an approver who filed or reported the record', async () => {
    const fixture = await school('330106');
    const teacherId = await teacherIn(fixture);
    const county = await actorFor('330106.manager');
    const colleague = await extraManager('330106', 'manager2');
    // The county's manager corrects the draft itself before the school reports it.
    const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
    await saveSection(county, { teacherId, revision: row.revision, subset: 'basic', values: { healthStatus: '2' } });
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    await expectError(approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] })), ConflictError, /本人填报或报送/);
    expect((await approveRecords(colleague, approveRecordsSchema.parse({ teacherIds: [teacherId] }))).approved).toEqual([teacherId]);
  });

  it('lets exactly one of 20 concurrent approvals through: one transition, one version, one audit row', async () => {
    const fixture = await school('330106');
    const teacherId = await teacherIn(fixture);
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    const county = await actorFor('330106.manager');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] }))));
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(ConflictError);
    const db = await getDb();
    const [audits] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, 'record.approve'), eq(auditLog.targetId, String(teacherId))));
    const [versions] = await db.select({ n: sql<number>`count(*)::int` }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacherId));
    const [reviews] = await db.select({ n: sql<number>`count(*)::int` }).from(recordReviews).where(and(eq(recordReviews.teacherId, teacherId), eq(recordReviews.action, 'approve')));
    expect({ audits: audits.n, versions: versions.n, reviews: reviews.n }).toEqual({ audits: 1, versions: 1, reviews: 1 });
    expect(await rollupOf(fixture.school.id)).toMatchObject({ recordsSubmitted: 0, recordsEffective: 1 });
  });
});

describe('after a record is effective', () => {
  async function effectiveTeacher() {
    const fixture = await school('330106');
    const teacherId = await teacherIn(fixture);
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    const county = await actorFor('330106.manager');
    await approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] }));
    const [account] = await (await getDb()).select({ username: accounts.username }).from(accounts).innerJoin(teachers, eq(teachers.accountId, accounts.id)).where(eq(teachers.id, teacherId));
    return { fixture, teacherId, county, teacher: await actorFor(account.username) };
  }

  it('diffs versions field by field', () => {
    const v1 = { record: { basic: { name: '李明', healthStatus: '1' } }, entries: { education: [{ id: 7, values: { educationLevel: '21' } }] } };
    const v2 = { record: { basic: { name: '李明', healthStatus: '2', email: 'a@b.cn' } }, entries: { education: [{ id: 7, values: { educationLevel: '21' } }], training: [{ id: 9, values: { year: '2026' } }] } };
    expect(diffSnapshots(v1, v2)).toEqual([
      { subset: 'basic', entryId: null, field: 'healthStatus', oldValue: '1', newValue: '2' },
      { subset: 'basic', entryId: null, field: 'email', oldValue: null, newValue: 'a@b.cn' },
      { subset: 'training', entryId: 9, field: 'year', oldValue: null, newValue: '2026' },
    ]);
    expect(diffSnapshots(null, v1)).toHaveLength(3);
  });

  it('keeps the effective version immutable: edits are refused, version 1 holds the approved record', async () => {
    const { teacherId, fixture } = await effectiveTeacher();
    const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
    await expectError(saveSection(fixture.manager, { teacherId, revision: row.revision, subset: 'basic', values: { healthStatus: '2' } }), ForbiddenError);
    await expectError(saveEntry(fixture.manager, { teacherId, subset: 'training', values: { year: '2026', category: '01', project: 'x' } }), ForbiddenError);
    const [v1] = await (await getDb()).select().from(teacherVersions).where(eq(teacherVersions.teacherId, teacherId));
    expect(v1).toMatchObject({ version: 1, kind: 'collection' });
    expect(v1.snapshot.record.basic.healthStatus).toBe('1');
    expect(v1.snapshot.entries.post).toHaveLength(1);
  });

  it('takes new information from the teacher into effect after the school and then the authority approve', async () => {
    const { teacherId, fixture, county, teacher } = await effectiveTeacher();
    const training = { year: '2026', category: '01', project: '国培计划', hours: '24' };
    // 学分 is school-only: the teacher's value for it is ignored.
    const { additionId } = await fileAddition(teacher, fileAdditionSchema.parse({ teacherId, subset: 'training', values: { ...training, credits: '5' } }));
    await expectError(fileAddition(teacher, fileAdditionSchema.parse({ teacherId, subset: 'assessment', values: { year: '2025', result: '1' } })), ForbiddenError, /由学校或教育行政部门填报/);
    await expectError(fileAddition(teacher, fileAdditionSchema.parse({ teacherId, subset: 'training', values: { year: '2026' } })), ValidationError);
    // Not yet effective: nothing in the record, and the authority cannot skip the school.
    expect(await (await getDb()).select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'training')))).toHaveLength(0);
    await expectError(decideAddition(county, decideSchema.parse({ id: additionId, decision: 'approve' })), ConflictError);
    expect((await getInbox(fixture.sysadmin)).find((g) => g.key === 'addition.school')?.count).toBe(1);
    await expectBadgeCountsTheInbox(fixture.sysadmin);
    await decideAddition(fixture.sysadmin, decideSchema.parse({ id: additionId, decision: 'approve' }));
    expect((await getInbox(county)).find((g) => g.key === 'addition.authority')?.count).toBeGreaterThanOrEqual(1);
    await expectBadgeCountsTheInbox(county);
    expect((await decideAddition(county, decideSchema.parse({ id: additionId, decision: 'approve' }))).state).toBe('effective');
    const entries = await (await getDb()).select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'training')));
    expect(entries.map((e) => e.values)).toEqual([training]);
    const workflow = await getRecordWorkflow(teacher, teacherId);
    expect(workflow.effectiveVersion).toBe(2);
    expect(workflow.versions[0]).toMatchObject({ version: 2, kind: 'addition' });
    expect(workflow.versions[0].diff.map((d) => [d.field, d.newValue]).sort()).toEqual(Object.entries(training).sort());
    await expectError(decideAddition(county, decideSchema.parse({ id: additionId, decision: 'approve' })), ConflictError);
  });

  it('applies an approved change request atomically as a new version, and refuses a second pending one on the same field', async () => {
    const { teacherId, fixture, county } = await effectiveTeacher();
    await expectError(fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '1' }, reason: '无变化' })), ValidationError, /没有修改/);
    await expectError(fileChangeRequest(fixture.sysadmin, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '2' }, reason: '体检结果' })), ForbiddenError);
    const first = await fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '2', politicalStatus: ['01'] }, reason: '体检与入党' }));
    await expectError(fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '3' }, reason: '再改一次' })), ConflictError, /健康状况/);
    const other = await fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { joinSchoolDate: '2011-09' }, reason: '核对档案' }));
    // Nothing changes before approval.
    expect((await stateOf(teacherId)).record.basic.healthStatus).toBe('1');
    await expectError(decideChangeRequest(await actorFor('330100.manager'), decideSchema.parse({ id: first.requestId, decision: 'approve' })), NotFoundError);
    const decided = await decideChangeRequest(county, decideSchema.parse({ id: first.requestId, decision: 'approve', comment: '同意' }));
    expect(decided).toEqual({ state: 'approved', version: 2 });
    const after = await stateOf(teacherId);
    expect(after.record.basic).toMatchObject({ healthStatus: '2', politicalStatus: ['01'], joinSchoolDate: '2010-09' });
    const [v2] = await (await getDb()).select().from(teacherVersions).where(and(eq(teacherVersions.teacherId, teacherId), eq(teacherVersions.version, 2)));
    expect(v2.diff.map((d) => [d.field, d.oldValue, d.newValue]).sort()).toEqual([
      ['healthStatus', '1', '2'],
      ['politicalStatus', ['13'], ['01']],
    ]);
    // The lock went with the decision: the same field can be requested again.
    await fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '1' }, reason: '复查恢复' }));
    // A rejection leaves the record as it was.
    expect(decideSchema.safeParse({ id: other.requestId, decision: 'return' }).error?.issues[0].message).toMatch(/须填写原因/);
    await decideChangeRequest(county, decideSchema.parse({ id: other.requestId, decision: 'return', comment: '档案不支持' }));
    expect((await stateOf(teacherId)).record.basic.joinSchoolDate).toBe('2010-09');
    const locks = await (await getDb()).select().from(changeRequestFields).where(eq(changeRequestFields.teacherId, teacherId));
    expect(locks.map((l) => l.field)).toEqual(['healthStatus']);
  });

  it('takes a teacher’s own change request to the school first, then the authority, and tells the teacher the outcome', async () => {
    const { teacherId, fixture, county, teacher } = await effectiveTeacher();
    const before = (await stateOf(teacherId)).record;
    const mobile = (request: string) => fileChangeRequestSchema.parse({ teacherId, subset: 'contact', kind: 'update', values: { mobile: request }, reason: '更换手机号码' });
    // School-only information and deletions are the school's to ask for; nothing is filed.
    await expectError(fileChangeRequest(teacher, fileChangeRequestSchema.parse({ teacherId, subset: 'assessment', entryId: 1, kind: 'update', values: { result: '1' }, reason: '更正考核' })), ForbiddenError, /由学校填报/);
    const [post] = await (await getDb()).select({ id: teacherEntries.id }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'post')));
    await expectError(fileChangeRequest(teacher, fileChangeRequestSchema.parse({ teacherId, subset: 'post', entryId: post.id, kind: 'delete', reason: '删除岗位' })), ForbiddenError);
    expect(await (await getDb()).select().from(changeRequestFields).where(eq(changeRequestFields.teacherId, teacherId))).toHaveLength(0);

    const filed = await fileChangeRequest(teacher, mobile('13905710009'));
    expect(filed.state).toBe('pending_school');
    expect((await getRecordWorkflow(teacher, teacherId)).changeRequests[0]).toMatchObject({ state: 'pending_school', reason: '更换手机号码' });
    // The authority cannot skip the school, and an information manager without the head's delegation cannot pass it on.
    await expectError(decideChangeRequest(county, decideSchema.parse({ id: filed.requestId, decision: 'approve' })), ConflictError);
    await expectError(decideChangeRequest(await actorFor('330108.manager'), decideSchema.parse({ id: filed.requestId, decision: 'approve' })), NotFoundError);
    await expectError(decideChangeRequest(fixture.manager, decideSchema.parse({ id: filed.requestId, decision: 'approve' })), Error);
    expect((await getInbox(fixture.sysadmin)).find((g) => g.key === 'change.school')?.count).toBe(1);
    expect(await decideChangeRequest(fixture.sysadmin, decideSchema.parse({ id: filed.requestId, decision: 'approve' }))).toEqual({ state: 'pending' });
    expect((await stateOf(teacherId)).record).toEqual(before);
    expect((await getInbox(county)).find((g) => g.key === 'change.authority')?.count).toBeGreaterThanOrEqual(1);
    await expectBadgeCountsTheInbox(county);
    expect(await decideChangeRequest(county, decideSchema.parse({ id: filed.requestId, decision: 'approve' }))).toEqual({ state: 'approved', version: 2 });
    expect((await stateOf(teacherId)).record.contact?.mobile).toBe('13905710009');
    const audited = await (await getDb()).select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'teacher'), eq(auditLog.targetId, String(teacherId))));
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['record.change.file', 'record.change.schoolApprove', 'record.change.approve']));
    const told = (await getInbox(teacher)).find((g) => g.key === 'teacher.returned');
    await expectBadgeCountsTheInbox(teacher);
    expect(told?.items.map((item) => item.title)).toContain('变更申请已批准，信息已更新');

    // Returned by the school: the record stays, the field is free again, and the teacher reads why.
    const second = await fileChangeRequest(teacher, mobile('13905710010'));
    expect(await decideChangeRequest(fixture.sysadmin, decideSchema.parse({ id: second.requestId, decision: 'return', comment: '号码与档案不符' }))).toEqual({ state: 'rejected' });
    expect((await stateOf(teacherId)).record.contact?.mobile).toBe('13905710009');
    expect(await (await getDb()).select().from(changeRequestFields).where(eq(changeRequestFields.teacherId, teacherId))).toHaveLength(0);
    const returned = (await getInbox(teacher)).find((g) => g.key === 'teacher.returned')!.items.find((item) => item.title === '变更申请未获通过');
    expect(returned?.detail).toBe('号码与档案不符');
  });

  it('deletes an entry through a change request and refuses to delete the last required one', async () => {
    const { teacherId, fixture, county } = await effectiveTeacher();
    const [post] = await (await getDb()).select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'post')));
    await expectError(fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'post', entryId: post.id, kind: 'delete', reason: '录入重复' })), ValidationError, /至少须保留一条/);
    const [education] = await (await getDb()).select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacherId), eq(teacherEntries.subset, 'education')));
    const request = await fileChangeRequest(fixture.manager, fileChangeRequestSchema.parse({ teacherId, subset: 'education', entryId: education.id, kind: 'update', values: { institution: '杭州师范大学' }, reason: '院校名称有误' }));
    await decideChangeRequest(county, decideSchema.parse({ id: request.requestId, decision: 'approve' }));
    const [changed] = await (await getDb()).select().from(teacherEntries).where(eq(teacherEntries.id, education.id));
    expect(changed.values.institution).toBe('杭州师范大学');
  });
});

describe('forbidden actors on every other step', () => {
  it('refuses returns, decisions, change requests and deadlines to those who may not make them', async () => {
    const fixture = await school('330106');
    const teacherId = await teacherIn(fixture);
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    await expectError(returnRecords(await actorFor('330100.manager'), { teacherIds: [teacherId], reason: '越级退回' }), NotFoundError);
    await expectError(returnRecords(await actorFor('330106.query1'), { teacherIds: [teacherId], reason: '查询员退回' }), ForbiddenError);
    const county = await actorFor('330106.manager');
    await approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] }));
    const [account] = await (await getDb()).select({ username: accounts.username }).from(accounts).innerJoin(teachers, eq(teachers.accountId, accounts.id)).where(eq(teachers.id, teacherId));
    const teacher = await actorFor(account.username);
    const { additionId } = await fileAddition(fixture.manager, fileAdditionSchema.parse({ teacherId, subset: 'training', values: { year: '2026', category: '01', project: '校本研修', credits: '2' } }));
    // The filer cannot pass it at the school, nor can a manager without the delegated right, nor another county.
    await expectError(decideAddition(fixture.manager, decideSchema.parse({ id: additionId, decision: 'approve' })), ForbiddenError);
    await expectError(decideAddition(await actorFor('330108.manager'), decideSchema.parse({ id: additionId, decision: 'approve' })), NotFoundError);
    await expectError(decideAddition(teacher, decideSchema.parse({ id: additionId, decision: 'approve' })), ForbiddenError);
    const update = fileChangeRequestSchema.parse({ teacherId, subset: 'basic', kind: 'update', values: { healthStatus: '2' }, reason: '体检结果' });
    await expectError(fileChangeRequest(county, update), ForbiddenError);
    // The teacher asks only about the fields teachers fill (basic.healthStatus is one), never school-only ones.
    await expectError(fileChangeRequest(teacher, fileChangeRequestSchema.parse({ teacherId, subset: 'assessment', entryId: 1, kind: 'update', values: { result: '1' }, reason: '更正考核' })), ForbiddenError);
    await expectError(fileChangeRequest((await school('330106')).manager, update), NotFoundError);
    const { requestId } = await fileChangeRequest(fixture.manager, update);
    // The school's own request is the authority's step: the school is told who acts.
    await expectError(decideChangeRequest(fixture.sysadmin, decideSchema.parse({ id: requestId, decision: 'approve' })), ConflictError, /待主管部门审批/);
    await expectError(decideChangeRequest(await actorFor('330106.query1'), decideSchema.parse({ id: requestId, decision: 'approve' })), ForbiddenError);
    await expectError(setDeadline(await actorFor('330106.query1'), { deadline: '2030-01-01' }), ForbiddenError);
    await expectError(setDeadline(fixture.manager, { deadline: '2030-01-01' }), ForbiddenError);
    await expectError(getProgress(fixture.manager, {}), ForbiddenError);
  });
});

describe('official figures', () => {
  it('exports effective records only when the export is marked official', async () => {
    const fixture = await school('330106');
    const effective = await teacherIn(fixture, { complete: true, name: '正式教师' });
    await teacherIn(fixture, { complete: false, name: '草稿教师' });
    await submitRecords(fixture.sysadmin, { teacherIds: [effective] });
    await approveRecords(await actorFor('330106.manager'), approveRecordsSchema.parse({ teacherIds: [effective] }));
    const namesIn = async (official: boolean) => {
      const { content } = await exportTeachersNow(fixture.manager, {}, ['basic'], { official });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('基本信息')!;
      const names: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1 && typeof row.getCell(4).value === 'string') names.push(row.getCell(4).value as string);
      });
      return { names, footer: String(sheet.lastRow!.getCell(1).value) };
    };
    const official = await namesIn(true);
    expect(official.names).toEqual(['正式教师']);
    expect(official.footer).toMatch(/^正式数据/);
    const working = await namesIn(false);
    expect(working.names.sort()).toEqual(['正式教师', '草稿教师'].sort());
    expect(working.footer).toMatch(/^工作数据/);
  });
});

describe('progress, deadlines and reminders', () => {
  it('shows the hand-computed figures for each subordinate unit, with deadlines and the late marker', async () => {
    // 乌鲁木齐市天山区: the schools are new, so their rows are exactly this fixture; the county's and the
    // city's rows grow by exactly its figures.
    const city = await getUnitByCode('650100');
    const county = await getUnitByCode('650102');
    const cityManager = await actorFor('650100.manager');
    const countyManager = await actorFor('650102.manager');
    await setDeadline(cityManager, { deadline: '' }, '2026-11-29');
    await setDeadline(countyManager, { deadline: '' }, '2026-11-29');
    const cityBefore = (await getProgress(cityManager, {})).rows.find((r) => r.unitId === county.id)!;
    const a = await school('650102');
    const b = await school('650102');
    const a1 = await teacherIn(a);
    const a2 = await teacherIn(a);
    const a3 = await teacherIn(a);
    await teacherIn(a, { complete: false });
    await submitRecords(a.sysadmin, { teacherIds: [a1, a2, a3] });
    await approveRecords(countyManager, approveRecordsSchema.parse({ teacherIds: [a1] }));
    await returnRecords(countyManager, { teacherIds: [a3], reason: '照片不清晰' });
    // School B: 2 teachers, both effective.
    const b1 = await teacherIn(b);
    const b2 = await teacherIn(b);
    await submitRecords(b.sysadmin, { teacherIds: [b1, b2] });
    await approveRecords(countyManager, approveRecordsSchema.parse({ teacherIds: [b1, b2] }));

    await setDeadline(cityManager, { deadline: '2026-12-20' }, '2026-11-29');
    await expectError(setDeadline(countyManager, { deadline: '2026-12-31' }, '2026-11-29'), ValidationError, /不能晚于上级/);
    await setDeadline(countyManager, { deadline: '2026-12-05' }, '2026-11-29');

    const view = await getProgress(countyManager, { today: '2026-11-29', sort: 'name' });
    const rowA = view.rows.find((r) => r.unitId === a.school.id)!;
    const rowB = view.rows.find((r) => r.unitId === b.school.id)!;
    expect(rowA).toMatchObject({ teachers: 4, complete: 3, submitted: 1, effective: 1, returned: 1, reported: 2, completePct: 75, reportedPct: 50, effectivePct: 25, deadline: '2026-12-05', daysLeft: 6, status: 'at_risk' });
    expect(rowB).toMatchObject({ teachers: 2, complete: 2, submitted: 0, effective: 2, returned: 0, completePct: 100, reportedPct: 100, effectivePct: 100, status: 'done' });
    expect(view.total).toMatchObject({ teachers: cityBefore.teachers + 6, effective: cityBefore.effective + 3, submitted: cityBefore.submitted + 1, returned: cityBefore.returned + 1, deadline: '2026-12-20', daysLeft: 21 });
    expect((await getProgress(countyManager, { today: '2026-12-06' })).rows.find((r) => r.unitId === a.school.id)!.status).toBe('late');

    // The city sees the county as one row with the same subtree figures, and can drill down into it.
    const cityView = await getProgress(cityManager, { today: '2026-11-29' });
    expect(cityView.rows.find((r) => r.unitId === county.id)).toMatchObject({
      teachers: cityBefore.teachers + 6,
      complete: cityBefore.complete + 5,
      submitted: cityBefore.submitted + 1,
      effective: cityBefore.effective + 3,
      returned: cityBefore.returned + 1,
    });
    expect((await getProgress(cityManager, { unitId: county.id })).rows.map((r) => r.unitId)).toEqual(expect.arrayContaining([a.school.id, b.school.id]));
    await expectError(getProgress(countyManager, { unitId: city.id }), NotFoundError);

    // The county's totals equal a recount from the base table.
    const recount = await (await getDb()).execute(sql`select count(*)::int as teachers, count(*) filter (where complete)::int as complete, count(*) filter (where record_state = 'effective')::int as effective from teachers where unit_path <@ ${county.path}::ltree`);
    const [counted] = (recount as unknown as { rows?: unknown[] }).rows ?? (recount as unknown as unknown[]);
    expect(counted).toEqual({ teachers: view.total.teachers, complete: view.total.complete, effective: view.total.effective });
  });

  it('delivers a reminder to the lagging unit’s inbox until someone there reads it', async () => {
    const fixture = await school('650102');
    const countyManager = await actorFor('650102.manager');
    await expectError(sendReminders(fixture.manager, { unitIds: [fixture.school.id], message: '请尽快报送' }), ForbiddenError);
    await expectError(sendReminders(await actorFor('330106.manager'), { unitIds: [fixture.school.id], message: '请尽快报送' }), NotFoundError);
    const before = await inboxCount(fixture.sysadmin);
    await sendReminders(countyManager, { unitIds: [fixture.school.id], message: '请于12月5日前完成报送' });
    expect(await inboxCount(fixture.sysadmin)).toBe(before + 1);
    const group = (await getInbox(fixture.manager)).find((g) => g.key === 'reminder')!;
    await expectBadgeCountsTheInbox(fixture.manager);
    expect(group.items[0]).toMatchObject({ detail: '请于12月5日前完成报送' });
    await markReminderRead(fixture.manager, group.items[0].reminderId!);
    expect(await inboxCount(fixture.sysadmin)).toBe(before);
    await expectError(markReminderRead(fixture.manager, group.items[0].reminderId!), NotFoundError);
  });
});

describe('province settings and completeness', () => {
  // 内蒙古: no other test changes its settings or counts its drafts.
  it('re-checks the province’s drafts in a queued job when a required indicator is added; reporting checks the new version at once', async () => {
    const admin = await actorFor('150000.admin');
    const earlier = await getProvinceSettings(admin.unitId);
    if (earlier.settings?.custom.some((c) => !c.dropped)) {
      // A database kept from an earlier run: drop what that run added.
      const reset = settingsToForm(earlier.version, earlier.settings);
      reset.custom = reset.custom.map((c) => ({ ...c, dropped: true }));
      const { version } = await saveIndicatorSettings(admin, reset);
      await runSettingsRecheck((await recheckJobOf(admin.unitId, version)).jobId);
    }
    const fixture = await school('150102');
    const teacherId = await teacherIn(fixture);
    const other = await teacherIn(fixture);
    expect((await stateOf(teacherId)).complete).toBe(true);
    const before = await rollupOf(fixture.school.id);
    const current = await getProvinceSettings(admin.unitId);
    const form = settingsToForm(current.version, current.settings ?? defaultProvinceSettings());
    form.custom.push({ subset: 'basic', label: `牧区任教年限${current.version}`, type: 'number', required: true, optionLines: '', dropped: false });
    const { version } = await saveIndicatorSettings(admin, form);
    const job = await recheckJobOf(admin.unitId, version);
    const drafts = await count(sql`select count(*)::int as n from teachers where province_unit_id = ${admin.unitId} and record_state = 'draft'`);
    expect(await getSettingsRecheck(admin.unitId)).toEqual({ version, done: 0, total: drafts, finished: false });
    // Queued, not yet run: the flags are those of before, but reporting checks the draft against the new version.
    expect((await stateOf(other)).complete).toBe(true);
    const outcome = await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    expect(outcome.failed[0].problems.map((p) => p.fieldLabel)).toContain(`牧区任教年限${current.version}`);
    expect((await stateOf(teacherId)).state).toBe('draft');

    await runSettingsRecheck(job.jobId);
    expect(await getSettingsRecheck(admin.unitId)).toEqual({ version, done: drafts, total: drafts, finished: true });
    expect((await stateOf(other)).complete).toBe(false);
    expect((await rollupOf(fixture.school.id)).recordsComplete).toBe(before.recordsComplete - 2);
    // A late duplicate of the queue's message does nothing.
    await runSettingsRecheck(job.jobId);
    expect(await getSettingsRecheck(admin.unitId)).toEqual({ version, done: drafts, total: drafts, finished: true });
  });

  it('stops a re-check whose version was replaced: the newer version’s job re-checks every draft', async () => {
    const admin = await actorFor('150000.admin');
    const fixture = await school('150102');
    const teacherId = await teacherIn(fixture);
    const current = await getProvinceSettings(admin.unitId);
    const first = settingsToForm(current.version, current.settings ?? defaultProvinceSettings());
    first.custom.push({ subset: 'basic', label: `草场面积${current.version}`, type: 'number', required: true, optionLines: '', dropped: false });
    const older = await saveIndicatorSettings(admin, first);
    const replaced = await getProvinceSettings(admin.unitId);
    const second = settingsToForm(replaced.version, replaced.settings!);
    second.custom = second.custom.map((c) => ({ ...c, dropped: true }));
    const newer = await saveIndicatorSettings(admin, second);
    // The older job stops at once: nothing re-checked by the replaced version, and it is done.
    const completeBefore = (await stateOf(teacherId)).complete;
    await runSettingsRecheck((await recheckJobOf(admin.unitId, older.version)).jobId);
    expect((await stateOf(teacherId)).complete).toBe(completeBefore);
    const [olderRow] = rowsOf<{ done: number; finished: boolean }>(
      await (await getDb()).execute(sql`select recheck_done as done, recheck_finished_at is not null as finished from indicator_settings where province_unit_id = ${admin.unitId} and version = ${older.version}`),
    );
    expect(olderRow).toEqual({ done: 0, finished: true });
    await runSettingsRecheck((await recheckJobOf(admin.unitId, newer.version)).jobId);
    expect((await stateOf(teacherId)).complete).toBe(true);
    expect((await getSettingsRecheck(admin.unitId))?.finished).toBe(true);
  });
});
