import 'server-only';
import { and, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { recordAdditions, teacherEntries, teacherFieldChanges, units, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit } from '@/lib/audit/service';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { catalogueFor, getScopedTeacher, refreshDerivedFromEntries } from '@/lib/teachers/service';
import { diffValues } from '@/lib/records/diff';
import type { DecideInput, FileAdditionInput } from '@/lib/collection/schemas';
import { createNextVersion, refreshSupplements, reviewerOf, writeReviews } from '@/lib/records/service';
import { transition } from '@/lib/workflow/service';
import { assertNoOpenTransfer } from '@/lib/transfers/service';
import { lockTeacher } from '@/lib/teachers/service';
import { additionChain, collectionParties, collectionPartyLabels, type AdditionState, type CollectionSubject } from '@/lib/collection/chains';
import { additionFields, validateValues } from '@/lib/teachers/record-rules';

/** Seed 六(五): new information on an effective record, filed by the teacher (self-fillable subsets) or the school. */
export async function fileAddition(actor: Actor, input: FileAdditionInput): Promise<{ additionId: number }> {
  assertCan(actor, 'record.addInfo');
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Locked before it is read: a transfer filed or completed at the same moment is waited for, not overtaken.
    await lockTeacher(tx, input.teacherId);
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.recordState !== 'effective') throw new ValidationError('记录尚未生效，请直接在草稿中填写');
    // The record is read-only while a transfer is open.
    await assertNoOpenTransfer(tx, teacher.id);
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

interface AdditionRow extends CollectionSubject {
  id: number;
  state: AdditionState;
  teacherId: number;
  unitPath: string;
  subset: string;
  values: Record<string, StoredValue>;
  filedBy: number;
  filedByName: string;
  schoolReviewedBy: number | null;
}

async function loadAddition(tx: Executor, actor: Actor, additionId: number): Promise<AdditionRow> {
  const [row] = await tx
    .select({
      id: recordAdditions.id,
      state: recordAdditions.state,
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

const additionTimeline: Record<string, string> = { pending_authority: 'addition.schoolApprove', effective: 'addition.approve', returned: 'addition.return' };

/**
 * One decision on new information, a step of additionChain: the school head (pending_school →
 * pending_authority), then the competent authority (pending_authority → effective, a new version).
 * Either may return it with a reason.
 */
export async function decideAddition(actor: Actor, input: DecideInput): Promise<{ state: 'pending_authority' | 'effective' | 'returned' }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const addition = await loadAddition(tx, actor, input.id);
    if (input.decision === 'approve' && (addition.filedBy === actor.accountId || addition.schoolReviewedBy === actor.accountId)) {
      throw new ForbiddenError('不能审核本人提交或已审核过的信息');
    }
    await lockTeacher(tx, addition.teacherId);
    const reviewer = reviewerOf(actor);
    const now = new Date();
    let version = 0;
    const step = await transition(tx, actor, {
      flow: 'record.addition',
      chain: additionChain,
      parties: collectionParties,
      partyLabels: collectionPartyLabels,
      subject: addition,
      action: input.decision,
      reason: input.comment,
      async advance(tx, step) {
        const decided = { decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: now };
        const set =
          step.to === 'returned'
            ? { state: step.to, returnReason: input.comment, ...decided }
            : step.to === 'pending_authority'
              ? { state: step.to, schoolReviewedBy: actor.accountId, schoolReviewedByName: actor.displayName, schoolReviewedAt: now }
              : { state: step.to, ...decided };
        const moved = await tx.update(recordAdditions).set(set).where(and(eq(recordAdditions.id, addition.id), eq(recordAdditions.state, addition.state))).returning({ id: recordAdditions.id });
        if (moved.length && step.to === 'effective') version = await applyAddition(tx, actor, addition);
        return moved.length > 0;
      },
      timeline: (tx, step) => writeReviews(tx, reviewer, additionTimeline[step.to], [addition.teacherId], step.to === 'effective' ? input.comment || `生成第 ${version} 版` : input.comment),
      audit: { action: additionAuditAction(addition.state, input.decision), unitPath: addition.unitPath, targetType: 'teacher', targetId: addition.teacherId, detail: () => ({ additionId: addition.id, ...(version ? { version } : {}) }) },
    });
    return { state: step.to as 'pending_authority' | 'effective' | 'returned' };
  });
}

function additionAuditAction(state: AdditionState, decision: 'approve' | 'return'): string {
  if (decision === 'return') return 'record.addition.return';
  return state === 'pending_school' ? 'record.addition.schoolApprove' : 'record.addition.approve';
}

/** The approved entry joins the effective record, which gets a new version. */
async function applyAddition(tx: Executor, actor: Actor, addition: AdditionRow): Promise<number> {
  const [entry] = await tx.insert(teacherEntries).values({ teacherId: addition.teacherId, subset: addition.subset, values: addition.values }).returning({ id: teacherEntries.id });
  await refreshDerivedFromEntries(tx, addition.teacherId, addition.subset);
  await tx.insert(teacherFieldChanges).values(
    diffValues(addition.subset, entry.id, {}, addition.values).map((change) => ({ teacherId: addition.teacherId, subset: change.subset, entryId: entry.id, field: change.field, oldValue: null, newValue: change.newValue, accountId: addition.filedBy, accountName: addition.filedByName, source: 'form' })),
  );
  const version = await createNextVersion(tx, addition.teacherId, 'addition', actor);
  await refreshSupplements(tx, addition.teacherId);
  return version;
}
