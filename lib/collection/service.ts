import 'server-only';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import {
  accounts,
  changeRequestFields,
  changeRequests,
  collectionDeadlines,
  recordAdditions,
  recordReviews,
  reminders,
  teacherEntries,
  teacherFieldChanges,
  teachers,
  teacherVersions,
  units,
  type FieldDiff,
  type StoredRecord,
  type StoredValue,
  type VersionSnapshot,
} from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { buildSubsetSchema, compactValues, todayIso, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { catalogueFor, extractedColumns, getScopedTeacher, refreshCompleteness, refreshDerivedFromEntries, type ScopedTeacher } from '@/lib/teachers/service';
import { applyRollupDeltas, type RollupDelta } from '@/lib/units/service';
import type { CompletenessProblem } from './completeness';
import { diffSnapshots, diffValues } from './diff';
import type { ApproveRecordsInput, DecideInput, FileAdditionInput, FileChangeRequestInput, ReturnRecordsInput, SendRemindersInput, SetDeadlineInput, SubmitRecordsInput } from './schemas';

/** A record the action could not move, and why (shown beside its name). */
export interface RefusedRecord {
  teacherId: number;
  name: string;
  reason: string;
}

export interface SubmitOutcome {
  submitted: number[];
  failed: { teacherId: number; name: string; problems: CompletenessProblem[] }[];
  refused: RefusedRecord[];
}

interface Reviewer {
  accountId: number;
  displayName: string;
  unitName: string;
}

function reviewerOf(actor: Actor): Reviewer {
  return { accountId: actor.accountId, displayName: actor.displayName, unitName: actor.unitName };
}

async function writeReviews(tx: Executor, reviewer: Reviewer, action: string, teacherIds: number[], comment: string | null): Promise<void> {
  for (let start = 0; start < teacherIds.length; start += 2000) {
    await tx.insert(recordReviews).values(
      teacherIds.slice(start, start + 2000).map((teacherId) => ({ teacherId, action, comment: comment || null, accountId: reviewer.accountId, accountName: reviewer.displayName, unitName: reviewer.unitName })),
    );
  }
}

/**
 * Seed 六(二): the school head checks drafts for completeness and reports those that pass to the
 * competent authority. Records that fail are listed with their problems and stay drafts.
 */
export async function submitRecords(actor: Actor, input: SubmitRecordsInput): Promise<SubmitOutcome> {
  assertCan(actor, 'record.submit');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const wanted = [...new Set(input.teacherIds)];
    const rows = await tx
      .select({ id: teachers.id, name: teachers.name, unitPath: teachers.unitPath, recordState: teachers.recordState, returnReason: teachers.returnReason })
      .from(teachers)
      .where(and(inArray(teachers.id, wanted), eq(teachers.unitId, actor.unitId)));
    if (rows.length !== wanted.length) throw new NotFoundError('所选记录不存在或不属于本校');
    const byId = new Map(rows.map((row) => [row.id, row]));
    const refused: RefusedRecord[] = rows.filter((row) => row.recordState !== 'draft').map((row) => ({ teacherId: row.id, name: row.name, reason: row.recordState === 'submitted' ? '已报送，等待主管部门审核' : '已生效' }));
    const checks = await refreshCompleteness(tx, rows.filter((row) => row.recordState === 'draft').map((row) => row.id));
    const failed = checks.filter((check) => check.problems.length > 0).map((check) => ({ teacherId: check.teacherId, name: byId.get(check.teacherId)!.name, problems: check.problems }));
    const passing = checks.filter((check) => check.problems.length === 0).map((check) => check.teacherId);
    const submitted = passing.length
      ? await tx
          .update(teachers)
          .set({ recordState: 'submitted', submittedBy: actor.accountId, submittedAt: new Date(), returnReason: null, returnedAt: null, updatedAt: new Date() })
          .where(and(inArray(teachers.id, passing), eq(teachers.recordState, 'draft'), eq(teachers.complete, true), eq(teachers.unitId, actor.unitId)))
          .returning({ id: teachers.id })
      : [];
    const submittedIds = submitted.map((row) => row.id);
    for (const id of passing) if (!submittedIds.includes(id)) refused.push({ teacherId: id, name: byId.get(id)!.name, reason: '记录刚被他人修改或报送，请刷新后重试' });
    await writeReviews(tx, reviewerOf(actor), 'submit', submittedIds, null);
    await applyRollupDeltas(
      tx,
      submittedIds.map((id): RollupDelta => ({ path: byId.get(id)!.unitPath, recordsSubmitted: 1, recordsReturned: byId.get(id)!.returnReason ? -1 : 0 })),
    );
    await recordAudit(tx, actor, ...submittedIds.map((id): AuditEntry => ({ action: 'record.submit', unitPath: byId.get(id)!.unitPath, targetType: 'teacher', targetId: id, detail: { name: byId.get(id)!.name } })));
    return { submitted: submittedIds, failed, refused };
  });
}

