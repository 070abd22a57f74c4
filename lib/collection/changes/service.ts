import 'server-only';
import { syncConfirmedTraining } from '@/lib/training/ledger/service';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { changeRequestFields, changeRequests, teacherEntries, teacherFieldChanges, teachers, units, type FieldDiff, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { type RecordValues } from '@/lib/indicators/form-schema';
import { catalogueFor, extractedColumns, getScopedTeacher, refreshDerivedFromEntries } from '@/lib/teachers/service';
import { diffValues } from '@/lib/records/diff';
import type { DecideInput, FileChangeRequestInput } from '@/lib/collection/schemas';
import { createNextVersion, refreshSupplements, reviewerOf, writeReviews } from '@/lib/records/service';
import { transition } from '@/lib/workflow/service';
import { assertNoOpenTransfer } from '@/lib/transfers/service';
import { lockTeacher } from '@/lib/teachers/service';
import { isCompetentAuthorityOf } from '@/lib/auth/relations';
import { changeRequestChain, collectionParties, collectionPartyLabels } from '@/lib/collection/chains';
import { changeableFields, validateValues } from '@/lib/teachers/record-rules';

/**
 * Seed 六(五): the school manager asks to change or delete effective information. The request holds
 * the field diff; a second pending request on any of the same fields is refused by the lock table.
 */
export async function fileChangeRequest(actor: Actor, input: FileChangeRequestInput): Promise<{ requestId: number; state: 'pending_school' | 'pending' }> {
  // A teacher asks about their own record (getScopedTeacher finds no other); staff need the right.
  const byTeacher = actor.role === 'teacher';
  if (!byTeacher) assertCan(actor, 'record.fileChange');
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Locked before it is read: a transfer filed or completed at the same moment is waited for, not overtaken.
    await lockTeacher(tx, input.teacherId);
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (!byTeacher && teacher.unitId !== actor.unitId) throw new ForbiddenError('只有教师所在学校可以提交变更申请');
    // The record is read-only while a transfer is open.
    await assertNoOpenTransfer(tx, teacher.id);
    if (teacher.recordState !== 'effective') throw new ValidationError('记录尚未生效，请直接修改草稿');
    const catalogue = await catalogueFor(teacher, tx);
    const subset = catalogue.subsets.find((s) => s.key === input.subset);
    if (!subset) throw new NotFoundError('信息集不存在或未被本省选用');
    const writable = new Set(changeableFields(actor, teacher, subset, catalogue.selfFillable));
    if (writable.size === 0) throw new ForbiddenError(byTeacher ? '该信息集由学校填报，如需更正请联系学校' : '该信息集不能申请变更');
    // A teacher deletes no entries: the school does, on the teacher's word.
    if (byTeacher && input.kind === 'delete') throw new ForbiddenError('删除条目须由学校提出申请');
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
      .values({ teacherId: teacher.id, unitId: teacher.unitId, unitPath: teacher.unitPath, subset: subset.key, entryId, kind: input.kind, diff, reason: input.reason, state: byTeacher ? 'pending_school' : 'pending', filedBy: actor.accountId, filedByName: actor.displayName })
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
    return { requestId: request.id, state: byTeacher ? 'pending_school' : 'pending' };
  });
}

const changeTimeline: Record<string, string> = { pending: 'change.schoolApprove', approved: 'change.approve', rejected: 'change.reject' };

/**
 * One step of changeRequestChain. A teacher's request: the school head passes it on (pending_school →
 * pending) or returns it. Then the competent authority approves (the diff is applied atomically, a new
 * version is made) or rejects.
 */
export async function decideChangeRequest(actor: Actor, input: DecideInput): Promise<{ state: 'pending' | 'approved' | 'rejected'; version?: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({
        id: changeRequests.id,
        state: changeRequests.state,
        teacherId: changeRequests.teacherId,
        unitId: changeRequests.unitId,
        unitPath: changeRequests.unitPath,
        subset: changeRequests.subset,
        entryId: changeRequests.entryId,
        kind: changeRequests.kind,
        diff: changeRequests.diff,
        filedBy: changeRequests.filedBy,
        filedByName: changeRequests.filedByName,
        schoolReviewedBy: changeRequests.schoolReviewedBy,
        parentId: units.parentId,
      })
      .from(changeRequests)
      .innerJoin(units, eq(units.id, changeRequests.unitId))
      .where(and(eq(changeRequests.id, input.id), inJurisdiction(actor, changeRequests.unitPath)));
    // Who may decide which step is the chain's (the school, then the competent authority); here only what is in reach.
    const inReach = request && (request.unitId === actor.unitId || isCompetentAuthorityOf(actor, request));
    if (!request || !inReach) throw new NotFoundError('该变更申请不存在，或不是本单位或本单位主管的学校提交的');
    if (input.decision === 'approve' && (request.filedBy === actor.accountId || request.schoolReviewedBy === actor.accountId)) throw new ForbiddenError('不能审批本人提交或已审核过的变更申请');
    // The record row is locked before the diff is applied: a status change or transfer at the same moment waits.
    await lockTeacher(tx, request.teacherId);
    const reviewer = reviewerOf(actor);
    let version: number | undefined;
    const step = await transition(tx, actor, {
      flow: 'record.change',
      chain: changeRequestChain,
      parties: collectionParties,
      partyLabels: collectionPartyLabels,
      subject: request,
      action: input.decision,
      reason: input.comment,
      async advance(tx, step) {
        const now = new Date();
        const set =
          step.to === 'pending'
            ? { state: step.to, schoolReviewedBy: actor.accountId, schoolReviewedByName: actor.displayName, schoolReviewedAt: now }
            : { state: step.to, decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: now, decisionComment: input.comment || null };
        const [decided] = await tx
          .update(changeRequests)
          .set(set)
          .where(and(eq(changeRequests.id, request.id), eq(changeRequests.state, request.state)))
          .returning({ id: changeRequests.id });
        if (!decided) return false;
        // Passed on to the authority: the fields stay held until it decides.
        if (step.to === 'pending') return true;
        await tx.delete(changeRequestFields).where(eq(changeRequestFields.requestId, request.id));
        if (step.to === 'approved') {
          await applyDiff(tx, request);
          version = await createNextVersion(tx, request.teacherId, 'change', actor);
          await tx.insert(teacherFieldChanges).values(
            request.diff.map((change) => ({ teacherId: request.teacherId, subset: change.subset, entryId: change.entryId, field: change.field, oldValue: change.oldValue, newValue: change.newValue, accountId: request.filedBy, accountName: request.filedByName, source: 'form' })),
          );
          await refreshSupplements(tx, request.teacherId);
        }
        return true;
      },
      timeline: (tx, step) => writeReviews(tx, reviewer, changeTimeline[step.to], [request.teacherId], step.to === 'approved' ? input.comment || `生成第 ${version} 版` : input.comment),
      audit: { action: input.decision === 'return' ? 'record.change.reject' : request.state === 'pending_school' ? 'record.change.schoolApprove' : 'record.change.approve', unitPath: request.unitPath, targetType: 'teacher', targetId: request.teacherId, detail: () => ({ requestId: request.id, ...(version ? { version } : {}) }) },
    });
    return step.to === 'approved' ? { state: 'approved', version } : { state: step.to as 'pending' | 'rejected' };
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
    if (request.subset === 'training') await syncConfirmedTraining(tx, request.teacherId, request.entryId);
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
