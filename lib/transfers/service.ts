import 'server-only';
import { checkAttachment, type FiledAttachment } from '@/lib/attachments';
import { refreshStandings } from '@/lib/training/ledger/service';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { accounts, changeRequests, recordAdditions, rotations, statusChanges, teacherEntries, teacherFieldChanges, teachers, transferAttachments, transfers, units, type StoredRecord, type TransferState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { caseVisibleTo, competentAuthorityOf } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { codeTables } from '@/lib/indicators/code-tables';
import { atPostStatus, deceasedStatus, isServing, statusGroupOf } from '@/lib/mobility/status';
import { todayIso } from '@/lib/indicators/form-schema';
import { maskIdNumber } from '@/lib/reference/id-number';
import { checkSupplements, createNextVersion, freezeVersion, reviewerOf, writeReviews } from '@/lib/records/service';
import { idNumberHash, revealStoredIdNumber } from '@/lib/teachers/identity';
import { generateInitialPassword, hashPassword } from '@/lib/auth/password';
import type { IssuedCredential } from '@/lib/accounts/service';
import { getSchoolTarget, lockTeacher } from '@/lib/teachers/service';
import { applyRollupDeltas } from '@/lib/units/service';
import { recordCaseOpened, transition } from '@/lib/workflow/service';
import { openTransferStates, transferChain, transferParties, transferPartyLabels, waitingUnitOf, type TransferSubject } from './chain';
import { type FileTransferInput, type FindTransferTeacherInput, type TransferCandidate, type TransferStepInput } from './schemas';




/** Lookups that find nobody, per account and hour, before lookups stop (finding a teacher must not become a way to test ID numbers). */
export const transferLookupMissBudget = 30;

interface FoundTeacher {
  id: number;
  name: string;
  gender: string;
  idNumberMasked: string;
  unitId: number;
  unitPath: string;
  unitName: string;
  recordState: 'draft' | 'submitted' | 'effective';
  personnelStatus: string | null;
}

/** A lookup that found nobody: audited (and counted against the budget) once its transaction is over. */
class TransferLookupMiss extends NotFoundError {
  constructor(readonly idNumber: string) {
    super('未找到证件号码与姓名都相符的教师，请核对后重试');
  }
}

async function auditLookupMiss(actor: Actor, error: unknown): Promise<void> {
  if (error instanceof TransferLookupMiss) await recordAudit(await getDb(), actor, { action: 'transfer.lookup.miss', detail: { idNumber: maskIdNumber(error.idNumber) } });
}

/**
 * The receiving school finds a teacher by ID number and name together; a near miss says no more than
 * a miss. Misses are limited per hour. Inside a transaction the row is locked first, so what is read
 * is what the transaction works with (a transfer completing meanwhile is waited for).
 */
async function findTeacher(executor: Executor, actor: Actor, input: FindTransferTeacherInput, lock = false): Promise<FoundTeacher> {
  assertCan(actor, 'transfer.file');
  const [misses] = rowsOf<{ n: number }>(
    await executor.execute(sql`select count(*)::int as n from audit_log where action = 'transfer.lookup.miss' and actor_account_id = ${actor.accountId} and occurred_at > now() - interval '1 hour'`),
  );
  if (misses.n >= transferLookupMissBudget) throw new ForbiddenError(`一小时内查无此人已达 ${transferLookupMissBudget} 次，为防止探测证件号码，本账号暂停查找 1 小时。`);
  if (lock) await executor.execute(sql`select id from teachers where id_number_hash = ${idNumberHash(input.idNumber)} for update`);
  const [row] = await executor
    .select({
      id: teachers.id,
      name: teachers.name,
      gender: teachers.gender,
      idNumberMasked: teachers.idNumberMasked,
      unitId: teachers.unitId,
      unitPath: teachers.unitPath,
      unitName: units.name,
      recordState: teachers.recordState,
      personnelStatus: teachers.personnelStatus,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(and(eq(teachers.idNumberHash, idNumberHash(input.idNumber)), eq(teachers.name, input.name)));
  if (!row) throw new TransferLookupMiss(input.idNumber);
  return { ...row, idNumberMasked: row.idNumberMasked! };
}

/** Step 0: what the receiving school may see of the teacher before filing (name, masked ID, gender, school). */
export async function findTransferTeacher(actor: Actor, input: FindTransferTeacherInput): Promise<TransferCandidate> {
  const db = await getDb();
  const found = await findTeacher(db, actor, input).catch(async (error: unknown) => {
    await auditLookupMiss(actor, error);
    throw error;
  });
  if (found.unitId === actor.unitId) throw new ValidationError('该教师已在本校，无需调动', { idNumber: ['该教师已在本校'] });
  await recordAudit(db, actor, { action: 'transfer.lookup', unitPath: found.unitPath, targetType: 'teacher', targetId: found.id, detail: { idNumber: found.idNumberMasked } });
  return { name: found.name, idNumberMasked: found.idNumberMasked, gender: found.gender, schoolName: found.unitName };
}

async function provinceIdOf(executor: Executor, path: string): Promise<number | null> {
  const ids = path.split('.').map(Number);
  const [row] = await executor.select({ id: units.id }).from(units).where(and(inArray(units.id, ids), eq(units.tier, 'province')));
  return row?.id ?? null;
}

/** Why a record cannot be transferred (or, for someone who left, re-hired) now, or null. */
async function transferBlocker(tx: Executor, teacher: FoundTeacher, kind: FileTransferInput['kind']): Promise<string | null> {
  if (teacher.recordState !== 'effective') return '该教师的信息尚未审核生效，须由所在学校完成采集审核后才能调动';
  if (kind === 'rehire') {
    if (isServing(teacher.personnelStatus)) return '该教师仍在原单位任职，请办理教师调动，而不是重新入职';
    if (teacher.personnelStatus === deceasedStatus) return '该人员已死亡，不能办理重新入职';
  } else if (!isServing(teacher.personnelStatus)) return '该教师已离开本单位（退休、调出、离职等），不能调动；请选择“重新入职”办理';
  const [pendingStatus] = await tx.select({ id: statusChanges.id }).from(statusChanges).where(and(eq(statusChanges.teacherId, teacher.id), eq(statusChanges.state, 'pending'))).limit(1);
  if (pendingStatus) return '该教师有待主管部门确认的在职情况变动，须等其确认后才能调动';
  const [openRotation] = await tx.select({ id: rotations.id }).from(rotations).where(and(eq(rotations.teacherId, teacher.id), inArray(rotations.state, ['filed', 'active', 'extending']))).limit(1);
  if (openRotation) return '该教师正在办理或进行交流轮岗（人事关系不变），须等交流结束后才能调动';
  const [pendingAddition] = await tx.select({ id: recordAdditions.id }).from(recordAdditions).where(and(eq(recordAdditions.teacherId, teacher.id), inArray(recordAdditions.state, ['pending_school', 'pending_authority']))).limit(1);
  const [pendingChange] = await tx.select({ id: changeRequests.id }).from(changeRequests).where(and(eq(changeRequests.teacherId, teacher.id), eq(changeRequests.state, 'pending'))).limit(1);
  if (pendingAddition || pendingChange) return '该教师有待审批的新增信息或变更申请，须等其审批完成后才能调动';
  return null;
}

/**
 * Step 1 (seed 七(一)1): the receiving school files the request. One open transfer per teacher: the
 * partial unique index decides between two schools filing at the same moment.
 */
export async function fileTransfer(actor: Actor, input: FileTransferInput, attachment?: FiledAttachment | null): Promise<{ transferId: number }> {
  assertCan(actor, 'transfer.file');
  const stored = attachment && attachment.bytes.byteLength > 0 ? { ...checkAttachment(attachment), file: attachment } : null;
  const db = await getDb();
  // The row lock (taken by the lookup) orders this filing against additions, change requests and completions at the same moment.
  const filing = db.transaction(async (tx) => {
    if (input.kind === 'rotation' && !codeTables.rotationKind.some((item) => item.code === input.rotationKind)) throw new ValidationError('请选择交流轮岗类型', { rotationKind: ['请选择交流轮岗类型'] });
    const teacher = await findTeacher(tx, actor, input, true);
    if (teacher.unitId === actor.unitId) throw new ValidationError('该教师已在本校，无需调动', { idNumber: ['该教师已在本校'] });
    const blocker = await transferBlocker(tx, teacher, input.kind);
    if (blocker) throw new ConflictError(blocker);
    const receiving = await getSchoolTarget(tx, actor.unitId);
    const [sendingUnit] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, teacher.unitId));
    const [receivingUnit] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, receiving.id));
    const subject: TransferSubject = {
      kind: input.kind,
      sendingSchoolId: teacher.unitId,
      sendingAuthorityId: competentAuthorityOf(sendingUnit),
      sendingProvinceId: await provinceIdOf(tx, teacher.unitPath),
      receivingSchoolId: receiving.id,
      receivingAuthorityId: competentAuthorityOf(receivingUnit),
      receivingProvinceId: receiving.provinceUnitId,
      crossProvince: false,
    };
    subject.crossProvince = subject.sendingProvinceId !== subject.receivingProvinceId;
    const [created] = await tx
      .insert(transfers)
      .values({
        teacherId: teacher.id,
        teacherName: teacher.name,
        teacherIdMasked: teacher.idNumberMasked,
        teacherGender: teacher.gender,
        sendingSchoolPath: teacher.unitPath,
        sendingSchoolName: teacher.unitName,
        receivingSchoolPath: receiving.path,
        receivingSchoolName: receiving.name,
        ...subject,
        reason: input.reason,
        rotationKind: input.kind === 'rotation' ? (input.rotationKind ?? null) : null,
        postCategory: input.postCategory,
        postTitle: input.postTitle || null,
        plannedArrivalMonth: input.plannedArrivalMonth,
        waitingUnitId: waitingUnitOf(subject, 'filed'),
        filedBy: actor.accountId,
        filedByName: actor.displayName,
      })
      .onConflictDoNothing()
      .returning({ id: transfers.id });
    if (!created) throw new ConflictError('该教师已有正在办理的调动，须等其办结后才能再次申请');
    if (stored) await tx.insert(transferAttachments).values({ transferId: created.id, fileName: stored.file.name.slice(0, 200), contentType: stored.contentType, content: Buffer.from(stored.file.bytes), byteSize: stored.file.bytes.byteLength });
    await recordCaseOpened(tx, actor, 'transfer', created.id, 'filed', input.reason);
    await recordAudit(tx, actor, { action: 'transfer.file', unitPath: receiving.path, targetType: 'transfer', targetId: created.id, detail: { teacher: teacher.name, idNumber: teacher.idNumberMasked, from: teacher.unitName, to: receiving.name } });
    return { transferId: created.id };
  });
  return filing.catch(async (error: unknown) => {
    await auditLookupMiss(actor, error);
    throw error;
  });
}