interface QueueRow {
  id: number;
  name: string;
  unitPath: string;
  recordState: 'draft' | 'submitted' | 'effective';
  submittedBy: number | null;
}

/** Records of the schools this authority is the competent authority for (their parent), within jurisdiction. */
async function loadAuthorityRecords(tx: Executor, actor: Actor, teacherIds: number[]): Promise<Map<number, QueueRow>> {
  const wanted = [...new Set(teacherIds)];
  const rows = await tx
    .select({ id: teachers.id, name: teachers.name, unitPath: teachers.unitPath, recordState: teachers.recordState, submittedBy: teachers.submittedBy })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(and(inArray(teachers.id, wanted), eq(units.parentId, actor.unitId), inJurisdiction(actor, teachers.unitPath)));
  if (rows.length !== wanted.length) throw new NotFoundError('所选记录不存在，或不是本单位主管的学校报送的记录');
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The accounts that filed a record in its current round: whoever reported it, and whoever changed a
 * field of it since its last approved version. None of them may approve it.
 */
async function recordsFiledBy(tx: Executor, accountId: number, teacherIds: number[]): Promise<Set<number>> {
  if (teacherIds.length === 0) return new Set();
  const result = await tx.execute(sql`
    select t.id from teachers t
    where t.id in (${sql.join(teacherIds.map((id) => sql`${id}::int`), sql`, `)})
      and (t.submitted_by = ${accountId} or exists (
        select 1 from teacher_field_changes c
        where c.teacher_id = t.id and c.account_id = ${accountId}
          and c.changed_at > coalesce((select max(v.approved_at) from teacher_versions v where v.teacher_id = t.id), '-infinity'::timestamptz)))`);
  return new Set(rowsOf<{ id: number }>(result).map((row) => Number(row.id)));
}

export interface ApproveOutcome {
  approved: number[];
  refused: RefusedRecord[];
}

/**
 * The competent authority approves reported records; each becomes effective with version 1. A record
 * that moved meanwhile is refused (conditional update), so two reviewers cannot both approve it.
 */
export async function approveRecords(actor: Actor, input: ApproveRecordsInput): Promise<ApproveOutcome> {
  assertCan(actor, 'record.review');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await loadAuthorityRecords(tx, actor, input.teacherIds);
    const filed = await recordsFiledBy(tx, actor.accountId, [...rows.keys()]);
    const refused: RefusedRecord[] = [];
    const eligible: number[] = [];
    for (const row of rows.values()) {
      if (row.recordState !== 'submitted') refused.push({ teacherId: row.id, name: row.name, reason: row.recordState === 'effective' ? '该记录已审核生效' : '该记录已被退回，等待学校重新报送' });
      else if (filed.has(row.id)) refused.push({ teacherId: row.id, name: row.name, reason: '不能审核本人填报或报送的记录' });
      else eligible.push(row.id);
    }
    const approved = eligible.length
      ? await tx
          .update(teachers)
          .set({ recordState: 'effective', effectiveVersion: 1, complete: true, updatedAt: new Date() })
          .where(and(inArray(teachers.id, eligible), eq(teachers.recordState, 'submitted')))
          .returning({ id: teachers.id })
      : [];
    const approvedIds = approved.map((row) => row.id);
    for (const id of eligible) if (!approvedIds.includes(id)) refused.push({ teacherId: id, name: rows.get(id)!.name, reason: '该记录刚被其他审核人处理，请刷新后查看' });
    if (approvedIds.length === 0) {
      if (refused.length === 1 || new Set(refused.map((r) => r.reason)).size === 1) throw new ConflictError(refused[0].reason);
      return { approved: [], refused };
    }
    const snapshots = await loadSnapshots(tx, approvedIds);
    for (let start = 0; start < approvedIds.length; start += 500) {
      await tx.insert(teacherVersions).values(
        approvedIds.slice(start, start + 500).map((id) => ({
          teacherId: id,
          version: 1,
          kind: 'collection',
          snapshot: snapshots.get(id)!,
          diff: diffSnapshots(null, snapshots.get(id)!),
          approvedBy: actor.accountId,
          approvedByName: `${actor.displayName}（${actor.unitName}）`,
        })),
      );
    }
    await writeReviews(tx, reviewerOf(actor), 'approve', approvedIds, input.comment);
    await applyRollupDeltas(tx, approvedIds.map((id) => ({ path: rows.get(id)!.unitPath, recordsSubmitted: -1, recordsEffective: 1 })));
    const sampled = input.sampled.filter((id) => approvedIds.includes(id));
    await recordAudit(
      tx,
      actor,
      ...approvedIds.map((id): AuditEntry => ({ action: 'record.approve', unitPath: rows.get(id)!.unitPath, targetType: 'teacher', targetId: id, detail: { name: rows.get(id)!.name, bulk: approvedIds.length > 1, ...(approvedIds.length > 1 ? { sampled: sampled.length } : {}) } })),
    );
    return { approved: approvedIds, refused };
  });
}

