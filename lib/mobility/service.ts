import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { accounts, rotations, statusChanges, teacherFieldChanges, teachers, units, type StatusChangeState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { isCompetentAuthorityOf } from '@/lib/auth/relations';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { createNextVersion, reviewerOf, writeReviews } from '@/lib/records/service';
import { revokeAllSessions } from '@/lib/signin/service';
import { getScopedTeacher, lockTeacher } from '@/lib/teachers/service';
import { assertNoOpenTransfer } from '@/lib/transfers/service';
import { transition } from '@/lib/workflow/service';
import { applyRollupDeltas } from '@/lib/units/service';
import { listRetiring, statusChangeBlocked } from './queries';
import { buildRetiringWorkbook } from './retiring-export';
import { statusChangeChain, statusParties, statusPartyLabels } from './chain';
import type { DecideStatusChangeInput, MarkPendingRetirementInput, RecordStatusChangeInput, SetFlexibleRetirementInput } from './schemas';
import { flexibleRetirementProblem, originalRetirementAge, statutoryRetirement } from './retirement';
import { retiringWindow, retiringWithinMonths } from './schemas';
import { deceasedStatus, isServing, pendingRetirementStatus, rotatingOutStatus, statusNameOf as statusName, statusGroupOf } from './status';


interface ChangeToApply {
  id: number;
  teacherId: number;
  /** The school the change was filed at: it takes effect only while the teacher is still there. */
  unitId: number;
  unitPath: string;
  fromStatus: string | null;
  toStatus: string;
  effectiveDate: string;
  documentNumber: string | null;
  filedBy: number;
  filedByName: string;
}

/**
 * The change takes effect on the record: the status (field, column, history), a version of kind
 * status, the record's timeline and the audit row; leaving closes the login and its sessions.
 */
async function applyStatusChange(tx: Executor, actor: Actor, change: ChangeToApply): Promise<number> {
  const [updated] = await tx
    .update(teachers)
    .set({
      personnelStatus: change.toStatus,
      record: sql`jsonb_set(${teachers.record}, '{basic,personnelStatus}', to_jsonb(${change.toStatus}::text))`,
      revision: sql`${teachers.revision} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(teachers.id, change.teacherId), eq(teachers.unitId, change.unitId), eq(teachers.recordState, 'effective'), sql`${teachers.personnelStatus} is not distinct from ${change.fromStatus}`))
    .returning({ accountId: teachers.accountId, unitPath: teachers.unitPath, complete: teachers.complete });
  if (!updated) throw new ConflictError('该教师的人员状态刚被他人修改，请刷新后重试');
  // Whoever leaves is no longer counted in the subtree totals (progress, headcounts).
  if (statusGroupOf(change.fromStatus) !== 'left' && statusGroupOf(change.toStatus) === 'left') {
    await applyRollupDeltas(tx, [{ path: updated.unitPath, teachers: -1, recordsEffective: -1, recordsComplete: updated.complete ? -1 : 0 }]);
  }
  await tx.insert(teacherFieldChanges).values({ teacherId: change.teacherId, subset: 'basic', entryId: null, field: 'personnelStatus', oldValue: change.fromStatus, newValue: change.toStatus, accountId: change.filedBy, accountName: change.filedByName, source: 'form' });
  const version = await createNextVersion(tx, change.teacherId, 'status', actor);
  if (statusGroupOf(change.toStatus) === 'left' && updated.accountId) {
    await tx.update(accounts).set({ status: 'disabled', sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: new Date() }).where(eq(accounts.id, updated.accountId));
    await revokeAllSessions(tx, updated.accountId);
  }
  const document = change.documentNumber ? `，文号 ${change.documentNumber}` : '';
  await writeReviews(tx, reviewerOf(actor), 'status.change', [change.teacherId], `人员状态：${statusName(change.fromStatus)} → ${statusName(change.toStatus)}（${change.effectiveDate} 起${document}），生成第 ${version} 版`);
  await recordAudit(tx, actor, { action: 'status.change', unitPath: change.unitPath, targetType: 'teacher', targetId: change.teacherId, detail: { changeId: change.id, from: change.fromStatus, to: change.toStatus, version } });
  return version;
}

/**
 * A status the 交流轮岗 flow sets (205 on departure, 100 on return): an effective change of its own in
 * the history, applied like any other, inside the rotation step's transaction.
 */
export async function applyRotationStatus(tx: Executor, actor: Actor, input: { teacherId: number; unitId: number; unitPath: string; toStatus: string; effectiveDate: string; reason: string; documentNumber: string | null }): Promise<number> {
  const [teacher] = await tx.select({ status: teachers.personnelStatus }).from(teachers).where(eq(teachers.id, input.teacherId));
  const fromStatus = teacher?.status ?? null;
  const [change] = await tx
    .insert(statusChanges)
    .values({ teacherId: input.teacherId, unitId: input.unitId, unitPath: input.unitPath, fromStatus, toStatus: input.toStatus, effectiveDate: input.effectiveDate, reason: input.reason, documentNumber: input.documentNumber, state: 'effective', filedBy: actor.accountId, filedByName: actor.displayName, decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: new Date() })
    .returning({ id: statusChanges.id });
  return applyStatusChange(tx, actor, { id: change.id, teacherId: input.teacherId, unitId: input.unitId, unitPath: input.unitPath, fromStatus, toStatus: input.toStatus, effectiveDate: input.effectiveDate, documentNumber: input.documentNumber, filedBy: actor.accountId, filedByName: actor.displayName });
}

/**
 * Seed 七(一)2: the school's information manager records a new 人员状态 with its date, reason and 文号.
 * A temporary absence (2xx) or a return to post takes effect at once; leaving (3xx) waits for the
 * competent authority, except death, which closes the record at once.
 */
export async function recordStatusChange(actor: Actor, input: RecordStatusChangeInput, executor?: Executor): Promise<{ changeId: number; state: StatusChangeState }> {
  assertCan(actor, 'status.record');
  const run = async (tx: Executor) => {
    await lockTeacher(tx, input.teacherId);
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.unitId !== actor.unitId) throw new ForbiddenError('只有教师所在学校可以记录在职情况变动');
    if (teacher.recordState !== 'effective') throw new ValidationError('记录尚未生效：请在草稿中直接修改人员状态', { toStatus: ['记录生效后才能办理在职情况变动'] });
    await assertNoOpenTransfer(tx, teacher.id);
    const current = typeof teacher.record.basic?.personnelStatus === 'string' ? teacher.record.basic.personnelStatus : null;
    if (statusGroupOf(current) === 'left') throw new ConflictError('该教师已离开本单位，不能再变动；重新入职须由新学校办理');
    if (current === input.toStatus) throw new ValidationError('新的人员状态与当前相同', { toStatus: ['与当前人员状态相同'] });
    if (input.toStatus === rotatingOutStatus) throw new ValidationError('交流轮岗请在“交流轮岗”中办理', { toStatus: ['“交流轮岗”由派出学校在交流轮岗中申请，主管部门确认后自动设置'] });
    const [rotation] = await tx.select({ id: rotations.id }).from(rotations).where(and(eq(rotations.teacherId, teacher.id), inArray(rotations.state, ['filed', 'active', 'extending']))).limit(1);
    if (rotation) throw new ConflictError('该教师正在办理或进行交流轮岗，请先在交流轮岗中办理结束或撤回');
    if (input.effectiveDate > todayIso()) throw new ValidationError('生效日期不能晚于今天', { effectiveDate: ['变动发生后再记录，生效日期不能晚于今天'] });
    const joined = teacher.record.basic?.joinSchoolDate;
    if (typeof joined === 'string' && input.effectiveDate.slice(0, 7) < joined) throw new ValidationError('生效日期不能早于进本校年月', { effectiveDate: [`不能早于进本校年月 ${joined}`] });
    const [waiting] = await tx.select({ id: statusChanges.id }).from(statusChanges).where(and(eq(statusChanges.teacherId, teacher.id), eq(statusChanges.state, 'pending')));
    if (waiting) throw new ConflictError('该教师已有待主管部门确认的在职情况变动，请等待确认结果');
    const immediate = statusGroupOf(input.toStatus) !== 'left' || input.toStatus === deceasedStatus;
    const [change] = await tx
      .insert(statusChanges)
      .values({
        teacherId: teacher.id,
        unitId: teacher.unitId,
        unitPath: teacher.unitPath,
        fromStatus: current,
        toStatus: input.toStatus,
        effectiveDate: input.effectiveDate,
        reason: input.reason,
        documentNumber: input.documentNumber || null,
        state: immediate ? 'effective' : 'pending',
        filedBy: actor.accountId,
        filedByName: actor.displayName,
        ...(immediate ? { decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: new Date() } : {}),
      })
      .onConflictDoNothing()
      .returning({ id: statusChanges.id });
    if (!change) throw new ConflictError('该教师已有待主管部门确认的在职情况变动，请等待确认结果');
    const toApply = { id: change.id, teacherId: teacher.id, unitId: teacher.unitId, unitPath: teacher.unitPath, fromStatus: current, toStatus: input.toStatus, effectiveDate: input.effectiveDate, documentNumber: input.documentNumber || null, filedBy: actor.accountId, filedByName: actor.displayName };
    if (immediate) await applyStatusChange(tx, actor, toApply);
    else {
      await writeReviews(tx, reviewerOf(actor), 'status.file', [teacher.id], `申请变动为“${statusName(input.toStatus)}”：${input.reason}`);
      await recordAudit(tx, actor, { action: 'status.file', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { changeId: change.id, from: current, to: input.toStatus } });
    }
    return { changeId: change.id, state: immediate ? ('effective' as const) : ('pending' as const) };
  };
  if (executor) return run(executor);
  return (await getDb()).transaction(run);
}

/** The competent authority confirms a departure (it takes effect) or refuses it with a reason. */
export async function decideStatusChange(actor: Actor, input: DecideStatusChangeInput): Promise<{ state: StatusChangeState }> {
  assertCan(actor, 'status.confirm');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: statusChanges.id,
        state: statusChanges.state,
        teacherId: statusChanges.teacherId,
        unitId: statusChanges.unitId,
        unitPath: statusChanges.unitPath,
        fromStatus: statusChanges.fromStatus,
        toStatus: statusChanges.toStatus,
        effectiveDate: statusChanges.effectiveDate,
        documentNumber: statusChanges.documentNumber,
        filedBy: statusChanges.filedBy,
        filedByName: statusChanges.filedByName,
        parentId: units.parentId,
      })
      .from(statusChanges)
      .innerJoin(units, eq(units.id, statusChanges.unitId))
      .where(and(eq(statusChanges.id, input.id), inJurisdiction(actor, statusChanges.unitPath)));
    if (!row || !isCompetentAuthorityOf(actor, row)) throw new NotFoundError('该在职情况变动不存在，或不是本单位主管的学校提交的');
    if (row.filedBy === actor.accountId) throw new ForbiddenError('不能确认本人提交的变动');
    await lockTeacher(tx, row.teacherId);
    await assertNoOpenTransfer(tx, row.teacherId);
    const reviewer = reviewerOf(actor);
    const step = await transition(tx, actor, {
      flow: 'status',
      chain: statusChangeChain,
      parties: statusParties,
      partyLabels: statusPartyLabels,
      subject: row,
      action: input.decision,
      reason: input.comment,
      async advance(tx, step) {
        const [moved] = await tx
          .update(statusChanges)
          .set({ state: step.to, decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: new Date(), decisionComment: input.comment || null })
          .where(and(eq(statusChanges.id, row.id), eq(statusChanges.state, row.state)))
          .returning({ id: statusChanges.id });
        if (!moved) return false;
        if (step.to === 'effective') await applyStatusChange(tx, actor, row);
        return true;
      },
      timeline: async (tx, step) => {
        if (step.to === 'rejected') await writeReviews(tx, reviewer, 'status.reject', [row.teacherId], input.comment);
      },
      audit: { action: input.decision === 'approve' ? 'status.confirm' : 'status.reject', unitPath: row.unitPath, targetType: 'teacher', targetId: row.teacherId, detail: { changeId: row.id, to: row.toStatus } },
    });
    return { state: step.to };
  });
}

export interface BulkRetirementOutcome {
  marked: number[];
  refused: { teacherId: number; name: string; reason: string }[];
}

/**
 * From 即将退休: the school marks teachers who retire within the next 12 months as 209 待退休, each a
 * status change of its own (date today), all in one transaction.
 */
export async function markPendingRetirement(actor: Actor, input: MarkPendingRetirementInput): Promise<BulkRetirementOutcome> {
  assertCan(actor, 'status.record');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const wanted = [...new Set(input.teacherIds)];
    // Locked in id order, so two bulk runs cannot deadlock; what is read is what is changed.
    const rows = await tx
      .select({
        id: teachers.id,
        name: teachers.name,
        status: teachers.personnelStatus,
        month: teachers.retirementMonth,
        recordState: teachers.recordState,
        blocked: statusChangeBlocked,
      })
      .from(teachers)
      .where(and(inArray(teachers.id, wanted), eq(teachers.unitId, actor.unitId)))
      .orderBy(teachers.id)
      .for('update', { of: teachers });
    if (rows.length !== wanted.length) throw new NotFoundError('所选教师不存在或不在本校');
    const today = todayIso();
    const { until } = retiringWindow(today, retiringWithinMonths);
    const refused: BulkRetirementOutcome['refused'] = [];
    const marked: number[] = [];
    for (const row of rows) {
      if (row.recordState !== 'effective') refused.push({ teacherId: row.id, name: row.name, reason: '记录尚未生效' });
      else if (row.blocked) refused.push({ teacherId: row.id, name: row.name, reason: '有待确认的在职情况变动，或正在办理调动、交流轮岗' });
      else if (row.status === pendingRetirementStatus) refused.push({ teacherId: row.id, name: row.name, reason: '已是待退休' });
      else if (statusGroupOf(row.status) !== 'atPost') refused.push({ teacherId: row.id, name: row.name, reason: `当前为“${statusName(row.status)}”` });
      else if (!row.month || row.month >= until) refused.push({ teacherId: row.id, name: row.name, reason: `${retiringWithinMonths} 个月内不到退休时间` });
      else {
        await recordStatusChange(actor, { teacherId: row.id, toStatus: pendingRetirementStatus, effectiveDate: today, reason: `即将达到退休时间（${row.month.slice(0, 7)}）`, documentNumber: '' }, tx);
        marked.push(row.id);
      }
    }
    if (marked.length === 0) throw new ConflictError(refused.length === 1 ? `${refused[0].name}：${refused[0].reason}` : '所选教师都不能设为待退休');
    return { marked, refused };
  });
}

/** One file holds at most this many rows; a province or the nation exports by its units. */
export const maxRetiringExportRows = 50_000;

/** The 即将退休 list as a file; every export is audited with its row count. */
export async function exportRetiring(actor: Actor): Promise<{ fileName: string; content: Buffer }> {
  const { rows, window, total } = await listRetiring(actor, { limit: maxRetiringExportRows });
  if (total > maxRetiringExportRows) throw new ValidationError(`共 ${total.toLocaleString('zh-CN')} 人，超过单次导出上限 ${maxRetiringExportRows.toLocaleString('zh-CN')} 人，请在下级单位分别导出`);
  const content = await buildRetiringWorkbook(actor.unitName, rows, window, new Date().toISOString().slice(0, 16).replace('T', ' '));
  await recordAudit(await getDb(), actor, { action: 'retiring.export', targetType: 'unit', targetId: actor.unitId, detail: { rows: rows.length } });
  return { fileName: `即将退休-${actor.unitName}-${todayIso()}.xlsx`, content };
}

/**
 * 弹性退休 (2025 rules): by agreement a teacher retires up to 3 years before the statutory month (never
 * below the original age) or up to 3 years after it. The school records the month with its basis and
 * 文号, or clears it; 即将退休, the inbox and the statistics follow the generated retirement month.
 */
export async function setFlexibleRetirement(actor: Actor, input: SetFlexibleRetirementInput): Promise<{ retirementMonth: string }> {
  assertCan(actor, 'status.record');
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockTeacher(tx, input.teacherId);
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.unitId !== actor.unitId) throw new ForbiddenError('只有教师所在学校可以设置弹性退休');
    const [row] = await tx
      .select({ birthDate: teachers.birthDate, gender: teachers.gender, postCategory: teachers.postCategory, status: teachers.personnelStatus, override: teachers.retirementOverride, recordState: teachers.recordState })
      .from(teachers)
      .where(eq(teachers.id, teacher.id));
    if (row.recordState !== 'effective') throw new ValidationError('记录尚未生效', { month: ['记录生效后才能设置弹性退休'] });
    if (!isServing(row.status)) throw new ConflictError('该教师已离开本单位，不能设置弹性退休');
    const statutory = statutoryRetirement(row.birthDate.slice(0, 7), originalRetirementAge(row.gender, row.postCategory)).month;
    const before = row.override?.slice(0, 7) ?? null;
    const chosen = input.month && input.month !== statutory ? input.month : null;
    if (chosen === before) throw new ValidationError('与当前设置相同', { month: [chosen ? `已是 ${chosen}` : '当前即按法定退休时间'] });
    if (chosen) {
      const problem = flexibleRetirementProblem(row.birthDate.slice(0, 7), originalRetirementAge(row.gender, row.postCategory), chosen);
      if (problem) throw new ValidationError(problem, { month: [problem] });
      if (chosen < todayIso().slice(0, 7)) throw new ValidationError('退休年月不能早于本月', { month: ['弹性退休年月不能早于本月'] });
    }
    const [updated] = await tx
      .update(teachers)
      .set({ retirementOverride: chosen ? `${chosen}-01` : null, revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
      .where(and(eq(teachers.id, teacher.id), sql`${teachers.retirementOverride} is not distinct from ${row.override}`))
      .returning({ month: teachers.retirementMonth });
    if (!updated) throw new ConflictError('该教师的退休时间刚被他人修改，请刷新后重试');
    const document = input.documentNumber ? `，文号 ${input.documentNumber}` : '';
    await writeReviews(tx, reviewerOf(actor), 'retirement.flexible', [teacher.id], chosen ? `弹性退休：${chosen}（法定 ${statutory}）；${input.reason}${document}` : `恢复法定退休时间 ${statutory}；${input.reason}${document}`);
    await recordAudit(tx, actor, { action: 'retirement.flexible', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { from: before, to: chosen, statutory } });
    return { retirementMonth: updated.month!.slice(0, 7) };
  });
}