export interface LoadedTransfer extends TransferSubject {
  id: number;
  state: TransferState;
  teacherId: number;
  teacherName: string;
  sendingSchoolPath: string;
  sendingSchoolName: string;
  receivingSchoolPath: string;
  receivingSchoolName: string;
  plannedArrivalMonth: string;
  leavingMonth: string | null;
  postTitle: string | null;
  rotationKind: string | null;
}

/** A transfer one of whose parties lies in the actor's jurisdiction; anyone else gets "not found". */
export async function loadVisibleTransfer(executor: Executor, actor: Actor, transferId: number): Promise<LoadedTransfer> {
  const [row] = await executor
    .select({
      id: transfers.id,
      kind: transfers.kind,
      state: transfers.state,
      teacherId: transfers.teacherId,
      teacherName: transfers.teacherName,
      crossProvince: transfers.crossProvince,
      sendingSchoolId: transfers.sendingSchoolId,
      sendingSchoolPath: transfers.sendingSchoolPath,
      sendingSchoolName: transfers.sendingSchoolName,
      sendingAuthorityId: transfers.sendingAuthorityId,
      sendingProvinceId: transfers.sendingProvinceId,
      receivingSchoolId: transfers.receivingSchoolId,
      receivingSchoolPath: transfers.receivingSchoolPath,
      receivingSchoolName: transfers.receivingSchoolName,
      receivingAuthorityId: transfers.receivingAuthorityId,
      receivingProvinceId: transfers.receivingProvinceId,
      plannedArrivalMonth: transfers.plannedArrivalMonth,
      leavingMonth: transfers.leavingMonth,
      postTitle: transfers.postTitle,
      rotationKind: transfers.rotationKind,
    })
    .from(transfers)
    .where(and(eq(transfers.id, transferId), caseVisibleTo(actor, [transfers.sendingSchoolPath, transfers.receivingSchoolPath])));
  if (!row) throw new NotFoundError('该调动不存在或不在您的管辖范围内');
  return row;
}