/** Sends reported records back to the school as drafts, with a reason the school and the teacher see. */
export async function returnRecords(actor: Actor, input: ReturnRecordsInput): Promise<ApproveOutcome> {
  assertCan(actor, 'record.review');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await loadAuthorityRecords(tx, actor, input.teacherIds);
    const refused: RefusedRecord[] = [...rows.values()].filter((row) => row.recordState !== 'submitted').map((row) => ({ teacherId: row.id, name: row.name, reason: row.recordState === 'effective' ? '记录已生效，修改须通过变更申请' : '该记录已被退回' }));
    const eligible = [...rows.values()].filter((row) => row.recordState === 'submitted').map((row) => row.id);
    const returned = eligible.length
      ? await tx
          .update(teachers)
          .set({ recordState: 'draft', returnReason: input.reason, returnedAt: new Date(), updatedAt: new Date() })
          .where(and(inArray(teachers.id, eligible), eq(teachers.recordState, 'submitted')))
          .returning({ id: teachers.id })
      : [];
    const returnedIds = returned.map((row) => row.id);
    for (const id of eligible) if (!returnedIds.includes(id)) refused.push({ teacherId: id, name: rows.get(id)!.name, reason: '该记录刚被其他审核人处理，请刷新后查看' });
    if (returnedIds.length === 0) throw new ConflictError(refused[0]?.reason ?? '没有可退回的记录');
    await writeReviews(tx, reviewerOf(actor), 'return', returnedIds, input.reason);
    await applyRollupDeltas(tx, returnedIds.map((id) => ({ path: rows.get(id)!.unitPath, recordsSubmitted: -1, recordsReturned: 1 })));
    // The settings may have changed since the report; the returned draft's flag is re-checked.
    await refreshCompleteness(tx, returnedIds);
    await recordAudit(tx, actor, ...returnedIds.map((id): AuditEntry => ({ action: 'record.return', unitPath: rows.get(id)!.unitPath, targetType: 'teacher', targetId: id, detail: { name: rows.get(id)!.name, reason: input.reason } })));
    return { approved: returnedIds, refused };
  });
}

/** The school sysadmin grants (or withdraws) the school manager's right to review and report records. */
export async function setReviewDelegation(actor: Actor, granted: boolean): Promise<void> {
  assertCan(actor, 'record.delegateReview');
  const db = await getDb();
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(accounts)
      .set({ mayReviewRecords: granted, updatedAt: new Date() })
      .where(and(eq(accounts.unitId, actor.unitId), eq(accounts.role, 'manager')))
      .returning({ id: accounts.id, username: accounts.username });
    await recordAudit(tx, actor, ...updated.map((row): AuditEntry => ({ action: granted ? 'record.review.delegate' : 'record.review.revoke', targetType: 'account', targetId: row.id, detail: { username: row.username } })));
  });
}

/** The effective record with all its entries, as a version freezes it. */
export async function loadSnapshots(tx: Executor, teacherIds: number[]): Promise<Map<number, VersionSnapshot>> {
  const snapshots = new Map<number, VersionSnapshot>();
  if (teacherIds.length === 0) return snapshots;
  for (const row of await tx.select({ id: teachers.id, record: teachers.record }).from(teachers).where(inArray(teachers.id, teacherIds))) {
    snapshots.set(row.id, { record: row.record, entries: {} });
  }
  const entries = await tx
    .select({ id: teacherEntries.id, teacherId: teacherEntries.teacherId, subset: teacherEntries.subset, values: teacherEntries.values })
    .from(teacherEntries)
    .where(inArray(teacherEntries.teacherId, teacherIds))
    .orderBy(teacherEntries.id);
  for (const entry of entries) (snapshots.get(entry.teacherId)!.entries[entry.subset] ??= []).push({ id: entry.id, values: entry.values });
  return snapshots;
}

