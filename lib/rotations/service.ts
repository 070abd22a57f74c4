import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { rotations, rotationTargets, teacherEntries, teacherFieldChanges, teachers, units, type RotationState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { caseVisibleTo, competentAuthorityOf } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { codeName } from '@/lib/indicators/code-tables';
import { todayIso } from '@/lib/indicators/form-schema';
import { monthIndex, monthOf } from '@/lib/months';
import { applyRotationStatus } from '@/lib/mobility/service';
import { atPostStatus, rotatingOutStatus, statusGroupOf } from '@/lib/mobility/status';
import { getScopedTeacher, lockTeacher } from '@/lib/teachers/service';
import { assertNoOpenTransfer } from '@/lib/transfers/service';
import { recordCaseOpened, transition } from '@/lib/workflow/service';
import { buildRotationPlanWorkbook } from './plan-export';
import { getRotationPlan } from './queries';
import { isRotationDue, rotationChain, rotationDueDays, rotationParties, rotationPartyLabels, rotationWaitingUnitOf, type RotationSubject } from './chain';
import { keyTeacherLevels, type FileRotationInput, type RotationStepInput, type RotationTargetsInput } from './schemas';

/** A rotation lasts at most this long, extensions included (county rules speak of 3 to 6 years). */
const maxRotationMonths = 6 * 12;

async function findHostSchool(tx: Executor, input: FileRotationInput): Promise<{ id: number; path: string; name: string }> {
  const [host] = await tx
    .select({ id: units.id, path: units.path, name: units.name })
    .from(units)
    .where(and(input.hostSchoolId ? eq(units.id, input.hostSchoolId) : eq(units.code, input.hostSchoolCode), eq(units.kind, 'school'), eq(units.status, 'active')));
  if (!host) throw new ValidationError(input.hostSchoolId ? '接收学校不存在或已撤销' : `没有学校代码为“${input.hostSchoolCode}”的在办学校`, input.hostSchoolId ? { hostSchoolId: ['所选学校不存在或已撤销'] } : { hostSchoolCode: [`没有代码为“${input.hostSchoolCode}”的在办学校`] });
  return host;
}

/** What the filing needs of the teacher, and why they may not rotate now (an effective record at post, nothing pending), in one read. */
async function rotationCandidate(tx: Executor, teacherId: number) {
  const [row] = await tx
    .select({
      name: teachers.name,
      masked: teachers.idNumberMasked,
      gender: teachers.gender,
      schoolName: units.name,
      recordState: teachers.recordState,
      status: teachers.personnelStatus,
      pendingStatus: sql<boolean>`exists (select 1 from status_changes sc where sc.teacher_id = ${teacherId} and sc.state = 'pending')`,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(eq(teachers.id, teacherId));
  const blocker =
    row.recordState !== 'effective'
      ? '该教师的信息尚未审核生效，须完成采集审核后才能交流轮岗'
      : statusGroupOf(row.status) !== 'atPost'
        ? '该教师当前不在岗（借出、病假、待退休或已离开等），不能派出交流'
        : row.pendingStatus
          ? '该教师有待主管部门确认的在职情况变动，须等其确认后才能交流轮岗'
          : null;
  return { ...row, blocker };
}

/**
 * Seed 七(二), 人走关系留: the home school files the teacher, the host school, the type, the start and
 * the planned end; the competent authority confirms next.
 */
export async function fileRotation(actor: Actor, input: FileRotationInput): Promise<{ rotationId: number }> {
  assertCan(actor, 'rotation.file');
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockTeacher(tx, input.teacherId);
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (teacher.unitId !== actor.unitId) throw new ForbiddenError('只有教师所在学校可以派出交流轮岗');
    const core = await rotationCandidate(tx, teacher.id);
    if (core.blocker) throw new ConflictError(core.blocker);
    await assertNoOpenTransfer(tx, teacher.id);
    const host = await findHostSchool(tx, input);
    if (host.id === teacher.unitId) throw new ValidationError('接收学校不能是本校', { hostSchoolId: ['接收学校不能是派出学校本身'] });
    const thisMonth = monthIndex(todayIso().slice(0, 7));
    const start = monthIndex(input.startMonth);
    if (start < thisMonth - 12 || start > thisMonth + 12) throw new ValidationError('开始年月不在可办理的范围内', { startMonth: [`开始年月须在 ${monthOf(thisMonth - 12)} 至 ${monthOf(thisMonth + 12)} 之间`] });
    if (monthIndex(input.plannedEndMonth) - start > maxRotationMonths) throw new ValidationError('交流期限过长', { plannedEndMonth: [`交流期限不能超过 ${maxRotationMonths / 12} 年`] });
    const joined = teacher.record.basic?.joinSchoolDate;
    if (typeof joined === 'string' && input.startMonth < joined) throw new ValidationError('开始年月不能早于进本校年月', { startMonth: [`不能早于进本校年月 ${joined}`] });
    const subject: RotationSubject = { homeSchoolId: teacher.unitId, homeAuthorityId: competentAuthorityOf({ parentId: teacher.unitParentId }) };
    const keyLevel = teacher.record.basic?.keyTeacherLevel;
    const [created] = await tx
      .insert(rotations)
      .values({
        teacherId: teacher.id,
        teacherName: core.name,
        teacherIdMasked: core.masked ?? '',
        teacherGender: core.gender,
        keyTeacher: typeof keyLevel === 'string' && keyTeacherLevels.includes(keyLevel),
        kind: input.kind,
        ...subject,
        homeSchoolPath: teacher.unitPath,
        homeSchoolName: core.schoolName,
        hostSchoolId: host.id,
        hostSchoolPath: host.path,
        hostSchoolName: host.name,
        startMonth: input.startMonth,
        plannedEndMonth: input.plannedEndMonth,
        reason: input.reason,
        documentNumber: input.documentNumber || null,
        waitingUnitId: rotationWaitingUnitOf(subject, 'filed'),
        filedBy: actor.accountId,
        filedByName: actor.displayName,
      })
      .onConflictDoNothing()
      .returning({ id: rotations.id });
    if (!created) throw new ConflictError('该教师已有正在办理或进行中的交流轮岗');
    await recordCaseOpened(tx, actor, 'rotation', created.id, 'filed', input.reason);
    await recordAudit(tx, actor, { action: 'rotation.file', unitPath: teacher.unitPath, targetType: 'rotation', targetId: created.id, detail: { teacher: core.name, to: host.name, kind: input.kind, startMonth: input.startMonth, plannedEndMonth: input.plannedEndMonth } });
    return { rotationId: created.id };
  });
}

export interface LoadedRotation extends RotationSubject {
  id: number;
  state: RotationState;
  teacherId: number;
  teacherName: string;
  kind: string;
  homeSchoolPath: string;
  homeSchoolName: string;
  hostSchoolName: string;
  startMonth: string;
  plannedEndMonth: string;
  requestedEndMonth: string | null;
  documentNumber: string | null;
  entryId: number | null;
}

/** A rotation one of whose schools lies in the actor's jurisdiction; anyone else gets "not found". */
export async function loadVisibleRotation(executor: Executor, actor: Actor, rotationId: number): Promise<LoadedRotation> {
  const [row] = await executor
    .select({
      id: rotations.id,
      state: rotations.state,
      teacherId: rotations.teacherId,
      teacherName: rotations.teacherName,
      kind: rotations.kind,
      homeSchoolId: rotations.homeSchoolId,
      homeAuthorityId: rotations.homeAuthorityId,
      homeSchoolPath: rotations.homeSchoolPath,
      homeSchoolName: rotations.homeSchoolName,
      hostSchoolName: rotations.hostSchoolName,
      startMonth: rotations.startMonth,
      plannedEndMonth: rotations.plannedEndMonth,
      requestedEndMonth: rotations.requestedEndMonth,
      documentNumber: rotations.documentNumber,
      entryId: rotations.entryId,
    })
    .from(rotations)
    .where(and(eq(rotations.id, rotationId), caseVisibleTo(actor, [rotations.homeSchoolPath, rotations.hostSchoolPath])));
  if (!row) throw new NotFoundError('该交流轮岗不存在或不在您的管辖范围内');
  return row;
}

/** The teacher is still where the rotation left them: at the home school with an effective record. */
async function assertTeacherAtHome(tx: Executor, rotation: LoadedRotation, expectedStatus: 'atPost' | 'away'): Promise<void> {
  const [teacher] = await tx.select({ unitId: teachers.unitId, recordState: teachers.recordState, status: teachers.personnelStatus }).from(teachers).where(eq(teachers.id, rotation.teacherId));
  if (!teacher || teacher.unitId !== rotation.homeSchoolId || teacher.recordState !== 'effective') throw new ConflictError('该教师的记录已发生变化（已不在派出学校），请刷新后查看');
  if (expectedStatus === 'atPost' && statusGroupOf(teacher.status) !== 'atPost') throw new ConflictError('该教师当前不在岗，不能确认交流；请退回派出学校核实');
  if (expectedStatus === 'away' && teacher.status !== rotatingOutStatus) throw new ConflictError('该教师的人员状态已不是“交流轮岗”，请刷新后查看');
}

/** A status change's date for a month: its first day, or today while that lies ahead (a change is not dated in the future). */
function firstDayNotAfterToday(month: string): string {
  const today = todayIso();
  return `${month}-01` > today ? today : `${month}-01`;
}

const author = (actor: Actor) => ({ accountId: actor.accountId, accountName: actor.displayName, source: 'system' as const });

/** Confirmed: the record's 交流轮岗 entry is written and the teacher becomes 205 at home (one new version holds both). */
async function startRotation(tx: Executor, actor: Actor, rotation: LoadedRotation): Promise<void> {
  await assertTeacherAtHome(tx, rotation, 'atPost');
  await assertNoOpenTransfer(tx, rotation.teacherId);
  const values = { kind: rotation.kind, fromUnit: rotation.homeSchoolName, toUnit: rotation.hostSchoolName, startMonth: rotation.startMonth, personnelChange: '0' };
  const [entry] = await tx.insert(teacherEntries).values({ teacherId: rotation.teacherId, subset: 'rotation', values }).returning({ id: teacherEntries.id });
  await tx.insert(teacherFieldChanges).values(Object.entries(values).map(([field, value]) => ({ teacherId: rotation.teacherId, subset: 'rotation', entryId: entry.id, field, oldValue: null, newValue: value, ...author(actor) })));
  await tx.update(rotations).set({ entryId: entry.id }).where(eq(rotations.id, rotation.id));
  await applyRotationStatus(tx, actor, {
    teacherId: rotation.teacherId,
    unitId: rotation.homeSchoolId,
    unitPath: rotation.homeSchoolPath,
    toStatus: rotatingOutStatus,
    effectiveDate: firstDayNotAfterToday(rotation.startMonth),
    reason: `${codeName('rotationKind', rotation.kind)}：到“${rotation.hostSchoolName}”交流（${rotation.startMonth} 至 ${rotation.plannedEndMonth}）`,
    documentNumber: rotation.documentNumber,
  });
}

/** Back at home: the entry's end month is written and the teacher is at post again (100). */
async function endRotation(tx: Executor, actor: Actor, rotation: LoadedRotation, endMonth: string, early: boolean): Promise<void> {
  await assertTeacherAtHome(tx, rotation, 'away');
  if (rotation.entryId) {
    const [entry] = await tx
      .update(teacherEntries)
      .set({ values: sql`${teacherEntries.values} || jsonb_build_object('endMonth', ${endMonth}::text)`, updatedAt: new Date() })
      .where(and(eq(teacherEntries.id, rotation.entryId), eq(teacherEntries.teacherId, rotation.teacherId)))
      .returning({ id: teacherEntries.id });
    if (entry) await tx.insert(teacherFieldChanges).values({ teacherId: rotation.teacherId, subset: 'rotation', entryId: entry.id, field: 'endMonth', oldValue: null, newValue: endMonth, ...author(actor) });
  }
  await applyRotationStatus(tx, actor, {
    teacherId: rotation.teacherId,
    unitId: rotation.homeSchoolId,
    unitPath: rotation.homeSchoolPath,
    toStatus: atPostStatus,
    effectiveDate: firstDayNotAfterToday(endMonth),
    reason: `${early ? '提前结束交流' : '交流期满'}，从“${rotation.hostSchoolName}”返回本校（${endMonth}）`,
    documentNumber: null,
  });
}

/** Called off before it started: the entry goes again (its removal in the field history), the teacher is at post. */
async function cancelRotation(tx: Executor, actor: Actor, rotation: LoadedRotation, reason: string): Promise<void> {
  await assertTeacherAtHome(tx, rotation, 'away');
  if (rotation.entryId) {
    const [entry] = await tx.delete(teacherEntries).where(and(eq(teacherEntries.id, rotation.entryId), eq(teacherEntries.teacherId, rotation.teacherId))).returning({ id: teacherEntries.id, values: teacherEntries.values });
    if (entry) await tx.insert(teacherFieldChanges).values(Object.entries(entry.values).map(([field, value]) => ({ teacherId: rotation.teacherId, subset: 'rotation', entryId: entry.id, field, oldValue: value, newValue: null, ...author(actor) })));
    await tx.update(rotations).set({ entryId: null }).where(eq(rotations.id, rotation.id));
  }
  await applyRotationStatus(tx, actor, { teacherId: rotation.teacherId, unitId: rotation.homeSchoolId, unitPath: rotation.homeSchoolPath, toStatus: atPostStatus, effectiveDate: todayIso(), reason: `取消到“${rotation.hostSchoolName}”的交流（尚未开始）：${reason}`, documentNumber: null });
}

/** The month a step records, checked against the rotation (after the party check: a stranger learns nothing). */
function stepMonth(rotation: LoadedRotation, input: RotationStepInput): string {
  const thisMonth = todayIso().slice(0, 7);
  if (input.action === 'return') {
    const month = input.month || rotation.plannedEndMonth;
    // The same window as the reminder: from 30 days before the planned end.
    if (!isRotationDue({ state: 'active', plannedEndMonth: rotation.plannedEndMonth }, todayIso())) throw new ValidationError('尚未到期', { month: [`计划 ${rotation.plannedEndMonth} 结束，期满前 ${rotationDueDays} 天内才能办理返回；现在结束请选择“提前结束”`] });
    if (month < rotation.plannedEndMonth) throw new ValidationError('返回年月早于计划结束年月，请选择“提前结束”', { month: [`早于计划结束年月 ${rotation.plannedEndMonth}，请选择“提前结束”`] });
    const latest = rotation.plannedEndMonth > thisMonth ? rotation.plannedEndMonth : thisMonth;
    if (month > latest) throw new ValidationError('返回年月太晚', { month: [`最晚可记录到 ${latest}`] });
    return month;
  }
  if (input.action === 'cancel') {
    if (rotation.startMonth <= thisMonth) throw new ValidationError('交流已经开始，不能取消', { reason: [`交流自 ${rotation.startMonth} 开始，请选择“提前结束”`] });
    return '';
  }
  if (input.action === 'endEarly') {
    const month = input.month || thisMonth;
    if (month >= rotation.plannedEndMonth) throw new ValidationError('结束年月不早于计划结束年月，请选择“期满返回”', { month: [`不早于计划结束年月 ${rotation.plannedEndMonth}，请选择“期满返回”`] });
    if (month < rotation.startMonth) throw new ValidationError('结束年月早于开始年月', { month: [`不能早于开始年月 ${rotation.startMonth}`] });
    if (month > thisMonth) throw new ValidationError('结束年月不能晚于本月', { month: [`不能晚于本月（${thisMonth}）`] });
    return month;
  }
  if (input.action === 'extend') {
    if (!input.month) throw new ValidationError('请填写延期后的结束年月', { month: ['请填写延期后的结束年月'] });
    if (input.month <= rotation.plannedEndMonth) throw new ValidationError('延期后的结束年月须晚于原计划', { month: [`须晚于原计划结束年月 ${rotation.plannedEndMonth}`] });
    if (monthIndex(input.month) - monthIndex(rotation.startMonth) > maxRotationMonths) throw new ValidationError('交流期限过长', { month: [`交流期限（含延期）不能超过 ${maxRotationMonths / 12} 年`] });
    return input.month;
  }
  return '';
}

/**
 * One step of a rotation, as the chain allows it for the actor: the authority confirms or refuses the
 * filing and extensions; the home school withdraws, records the return or an early end, or asks to extend.
 */
export async function takeRotationStep(actor: Actor, input: RotationStepInput): Promise<{ state: RotationState }> {
  assertCan(actor, 'rotation.view');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const seen = await loadVisibleRotation(tx, actor, input.id);
    // Teacher row first, then the case: the order filing takes too. Every step takes this lock, so the
    // rotation read again under it is the one the step moves (a granted extension, a new end month).
    await lockTeacher(tx, seen.teacherId);
    const rotation = await loadVisibleRotation(tx, actor, input.id);
    const now = new Date();
    let month = '';
    const step = await transition(tx, actor, {
      flow: 'rotation',
      chain: rotationChain,
      parties: rotationParties,
      partyLabels: rotationPartyLabels,
      subject: rotation,
      action: input.action,
      reason: input.reason,
      detail: () => (month ? { month } : undefined),
      async advance(tx, step) {
        month = stepMonth(rotation, input);
        const extending = rotation.state === 'extending';
        const closed = step.to === 'ended' || step.to === 'rejected' || step.to === 'withdrawn';
        const [moved] = await tx
          .update(rotations)
          .set({
            state: step.to,
            stateSince: now,
            waitingUnitId: rotationWaitingUnitOf(rotation, step.to),
            ...(closed ? { closedAt: now } : {}),
            ...(step.to === 'rejected' ? { rejectionReason: input.reason } : {}),
            ...(step.to === 'ended' ? { endMonth: month, endKind: input.action === 'endEarly' ? 'early' : 'returned' } : {}),
            ...(input.action === 'extend' ? { requestedEndMonth: month } : {}),
            ...(extending ? { requestedEndMonth: null, ...(input.action === 'confirm' ? { plannedEndMonth: rotation.requestedEndMonth! } : {}) } : {}),
          })
          .where(and(eq(rotations.id, rotation.id), eq(rotations.state, rotation.state)))
          .returning({ id: rotations.id });
        if (!moved) return false;
        if (rotation.state === 'filed' && step.to === 'active') await startRotation(tx, actor, rotation);
        if (step.to === 'ended') await endRotation(tx, actor, rotation, month, input.action === 'endEarly');
        if (input.action === 'cancel') await cancelRotation(tx, actor, rotation, input.reason);
        return true;
      },
      audit: { unitPath: rotation.homeSchoolPath, targetType: 'rotation', targetId: rotation.id, detail: () => ({ teacher: rotation.teacherName, ...(month ? { month } : {}), ...(rotation.state === 'extending' && input.action === 'confirm' ? { plannedEndMonth: rotation.requestedEndMonth } : {}) }) },
    });
    return { state: step.to };
  });
}