/**
 * Every step after filing, by the party whose turn it is (transferChain): confirm, agree (with the
 * leaving month), reject (with a reason), withdraw, and receive, which completes the transfer.
 */
export async function takeTransferStep(actor: Actor, input: TransferStepInput): Promise<{ state: TransferState; credential?: IssuedCredential }> {
  assertCan(actor, 'transfer.view');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const transfer = await loadVisibleTransfer(tx, actor, input.id);
    // Teacher row first, then the case: the order filing takes too, so the two never deadlock.
    await lockTeacher(tx, transfer.teacherId);
    const now = new Date();
    const thisMonth = todayIso().slice(0, 7);
    // A re-hired teacher's login reopens with a new initial password, made before the transaction's writes.
    const password = transfer.kind === 'rehire' && input.action === 'receive' ? generateInitialPassword() : null;
    const passwordHash = password ? await hashPassword(password) : null;
    let credential: IssuedCredential | undefined;
    const arrivalMonth = input.arrivalMonth || (transfer.plannedArrivalMonth < thisMonth ? transfer.plannedArrivalMonth : thisMonth);
    const step = await transition(tx, actor, {
      flow: 'transfer',
      chain: transferChain,
      parties: transferParties,
      partyLabels: transferPartyLabels,
      subject: transfer,
      action: input.action,
      reason: input.reason,
      detail: input.action === 'agree' ? { leavingMonth: input.leavingMonth } : input.action === 'receive' ? { arrivalMonth } : undefined,
      async advance(tx, step) {
        // Checked here, after the party check: a stranger is refused, not told what is wrong with the month.
        if (input.action === 'agree') await checkLeavingMonth(tx, transfer.teacherId, input.leavingMonth, thisMonth);
        if (input.action === 'receive') {
          // 进本校年月 takes this value, and a record month may not lie in the future.
          if (arrivalMonth > thisMonth) throw new ValidationError('到岗年月不能晚于本月', { arrivalMonth: [`不能晚于本月（${thisMonth}）`] });
          if (transfer.leavingMonth && arrivalMonth < transfer.leavingMonth) throw new ValidationError('到岗年月不能早于离校年月', { arrivalMonth: [`不能早于离校年月 ${transfer.leavingMonth}`] });
        }
        const closed = !openTransferStates.includes(step.to);
        const moved = await tx
          .update(transfers)
          .set({
            state: step.to,
            stateSince: now,
            waitingUnitId: waitingUnitOf(transfer, step.to),
            ...(closed ? { closedAt: now } : {}),
            ...(step.to === 'rejected' ? { rejectionReason: input.reason } : {}),
            ...(input.action === 'agree' ? { leavingMonth: input.leavingMonth } : {}),
            ...(step.to === 'completed' ? { arrivalMonth } : {}),
          })
          .where(and(eq(transfers.id, transfer.id), eq(transfers.state, transfer.state)))
          .returning({ id: transfers.id });
        if (moved.length === 0) return false;
        if (step.to === 'completed') {
          const target = await completeTransfer(tx, actor, { ...transfer, leavingMonth: transfer.leavingMonth ?? arrivalMonth }, arrivalMonth);
          if (transfer.kind === 'rehire') credential = await reopenAfterRehire(tx, actor, transfer, target, passwordHash!, password!);
        }
        return true;
      },
      // Under the actor's own unit: each side's auditors see what their staff decided.
      audit: { unitPath: actor.unitPath, targetType: 'transfer', targetId: transfer.id, detail: { teacher: transfer.teacherName } },
    });
    return { state: step.to, ...(credential ? { credential } : {}) };
  });
}