/**
 * Freezes the current effective record as the next version. The version number moves only from the
 * one read, so two approvals on the same record cannot both write version n+1.
 */
async function createNextVersion(tx: Executor, teacherId: number, kind: 'addition' | 'change', approver: Actor): Promise<number> {
  const [current] = await tx.select({ version: teachers.effectiveVersion }).from(teachers).where(eq(teachers.id, teacherId));
  const [moved] = await tx
    .update(teachers)
    .set({ effectiveVersion: current.version + 1, updatedAt: new Date() })
    .where(and(eq(teachers.id, teacherId), eq(teachers.effectiveVersion, current.version), eq(teachers.recordState, 'effective')))
    .returning({ version: teachers.effectiveVersion });
  if (!moved) throw new ConflictError('该记录刚被其他审核人处理，请刷新后重试');
  const [previous] = await tx.select({ snapshot: teacherVersions.snapshot }).from(teacherVersions).where(and(eq(teacherVersions.teacherId, teacherId), eq(teacherVersions.version, current.version)));
  const snapshot = (await loadSnapshots(tx, [teacherId])).get(teacherId)!;
  await tx.insert(teacherVersions).values({
    teacherId,
    version: moved.version,
    kind,
    snapshot,
    diff: diffSnapshots(previous?.snapshot ?? null, snapshot),
    approvedBy: approver.accountId,
    approvedByName: `${approver.displayName}（${approver.unitName}）`,
  });
  return moved.version;
}

/** The fields of a list subset the actor may fill in a new entry after the record is effective. */
export function additionFields(actor: Actor, teacher: ScopedTeacher, subset: EffectiveSubset, selfFillable: string[]): EffectiveSubset['fields'] {
  const input = subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity);
  if (actor.role === 'teacher' && teacher.accountId === actor.accountId) {
    const self = new Set(selfFillable);
    return input.filter((field) => self.has(field.id));
  }
  if (actor.role === 'manager' && actor.unitId === teacher.unitId) return input;
  return [];
}

/** Seed 六(五): new information on an effective record, filed by the teacher (self-fillable subsets) or the school. */
export async function fileAddition(actor: Actor, input: FileAdditionInput): Promise<{ additionId: number }> {
  assertCan(actor, 'record.addInfo');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.recordState !== 'effective') throw new ValidationError('记录尚未生效，请直接在草稿中填写');
    const catalogue = await catalogueFor(teacher, tx);
    const subset = catalogue.subsets.find((s) => s.key === input.subset);
    if (!subset || !subset.multi) throw new NotFoundError('只有列表类信息集（如培训研修、学习经历）可以新增条目');
    const fields = additionFields(actor, teacher, subset, catalogue.selfFillable);
    if (fields.length === 0) throw new ForbiddenError(subset.schoolOnly && actor.role === 'teacher' ? `“${subset.label}”由学校或教育行政部门填报` : '您不能为该信息集新增条目');
    const values = validateValues({ ...subset, fields }, input.values, true);
    if (Object.keys(values).length === 0) throw new ValidationError('请填写新增的内容');
    const [addition] = await tx
      .insert(recordAdditions)
      .values({ teacherId: teacher.id, unitId: teacher.unitId, unitPath: teacher.unitPath, subset: subset.key, values, filedBy: actor.accountId, filedByName: actor.displayName })
      .returning({ id: recordAdditions.id });
    await writeReviews(tx, reviewerOf(actor), 'addition.file', [teacher.id], subset.label);
    await recordAudit(tx, actor, { action: 'record.addition.file', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { subset: subset.label, additionId: addition.id } });
    return { additionId: addition.id };
  });
}

function validateValues(subset: EffectiveSubset, values: RecordValues, enforceRequired: boolean): Record<string, StoredValue> {
  const known = new Set(subset.fields.map((field) => field.key));
  const picked = Object.fromEntries(Object.entries(values).filter(([key]) => known.has(key)));
  const parsed = buildSubsetSchema(subset, { enforceRequired }).safeParse(picked);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
    throw new ValidationError('请检查标出的内容', fieldErrors);
  }
  return compactValues(parsed.data);
}

interface AdditionRow {
  id: number;
  teacherId: number;
  unitId: number;
  unitPath: string;
  subset: string;
  values: Record<string, StoredValue>;
  filedBy: number;
  filedByName: string;
  schoolReviewedBy: number | null;
  parentId: number | null;
}

