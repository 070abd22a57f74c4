import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { accounts, teachers, teacherVersions, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { competentAuthorityIsActor } from '@/lib/auth/relations';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { refreshCompleteness } from '@/lib/teachers/service';
import { applyRollupDeltas, type RollupDelta } from '@/lib/units/service';
import { diffSnapshots } from '@/lib/records/diff';
import type { ApproveRecordsInput, ReturnRecordsInput, SubmitRecordsInput } from '@/lib/collection/schemas';
import { loadSnapshots, reviewerOf, writeReviews } from '@/lib/records/service';
import type { ApproveOutcome, RefusedRecord, SubmitOutcome } from '@/lib/collection/schemas';

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
    .where(and(inArray(teachers.id, wanted), competentAuthorityIsActor(actor, units.parentId), inJurisdiction(actor, teachers.unitPath)));
  if (rows.length !== wanted.length) throw new NotFoundError('所选记录不存在，或不是本单位主管的学校报送的记录');
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The accounts that filed a record in its current round: whoever reported it, and whoever changed a
 * field of it since its last approved version. None of them may approve it. What the system wrote on
 * an account's behalf (a training entry from credits it confirmed) does not count.
 */
async function recordsFiledBy(tx: Executor, accountId: number, teacherIds: number[]): Promise<Set<number>> {
  if (teacherIds.length === 0) return new Set();
  const result = await tx.execute(sql`
    select t.id from teachers t
    where t.id in (${sql.join(teacherIds.map((id) => sql`${id}::int`), sql`, `)})
      and (t.submitted_by = ${accountId} or exists (
        select 1 from teacher_field_changes c
        where c.teacher_id = t.id and c.account_id = ${accountId} and c.source <> 'system'
          and c.changed_at > coalesce((select max(v.approved_at) from teacher_versions v where v.teacher_id = t.id), '-infinity'::timestamptz)))`);
  return new Set(rowsOf<{ id: number }>(result).map((row) => Number(row.id)));
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