/**
 * 重新入职 completes like a transfer, and then the teacher is at post again (a status change of its own,
 * in the history) and the login opens with a new initial password, shown once to the school.
 */
async function reopenAfterRehire(tx: Executor, actor: Actor, transfer: LoadedTransfer, target: { id: number; code: string; name: string; path: string }, passwordHash: string, password: string): Promise<IssuedCredential> {
  const [teacher] = await tx.select({ status: teachers.personnelStatus, accountId: teachers.accountId, idNumberEnc: teachers.idNumberEnc, name: teachers.name }).from(teachers).where(eq(teachers.id, transfer.teacherId));
  if (statusGroupOf(teacher.status) !== 'left') throw new ConflictError('该教师已不是离开状态，无法办理重新入职');
  await tx
    .update(teachers)
    .set({ personnelStatus: atPostStatus, record: sql`jsonb_set(${teachers.record}, '{basic,personnelStatus}', to_jsonb(${atPostStatus}::text))`, revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
    .where(eq(teachers.id, transfer.teacherId));
  await tx.insert(statusChanges).values({ teacherId: transfer.teacherId, unitId: target.id, unitPath: target.path, fromStatus: teacher.status, toStatus: atPostStatus, effectiveDate: todayIso(), reason: `重新入职“${target.name}”`, state: 'effective', filedBy: actor.accountId, filedByName: actor.displayName, decidedBy: actor.accountId, decidedByName: actor.displayName, decidedAt: new Date() });
  await tx.insert(teacherFieldChanges).values({ teacherId: transfer.teacherId, subset: basicSubsetKey, entryId: null, field: 'personnelStatus', oldValue: teacher.status, newValue: atPostStatus, accountId: actor.accountId, accountName: actor.displayName, source: 'system' });
  const version = await createNextVersion(tx, transfer.teacherId, 'status', actor);
  await writeReviews(tx, reviewerOf(actor), 'status.change', [transfer.teacherId], `重新入职，人员状态恢复为“在本单位任职”，生成第 ${version} 版`);
  await recordAudit(tx, actor, { action: 'status.change', unitPath: target.path, targetType: 'teacher', targetId: transfer.teacherId, detail: { from: teacher.status, to: atPostStatus, version, via: 'rehire' } });
  if (teacher.accountId) {
    await tx.update(accounts).set({ status: 'active', passwordHash, mustChangePassword: true, passwordIssuedAt: new Date(), sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: new Date() }).where(eq(accounts.id, teacher.accountId));
    await recordAudit(tx, actor, { action: 'account.credentials.issue', unitPath: target.path, targetType: 'account', targetId: teacher.accountId, detail: { reason: 'rehire', teacherId: transfer.teacherId } });
  }
  return { unitCode: target.code, unitName: target.name, username: revealStoredIdNumber(teacher.idNumberEnc!), displayName: teacher.name, password };
}

/** The leaving month: not before the teacher joined the school, and at most a year ahead. */
async function checkLeavingMonth(tx: Executor, teacherId: number, leavingMonth: string, thisMonth: string): Promise<void> {
  const [teacher] = await tx.select({ record: teachers.record }).from(teachers).where(eq(teachers.id, teacherId));
  const joined = teacher?.record.basic?.joinSchoolDate;
  const latest = `${Number(thisMonth.slice(0, 4)) + 1}${thisMonth.slice(4)}`;
  if (typeof joined === 'string' && leavingMonth < joined) throw new ValidationError('离校年月不能早于进本校年月', { leavingMonth: [`不能早于进本校年月 ${joined}`] });
  if (leavingMonth > latest) throw new ValidationError('离校年月最多填写一年以后', { leavingMonth: [`不能晚于 ${latest}`] });
}

/**
 * 调档: in the step's transaction the record moves to the receiving school with its history. The
 * statistics trigger follows the row; the subtree totals move here; the open 工作经历 entry is closed
 * and one at the new school opened; 进本校年月 becomes the arrival month; a version of kind transfer
 * holds the diff; the login stays the same.
 */
async function completeTransfer(tx: Executor, actor: Actor, transfer: LoadedTransfer & { leavingMonth: string }, arrivalMonth: string): Promise<{ id: number; code: string; name: string; path: string }> {
  const [teacher] = await tx
    .select({ id: teachers.id, unitId: teachers.unitId, unitPath: teachers.unitPath, provinceUnitId: teachers.provinceUnitId, stage: teachers.stage, accountId: teachers.accountId, record: teachers.record, complete: teachers.complete, recordState: teachers.recordState, personnelStatus: teachers.personnelStatus, effectiveVersion: teachers.effectiveVersion })
    .from(teachers)
    .where(eq(teachers.id, transfer.teacherId))
    .for('update');
  if (!teacher || teacher.unitId !== transfer.sendingSchoolId || teacher.recordState !== 'effective') throw new ConflictError('该教师的记录已发生变化，无法完成调动，请联系调出学校核实');
  if (transfer.kind !== 'rehire' && !isServing(teacher.personnelStatus)) throw new ConflictError('该教师已离开原单位，不能完成调动；请撤回后按“重新入职”办理');
  const target = await getSchoolTarget(tx, transfer.receivingSchoolId);
  const basic = { ...(teacher.record[basicSubsetKey] ?? {}) };
  const previousJoin = basic.joinSchoolDate ?? null;
  basic.joinSchoolDate = arrivalMonth;
  const record: StoredRecord = { ...teacher.record, [basicSubsetKey]: basic };
  const [moved] = await tx
    .update(teachers)
    .set({
      unitId: target.id,
      unitPath: target.path,
      provinceUnitId: target.provinceUnitId,
      stage: target.stage,
      schoolTypeCode: target.schoolTypeCode,
      ownership: target.ownership,
      record,
      // The version moves in the same write: one UPDATE of the row (and one run of the statistics trigger).
      effectiveVersion: teacher.effectiveVersion + 1,
      revision: sql`${teachers.revision} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(teachers.id, teacher.id), eq(teachers.unitId, transfer.sendingSchoolId), eq(teachers.effectiveVersion, teacher.effectiveVersion)))
    .returning({ id: teachers.id });
  if (!moved) throw new ConflictError('该教师的记录已发生变化，无法完成调动');
  if (teacher.accountId) await tx.update(accounts).set({ unitId: target.id, updatedAt: new Date() }).where(eq(accounts.id, teacher.accountId));
  const move = { teachers: 1, accounts: teacher.accountId ? 1 : 0, recordsEffective: 1, recordsComplete: teacher.complete ? 1 : 0 };
  // A teacher who left was no longer counted where they were; re-hired, they count at the new school.
  const counted = isServing(teacher.personnelStatus);
  await applyRollupDeltas(tx, [
    { path: teacher.unitPath, teachers: counted ? -move.teachers : 0, accounts: -move.accounts, recordsEffective: counted ? -move.recordsEffective : 0, recordsComplete: counted ? -move.recordsComplete : 0 },
    { path: target.path, ...move },
  ]);
  const changes: (typeof teacherFieldChanges.$inferInsert)[] = [];
  const author = { accountId: actor.accountId, accountName: actor.displayName, source: 'system' as const };
  if (previousJoin !== arrivalMonth) changes.push({ teacherId: teacher.id, subset: basicSubsetKey, entryId: null, field: 'joinSchoolDate', oldValue: previousJoin, newValue: arrivalMonth, ...author });
  const open = await tx
    .update(teacherEntries)
    .set({ values: sql`${teacherEntries.values} || jsonb_build_object('endMonth', ${transfer.leavingMonth}::text)`, updatedAt: new Date() })
    .where(and(eq(teacherEntries.teacherId, teacher.id), eq(teacherEntries.subset, 'work'), sql`coalesce(${teacherEntries.values}->>'endMonth', '') = ''`))
    .returning({ id: teacherEntries.id });
  for (const entry of open) changes.push({ teacherId: teacher.id, subset: 'work', entryId: entry.id, field: 'endMonth', oldValue: null, newValue: transfer.leavingMonth, ...author });
  const opened = { unitName: target.name, startMonth: arrivalMonth, ...(transfer.postTitle ? { post: transfer.postTitle } : {}) };
  const [entry] = await tx.insert(teacherEntries).values({ teacherId: teacher.id, subset: 'work', values: opened }).returning({ id: teacherEntries.id });
  for (const [field, value] of Object.entries(opened)) changes.push({ teacherId: teacher.id, subset: 'work', entryId: entry.id, field, oldValue: null, newValue: value, ...author });
  // 交流轮岗 with a change of personnel relation (人走关系走): the record's 交流轮岗 entry too.
  if (transfer.kind === 'rotation') {
    const rotation = { kind: transfer.rotationKind ?? '05', fromUnit: transfer.sendingSchoolName, toUnit: target.name, startMonth: arrivalMonth, personnelChange: '1' };
    const [rotationEntry] = await tx.insert(teacherEntries).values({ teacherId: teacher.id, subset: 'rotation', values: rotation }).returning({ id: teacherEntries.id });
    for (const [field, value] of Object.entries(rotation)) changes.push({ teacherId: teacher.id, subset: 'rotation', entryId: rotationEntry.id, field, oldValue: null, newValue: value, ...author });
  }
  await tx.insert(teacherFieldChanges).values(changes);
  const version = teacher.effectiveVersion + 1;
  await freezeVersion(tx, teacher.id, version, 'transfer', actor);
  await writeReviews(tx, reviewerOf(actor), 'transfer.complete', [teacher.id], `由“${transfer.sendingSchoolName}”调入“${target.name}”，生成第 ${version} 版`);
  // Across provinces the settings differ: fields the new province requires and the record lacks wait as
  // 待补充 at the new school. Within a province the record was approved against the same settings.
  if (target.provinceUnitId !== teacher.provinceUnitId) {
    await checkSupplements(tx, teacher.id);
    // The ledger moves with the teacher: credits stay as confirmed, the new province's requirement applies.
    await refreshStandings(tx, [teacher.id]);
  }
  await recordAudit(tx, actor, { action: 'transfer.complete', unitPath: target.path, targetType: 'teacher', targetId: teacher.id, detail: { transferId: transfer.id, from: transfer.sendingSchoolName, to: target.name, version } });
  return target;
}

/** The record is read-only while a transfer is open, except through the flow. */
export async function assertNoOpenTransfer(executor: Executor, teacherId: number): Promise<void> {
  const [open] = await executor.select({ id: transfers.id }).from(transfers).where(and(eq(transfers.teacherId, teacherId), inArray(transfers.state, openTransferStates))).limit(1);
  if (open) throw new ConflictError('该教师正在办理调动，调动办结前记录只读');
}

/** The filing's attachment, for the parties' staff only. */
export async function readTransferAttachment(actor: Actor, transferId: number): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  assertCan(actor, 'transfer.view');
  const db = await getDb();
  const transfer = await loadVisibleTransfer(db, actor, transferId);
  const [file] = await db.select({ fileName: transferAttachments.fileName, contentType: transferAttachments.contentType, content: transferAttachments.content }).from(transferAttachments).where(eq(transferAttachments.transferId, transfer.id));
  if (!file) throw new NotFoundError('该调动没有附件');
  await recordAudit(db, actor, { action: 'transfer.attachment.view', unitPath: actor.unitPath, targetType: 'transfer', targetId: transfer.id });
  return file;
}