async function loadAddition(tx: Executor, actor: Actor, additionId: number): Promise<AdditionRow> {
  const [row] = await tx
    .select({
      id: recordAdditions.id,
      teacherId: recordAdditions.teacherId,
      unitId: recordAdditions.unitId,
      unitPath: recordAdditions.unitPath,
      subset: recordAdditions.subset,
      values: recordAdditions.values,
      filedBy: recordAdditions.filedBy,
      filedByName: recordAdditions.filedByName,
      schoolReviewedBy: recordAdditions.schoolReviewedBy,
      parentId: units.parentId,
    })
    .from(recordAdditions)
    .innerJoin(units, eq(units.id, recordAdditions.unitId))
    .where(and(eq(recordAdditions.id, additionId), inJurisdiction(actor, recordAdditions.unitPath)));
  if (!row) throw new NotFoundError('该新增信息不存在或不在您的管辖范围内');
  return row;
}

/**
 * One decision on new information: the school head (pending_school → pending_authority), then the
 * competent authority (pending_authority → effective, a new version). Either may return it with a reason.
 */
export async function decideAddition(actor: Actor, input: DecideInput): Promise<{ state: 'pending_authority' | 'effective' | 'returned' }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const addition = await loadAddition(tx, actor, input.id);
    const atSchool = can(actor, 'record.submit') && actor.unitId === addition.unitId;
    const atAuthority = can(actor, 'record.review') && actor.unitId === addition.parentId;
    if (!atSchool && !atAuthority) throw new ForbiddenError('只有本校负责人或主管教育行政部门可以审核新增信息');
    const from = atSchool ? 'pending_school' : 'pending_authority';
    if (input.decision === 'approve' && (addition.filedBy === actor.accountId || addition.schoolReviewedBy === actor.accountId)) {
      throw new ForbiddenError('不能审核本人提交或已审核过的信息');
    }
    const reviewer = reviewerOf(actor);
    const now = new Date();
    if (input.decision === 'return') {
      const [row] = await tx
        .update(recordAdditions)
        .set({ state: 'returned', returnReason: input.comment, decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: now })
        .where(and(eq(recordAdditions.id, addition.id), eq(recordAdditions.state, from)))
        .returning({ id: recordAdditions.id });
      if (!row) throw new ConflictError('该新增信息已被处理，请刷新后查看');
      await writeReviews(tx, reviewer, 'addition.return', [addition.teacherId], input.comment);
      await recordAudit(tx, actor, { action: 'record.addition.return', unitPath: addition.unitPath, targetType: 'teacher', targetId: addition.teacherId, detail: { additionId: addition.id, reason: input.comment } });
      return { state: 'returned' };
    }
    if (atSchool) {
      const [row] = await tx
        .update(recordAdditions)
        .set({ state: 'pending_authority', schoolReviewedBy: actor.accountId, schoolReviewedByName: actor.displayName, schoolReviewedAt: now })
        .where(and(eq(recordAdditions.id, addition.id), eq(recordAdditions.state, 'pending_school')))
        .returning({ id: recordAdditions.id });
      if (!row) throw new ConflictError('该新增信息已被处理，请刷新后查看');
      await writeReviews(tx, reviewer, 'addition.schoolApprove', [addition.teacherId], input.comment);
      await recordAudit(tx, actor, { action: 'record.addition.schoolApprove', unitPath: addition.unitPath, targetType: 'teacher', targetId: addition.teacherId, detail: { additionId: addition.id } });
      return { state: 'pending_authority' };
    }
    const [row] = await tx
      .update(recordAdditions)
      .set({ state: 'effective', decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: now })
      .where(and(eq(recordAdditions.id, addition.id), eq(recordAdditions.state, 'pending_authority')))
      .returning({ id: recordAdditions.id });
    if (!row) throw new ConflictError('该新增信息已被处理，请刷新后查看');
    const [entry] = await tx.insert(teacherEntries).values({ teacherId: addition.teacherId, subset: addition.subset, values: addition.values }).returning({ id: teacherEntries.id });
    await refreshDerivedFromEntries(tx, addition.teacherId, addition.subset);
    await tx.insert(teacherFieldChanges).values(
      diffValues(addition.subset, entry.id, {}, addition.values).map((change) => ({ teacherId: addition.teacherId, subset: change.subset, entryId: entry.id, field: change.field, oldValue: null, newValue: change.newValue, accountId: addition.filedBy, accountName: addition.filedByName, source: 'form' })),
    );
    const version = await createNextVersion(tx, addition.teacherId, 'addition', actor);
    await writeReviews(tx, reviewer, 'addition.approve', [addition.teacherId], input.comment || `生成第 ${version} 版`);
    await recordAudit(tx, actor, { action: 'record.addition.approve', unitPath: addition.unitPath, targetType: 'teacher', targetId: addition.teacherId, detail: { additionId: addition.id, version } });
    return { state: 'effective' };
  });
}