/** The county's targets for a year; a change is audited with the values before and after. */
export async function saveRotationTargets(actor: Actor, input: RotationTargetsInput): Promise<{ year: number }> {
  assertCan(actor, 'rotation.target');
  const values = { eligibleYears: input.eligibleYears, minSharePermille: Math.round(input.minSharePercent * 10), minKeySharePermille: Math.round(input.minKeySharePercent * 10) };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(rotationTargets).where(and(eq(rotationTargets.countyId, actor.unitId), eq(rotationTargets.year, input.year))).for('update');
    await tx
      .insert(rotationTargets)
      .values({ countyId: actor.unitId, year: input.year, ...values, updatedBy: actor.accountId, updatedByName: actor.displayName })
      .onConflictDoUpdate({ target: [rotationTargets.countyId, rotationTargets.year], set: { ...values, updatedBy: actor.accountId, updatedByName: actor.displayName, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: 'rotation.targets',
      unitPath: actor.unitPath,
      targetType: 'unit',
      targetId: actor.unitId,
      detail: { year: input.year, ...values, ...(before ? { before: { eligibleYears: before.eligibleYears, minSharePermille: before.minSharePermille, minKeySharePermille: before.minKeySharePermille } } : {}) },
    });
    return { year: input.year };
  });
}

/** The county's plan as a file; every export is audited. */
export async function exportRotationPlan(actor: Actor, input: { countyId: number; year: number }): Promise<{ fileName: string; content: Buffer }> {
  const plan = await getRotationPlan(actor, input);
  const content = await buildRotationPlanWorkbook(plan, new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));
  await recordAudit(await getDb(), actor, { action: 'rotation.plan.export', unitPath: plan.county.path, targetType: 'unit', targetId: plan.county.id, detail: { year: plan.year, schools: plan.schools.length } });
  return { fileName: `交流轮岗计划-${plan.county.name}-${plan.year}.xlsx`, content };
}