/** Fields the school manager may ask to change on an effective record (none for anyone else). */
export function changeableFields(actor: Actor, teacher: Pick<ScopedTeacher, 'unitId' | 'recordState'>, subset: EffectiveSubset): string[] {
  if (teacher.recordState !== 'effective' || !can(actor, 'record.fileChange') || actor.unitId !== teacher.unitId) return [];
  return subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity).map((field) => field.key);
}

/**
 * Seed 六(五): the school manager asks to change or delete effective information. The request holds
 * the field diff; a second pending request on any of the same fields is refused by the lock table.
 */
export async function fileChangeRequest(actor: Actor, input: FileChangeRequestInput): Promise<{ requestId: number }> {
  assertCan(actor, 'record.fileChange');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.unitId !== actor.unitId) throw new ForbiddenError('只有教师所在学校可以提交变更申请');
    if (teacher.recordState !== 'effective') throw new ValidationError('记录尚未生效，请直接修改草稿');
    const catalogue = await catalogueFor(teacher, tx);
    const subset = catalogue.subsets.find((s) => s.key === input.subset);
    if (!subset) throw new NotFoundError('信息集不存在或未被本省选用');
    const writable = new Set(changeableFields(actor, teacher, subset));
    let before: Record<string, StoredValue>;
    let entryId: number | null = null;
    if (subset.multi) {
      if (!input.entryId) throw new ValidationError('请选择要变更的条目；新增条目请使用“新增”');
      const [entry] = await tx.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.id, input.entryId), eq(teacherEntries.teacherId, teacher.id), eq(teacherEntries.subset, subset.key)));
      if (!entry) throw new NotFoundError('该条记录不存在，可能已被删除');
      before = entry.values;
      entryId = input.entryId;
    } else {
      if (input.kind === 'delete') throw new ValidationError('基本信息不能删除，只能变更');
      before = teacher.record[subset.key] ?? {};
    }
    let diff: FieldDiff[];
    let locked: string[];
    if (input.kind === 'delete') {
      if (subset.requiresEntry) {
        const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(teacherEntries).where(and(eq(teacherEntries.teacherId, teacher.id), eq(teacherEntries.subset, subset.key)));
        if (n <= 1) throw new ValidationError(`${subset.label}至少须保留一条`);
      }
      diff = diffValues(subset.key, entryId, before, {});
      // A pending deletion holds every field of the entry, so no change to it can be filed meanwhile.
      locked = subset.fields.map((field) => field.key);
    } else {
      const merged: RecordValues = { ...before };
      for (const key of writable) if (key in input.values) merged[key] = input.values[key];
      const validated = validateValues(subset, merged, true);
      const after: Record<string, StoredValue> = {};
      for (const [key, value] of Object.entries(before)) if (!writable.has(key)) after[key] = value;
      for (const key of writable) if (key in validated) after[key] = validated[key];
      diff = diffValues(subset.key, entryId, before, after);
      locked = diff.map((change) => change.field);
    }
    if (diff.length === 0) throw new ValidationError('没有修改任何内容');
    const [request] = await tx
      .insert(changeRequests)
      .values({ teacherId: teacher.id, unitId: teacher.unitId, unitPath: teacher.unitPath, subset: subset.key, entryId, kind: input.kind, diff, reason: input.reason, filedBy: actor.accountId, filedByName: actor.displayName })
      .returning({ id: changeRequests.id });
    const held = await tx
      .insert(changeRequestFields)
      .values(locked.map((field) => ({ teacherId: teacher.id, subset: subset.key, entryId: entryId ?? 0, field, requestId: request.id })))
      .onConflictDoNothing()
      .returning({ field: changeRequestFields.field });
    if (held.length !== locked.length) {
      const taken = locked.filter((field) => !held.some((row) => row.field === field)).map((field) => subset.fields.find((f) => f.key === field)?.label ?? field);
      throw new ConflictError(`“${taken.join('、')}”已有待审批的变更申请，请等待审批结果后再申请`, Object.fromEntries(locked.filter((f) => !held.some((row) => row.field === f)).map((f) => [f, ['已有待审批的变更申请']])));
    }
    await writeReviews(tx, reviewerOf(actor), 'change.file', [teacher.id], input.reason);
    await recordAudit(tx, actor, { action: 'record.change.file', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { requestId: request.id, subset: subset.label, fields: diff.length, kind: input.kind } });
    return { requestId: request.id };
  });
}

/** The competent authority approves (the diff is applied atomically, a new version is made) or rejects. */
export async function decideChangeRequest(actor: Actor, input: DecideInput): Promise<{ state: 'approved' | 'rejected'; version?: number }> {
  assertCan(actor, 'record.review');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({
        id: changeRequests.id,
        teacherId: changeRequests.teacherId,
        unitPath: changeRequests.unitPath,
        subset: changeRequests.subset,
        entryId: changeRequests.entryId,
        kind: changeRequests.kind,
        diff: changeRequests.diff,
        filedBy: changeRequests.filedBy,
        filedByName: changeRequests.filedByName,
        parentId: units.parentId,
      })
      .from(changeRequests)
      .innerJoin(units, eq(units.id, changeRequests.unitId))
      .where(and(eq(changeRequests.id, input.id), inJurisdiction(actor, changeRequests.unitPath)));
    if (!request || request.parentId !== actor.unitId) throw new NotFoundError('该变更申请不存在，或不是本单位主管的学校提交的');
    if (input.decision === 'approve' && request.filedBy === actor.accountId) throw new ForbiddenError('不能审批本人提交的变更申请');
    const approve = input.decision === 'approve';
    const [decided] = await tx
      .update(changeRequests)
      .set({ state: approve ? 'approved' : 'rejected', decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: new Date(), decisionComment: input.comment || null })
      .where(and(eq(changeRequests.id, request.id), eq(changeRequests.state, 'pending')))
      .returning({ id: changeRequests.id });
    if (!decided) throw new ConflictError('该变更申请已被处理，请刷新后查看');
    await tx.delete(changeRequestFields).where(eq(changeRequestFields.requestId, request.id));
    const reviewer = reviewerOf(actor);
    if (!approve) {
      await writeReviews(tx, reviewer, 'change.reject', [request.teacherId], input.comment);
      await recordAudit(tx, actor, { action: 'record.change.reject', unitPath: request.unitPath, targetType: 'teacher', targetId: request.teacherId, detail: { requestId: request.id, reason: input.comment } });
      return { state: 'rejected' };
    }
    await applyDiff(tx, request);
    const version = await createNextVersion(tx, request.teacherId, 'change', actor);
    await tx.insert(teacherFieldChanges).values(
      request.diff.map((change) => ({ teacherId: request.teacherId, subset: change.subset, entryId: change.entryId, field: change.field, oldValue: change.oldValue, newValue: change.newValue, accountId: request.filedBy, accountName: request.filedByName, source: 'form' })),
    );
    await writeReviews(tx, reviewer, 'change.approve', [request.teacherId], input.comment || `生成第 ${version} 版`);
    await recordAudit(tx, actor, { action: 'record.change.approve', unitPath: request.unitPath, targetType: 'teacher', targetId: request.teacherId, detail: { requestId: request.id, version } });
    return { state: 'approved', version };
  });
}

/** Applies a request's diff to the effective record, refusing if a value moved since it was filed. */
async function applyDiff(tx: Executor, request: { teacherId: number; subset: string; entryId: number | null; kind: string; diff: FieldDiff[] }): Promise<void> {
  const stale = new ConflictError('该信息在申请后已发生变化，请驳回后重新申请');
  if (request.entryId !== null) {
    const [entry] = await tx.select({ values: teacherEntries.values }).from(teacherEntries).where(and(eq(teacherEntries.id, request.entryId), eq(teacherEntries.teacherId, request.teacherId)));
    if (!entry) throw stale;
    if (request.diff.some((change) => JSON.stringify(entry.values[change.field] ?? null) !== JSON.stringify(change.oldValue))) throw stale;
    if (request.kind === 'delete') await tx.delete(teacherEntries).where(eq(teacherEntries.id, request.entryId));
    else await tx.update(teacherEntries).set({ values: applyChanges(entry.values, request.diff), updatedAt: new Date() }).where(eq(teacherEntries.id, request.entryId));
    await refreshDerivedFromEntries(tx, request.teacherId, request.subset);
    return;
  }
  const [teacher] = await tx.select({ record: teachers.record }).from(teachers).where(and(eq(teachers.id, request.teacherId), eq(teachers.recordState, 'effective')));
  if (!teacher) throw stale;
  const before = teacher.record[request.subset] ?? {};
  if (request.diff.some((change) => JSON.stringify(before[change.field] ?? null) !== JSON.stringify(change.oldValue))) throw stale;
  const after = applyChanges(before, request.diff);
  const record: StoredRecord = { ...teacher.record, [request.subset]: after };
  await tx
    .update(teachers)
    .set({ record, ...(request.subset === basicSubsetKey ? extractedColumns(after) : {}), revision: sql`${teachers.revision} + 1` })
    .where(and(eq(teachers.id, request.teacherId), eq(teachers.recordState, 'effective')));
}

function applyChanges(values: Record<string, StoredValue>, diff: FieldDiff[]): Record<string, StoredValue> {
  const next = { ...values };
  for (const change of diff) {
    if (change.newValue === null) delete next[change.field];
    else next[change.field] = change.newValue;
  }
  return next;
}

/**
 * Seed 六(四): an authority sets the collection deadline for the units below it. A lower tier may set
 * an earlier date than its superiors, never a later one. An empty date removes the unit's own deadline.
 */
export async function setDeadline(actor: Actor, input: SetDeadlineInput, today = todayIso()): Promise<void> {
  assertCan(actor, 'collection.steer');
  const db = await getDb();
  await db.transaction(async (tx) => {
    const ancestors = actor.unitPath.split('.').map(Number).filter((id) => id !== actor.unitId);
    if (input.deadline === '') {
      await tx.delete(collectionDeadlines).where(eq(collectionDeadlines.unitId, actor.unitId));
    } else {
      if (input.deadline < today) throw new ValidationError('截止日期不能早于今天', { deadline: ['截止日期不能早于今天'] });
      if (ancestors.length) {
        const [upper] = await tx
          .select({ deadline: collectionDeadlines.deadline, unitName: units.name })
          .from(collectionDeadlines)
          .innerJoin(units, eq(units.id, collectionDeadlines.unitId))
          .where(inArray(collectionDeadlines.unitId, ancestors))
          .orderBy(collectionDeadlines.deadline)
          .limit(1);
        if (upper && input.deadline > upper.deadline) {
          const message = `不能晚于上级“${upper.unitName}”设定的截止日期 ${upper.deadline}`;
          throw new ValidationError(message, { deadline: [message] });
        }
      }
      await tx
        .insert(collectionDeadlines)
        .values({ unitId: actor.unitId, deadline: input.deadline, setBy: actor.accountId, setByName: actor.displayName })
        .onConflictDoUpdate({ target: collectionDeadlines.unitId, set: { deadline: input.deadline, setBy: actor.accountId, setByName: actor.displayName, updatedAt: new Date() } });
    }
    await recordAudit(tx, actor, { action: 'collection.deadline.set', targetType: 'unit', targetId: actor.unitId, detail: { deadline: input.deadline || null } });
  });
}

/** A superior reminds lagging units below it; the reminder waits in their inbox until read. */
export async function sendReminders(actor: Actor, input: SendRemindersInput): Promise<{ sent: number }> {
  assertCan(actor, 'collection.steer');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const wanted = [...new Set(input.unitIds)];
    const targets = await tx
      .select({ id: units.id, name: units.name, path: units.path })
      .from(units)
      .where(and(inArray(units.id, wanted), inJurisdiction(actor, units.path), ne(units.id, actor.unitId), ne(units.kind, 'institution')));
    if (targets.length !== wanted.length) throw new NotFoundError('所选单位不存在或不在您的管辖范围内');
    await tx.insert(reminders).values(targets.map((unit) => ({ fromUnitId: actor.unitId, fromUnitName: actor.unitName, fromAccountName: actor.displayName, toUnitId: unit.id, message: input.message })));
    await recordAudit(tx, actor, ...targets.map((unit): AuditEntry => ({ action: 'collection.remind', unitPath: unit.path, targetType: 'unit', targetId: unit.id, detail: { unit: unit.name, message: input.message } })));
    return { sent: targets.length };
  });
}

/** Anyone on the staff of the reminded unit can mark the reminder read, which takes it out of the inbox. */
export async function markReminderRead(actor: Actor, reminderId: number): Promise<void> {
  if (actor.role !== 'sysadmin' && actor.role !== 'manager') throw new ForbiddenError();
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(reminders)
      .set({ readAt: new Date(), readByName: actor.displayName })
      .where(and(eq(reminders.id, reminderId), eq(reminders.toUnitId, actor.unitId), isNull(reminders.readAt)))
      .returning({ id: reminders.id });
    if (!row) throw new NotFoundError('该催办已处理或不存在');
    await recordAudit(tx, actor, { action: 'collection.reminder.read', targetType: 'reminder', targetId: reminderId });
  });
}
