import 'server-only';
import { and, asc, desc, eq, gt, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb } from '@/lib/db';
import { rotations, statusChanges, teachers, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { competentAuthorityIsActor, mayAct } from '@/lib/auth/relations';
import { inJurisdiction, underUnit } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { monthIndex } from '@/lib/months';
import { getScopedTeacher } from '@/lib/teachers/service';
import { statusParties } from './chain';
import { openRotationStates, rotationStateNames } from '@/lib/rotations/chain';
import { retiringWindow, retiringWithinMonths } from './schemas';
import { isServing, statusNameOf as statusName, statusGroupOf } from './status';
import { describeAge, originalRetirementAge, statutoryRetirement } from './retirement';

const pageSize = 50;

/**
 * A pending departure, an open transfer or rotation: no other status change may be recorded meanwhile. Named by
 * hand ("teachers"."id"): in a one-table select drizzle leaves columns bare, which the subqueries would capture.
 */
export const statusChangeBlocked = sql<boolean>`exists (select 1 from status_changes sc where sc.teacher_id = "teachers"."id" and sc.state = 'pending') or exists (select 1 from transfers tr where tr.teacher_id = "teachers"."id" and tr.state not in ('completed', 'rejected', 'withdrawn')) or exists (select 1 from rotations ro where ro.teacher_id = "teachers"."id" and ro.state in ('filed', 'active', 'extending'))`;
const serving = sql`(${teachers.personnelStatus} is null or ${teachers.personnelStatus} not like '3%')`;

export interface RetiringRow {
  id: number;
  name: string;
  idNumberMasked: string;
  gender: string;
  birthDate: string;
  unitName: string;
  statusCode: string | null;
  statusName: string;
  /** YYYY-MM */
  retirementMonth: string;
  /** 60岁2个月; with "弹性" when the teacher chose a month. */
  retirementAge: string;
  flexible: boolean;
  /** The school may set it to 209 from the list. */
  mayMark: boolean;
}

/**
 * 即将退休: serving teachers of the jurisdiction whose retirement month falls in the next
 * `months` months, soonest first, paged by (month, id) on the partial retirement index.
 */
export async function listRetiring(actor: Actor, options: { months?: number; after?: { month: string; id: number }; limit?: number } = {}): Promise<{ rows: RetiringRow[]; hasMore: boolean; total: number; window: { from: string; until: string } }> {
  if (!can(actor, 'teacher.list')) throw new NotFoundError();
  const window = retiringWindow(todayIso(), options.months ?? retiringWithinMonths);
  const limit = options.limit ?? pageSize;
  const base: SQL[] = [inJurisdiction(actor, teachers.unitPath), serving, gte(teachers.retirementMonth, window.from), lt(teachers.retirementMonth, window.until)];
  const after = options.after ? or(gt(teachers.retirementMonth, `${options.after.month}-01`), and(eq(teachers.retirementMonth, `${options.after.month}-01`), gt(teachers.id, options.after.id)))! : undefined;
  const db = await getDb();
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: teachers.id,
        name: teachers.name,
        idNumberMasked: teachers.idNumberMasked,
        gender: teachers.gender,
        birthDate: teachers.birthDate,
        postCategory: teachers.postCategory,
        unitId: teachers.unitId,
        unitName: units.name,
        unitParentId: units.parentId,
        status: teachers.personnelStatus,
        retirementMonth: teachers.retirementMonth,
        override: teachers.retirementOverride,
        recordState: teachers.recordState,
        blocked: statusChangeBlocked,
      })
      .from(teachers)
      .innerJoin(units, eq(units.id, teachers.unitId))
      .where(and(...base, after))
      .orderBy(asc(teachers.retirementMonth), asc(teachers.id))
      .limit(limit + 1),
    db.select({ n: sql<number>`count(*)::int` }).from(teachers).where(and(...base)),
  ]);
  return {
    total: counted.n,
    hasMore: rows.length > limit,
    window,
    rows: rows.slice(0, limit).map((row) => {
      const statutory = statutoryRetirement(row.birthDate.slice(0, 7), originalRetirementAge(row.gender, row.postCategory));
      const month = row.retirementMonth!.slice(0, 7);
      const ageMonths = statutory.ageMonths + monthIndex(month) - monthIndex(statutory.month);
      return {
        id: row.id,
        name: row.name,
        idNumberMasked: row.idNumberMasked ?? '',
        gender: row.gender === '1' ? '男' : '女',
        birthDate: row.birthDate,
        unitName: row.unitName,
        statusCode: row.status,
        statusName: statusName(row.status),
        retirementMonth: month,
        retirementAge: `${describeAge(ageMonths)}${row.override ? '（弹性）' : ''}`,
        flexible: row.override !== null,
        mayMark: row.recordState === 'effective' && !row.blocked && statusGroupOf(row.status) === 'atPost' && mayAct(actor, statusParties({ unitId: row.unitId, parentId: row.unitParentId }, 'school')),
      };
    }),
  };
}

export interface LeftRow {
  id: number;
  name: string;
  idNumberMasked: string;
  unitName: string;
  statusName: string;
  leftOn: string | null;
}

/** 已离开: the jurisdiction's records of staff who left (3xx), readable with their whole history. */
export async function listLeftTeachers(actor: Actor, options: { before?: number } = {}): Promise<{ rows: LeftRow[]; hasMore: boolean }> {
  if (!can(actor, 'teacher.list')) throw new NotFoundError();
  const rows = await (await getDb())
    .select({
      id: teachers.id,
      name: teachers.name,
      idNumberMasked: teachers.idNumberMasked,
      unitName: units.name,
      status: teachers.personnelStatus,
      leftOn: sql<string | null>`(select max(${statusChanges.effectiveDate})::text from ${statusChanges} where ${statusChanges.teacherId} = ${teachers.id} and ${statusChanges.state} = 'effective')`,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(and(underUnit({ id: actor.unitId, path: actor.unitPath, tier: actor.unitTier }, { unitId: teachers.unitId, unitPath: teachers.unitPath }), like(teachers.personnelStatus, '3%'), options.before ? lt(teachers.id, options.before) : undefined))
    .orderBy(desc(teachers.id))
    .limit(pageSize + 1);
  return { hasMore: rows.length > pageSize, rows: rows.slice(0, pageSize).map((row) => ({ ...row, idNumberMasked: row.idNumberMasked ?? '', statusName: statusName(row.status) })) };
}

export interface PendingStatusChangeRow {
  id: number;
  teacherId: number;
  teacherName: string;
  unitName: string;
  fromName: string;
  toName: string;
  effectiveDate: string;
  reason: string;
  documentNumber: string | null;
  filedByName: string;
  filedAt: Date;
}

/** Departures waiting for this authority's confirmation: those its schools filed. */
export async function listPendingStatusChanges(actor: Actor): Promise<PendingStatusChangeRow[]> {
  if (!can(actor, 'status.confirm')) return [];
  const rows = await (await getDb())
    .select({
      id: statusChanges.id,
      teacherId: statusChanges.teacherId,
      teacherName: teachers.name,
      unitName: units.name,
      fromStatus: statusChanges.fromStatus,
      toStatus: statusChanges.toStatus,
      effectiveDate: statusChanges.effectiveDate,
      reason: statusChanges.reason,
      documentNumber: statusChanges.documentNumber,
      filedByName: statusChanges.filedByName,
      filedAt: statusChanges.filedAt,
    })
    .from(statusChanges)
    .innerJoin(teachers, eq(teachers.id, statusChanges.teacherId))
    .innerJoin(units, eq(units.id, statusChanges.unitId))
    .where(and(eq(statusChanges.state, 'pending'), competentAuthorityIsActor(actor, units.parentId), inJurisdiction(actor, statusChanges.unitPath)))
    .orderBy(asc(statusChanges.id))
    .limit(200);
  return rows.map(({ fromStatus, toStatus, ...row }) => ({ ...row, fromName: statusName(fromStatus), toName: statusName(toStatus) }));
}

export interface StatusPanel {
  statusCode: string | null;
  statusName: string;
  serving: boolean;
  retirementMonth: string | null;
  /** The statutory month, and whether a flexible month replaces it. */
  statutoryRetirementMonth: string;
  flexibleRetirement: boolean;
  pending: { id: number; toName: string; effectiveDate: string; filedByName: string; reason: string } | null;
  /** An open 交流轮岗: status changes wait until it ends. */
  rotation: { id: number; stateName: string; hostSchoolName: string; startMonth: string; plannedEndMonth: string } | null;
  /** The school may record a change now. */
  mayRecord: boolean;
  /** The school may send the teacher on a rotation now (at post, nothing open). */
  mayFileRotation: boolean;
  history: { id: number; fromName: string; toName: string; effectiveDate: string; state: string; reason: string; documentNumber: string | null; decisionComment: string | null }[];
}

/** The record page's 在职情况 panel: the status, what waits, the history and whether the actor may record a change. */
export async function getStatusPanel(actor: Actor, teacherId: number): Promise<StatusPanel> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const [[row], history, [rotation]] = await Promise.all([
    db.select({ status: teachers.personnelStatus, retirementMonth: teachers.retirementMonth, override: teachers.retirementOverride, birthDate: teachers.birthDate, gender: teachers.gender, postCategory: teachers.postCategory }).from(teachers).where(eq(teachers.id, teacher.id)),
    db.select().from(statusChanges).where(eq(statusChanges.teacherId, teacher.id)).orderBy(desc(statusChanges.id)).limit(20),
    db
      .select({ id: rotations.id, state: rotations.state, hostSchoolName: rotations.hostSchoolName, startMonth: rotations.startMonth, plannedEndMonth: rotations.plannedEndMonth })
      .from(rotations)
      .where(and(eq(rotations.teacherId, teacher.id), inArray(rotations.state, openRotationStates))),
  ]);
  const pending = history.find((change) => change.state === 'pending') ?? null;
  const mayRecord = teacher.recordState === 'effective' && !teacher.transferOpen && !rotation && !pending && isServing(row.status) && mayAct(actor, statusParties({ unitId: teacher.unitId, parentId: teacher.unitParentId }, 'school'));
  return {
    statusCode: row.status,
    statusName: statusName(row.status),
    serving: isServing(row.status),
    retirementMonth: row.retirementMonth?.slice(0, 7) ?? null,
    statutoryRetirementMonth: statutoryRetirement(row.birthDate.slice(0, 7), originalRetirementAge(row.gender, row.postCategory)).month,
    flexibleRetirement: row.override !== null,
    pending: pending ? { id: pending.id, toName: statusName(pending.toStatus), effectiveDate: pending.effectiveDate, filedByName: pending.filedByName, reason: pending.reason } : null,
    rotation: rotation ? { id: rotation.id, stateName: rotationStateNames[rotation.state], hostSchoolName: rotation.hostSchoolName, startMonth: rotation.startMonth, plannedEndMonth: rotation.plannedEndMonth } : null,
    mayRecord,
    mayFileRotation: mayRecord && statusGroupOf(row.status) === 'atPost' && can(actor, 'rotation.file'),
    history: history.map((change) => ({ id: change.id, fromName: statusName(change.fromStatus), toName: statusName(change.toStatus), effectiveDate: change.effectiveDate, state: change.state, reason: change.reason, documentNumber: change.documentNumber, decisionComment: change.decisionComment })),
  };
}


export interface MobilityTotals {
  /** Serving teachers whose retirement month falls in the next 12 months. */
  retiringWithinYear: number;
  /** Departures (3xx) that took effect this calendar year, by the status they left with. */
  leaversThisYear: { code: string; name: string; count: number }[];
}

/** The dashboard's figures of 在职情况 for the actor's jurisdiction. */
export async function getMobilityTotals(actor: Actor): Promise<MobilityTotals> {
  if (!can(actor, 'teacher.list')) throw new NotFoundError();
  const db = await getStatisticsDb();
  const window = retiringWindow(todayIso(), retiringWithinMonths);
  const yearStart = `${todayIso().slice(0, 4)}-01-01`;
  const [[retiring], leavers] = await Promise.all([
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(teachers)
      .where(and(inJurisdiction(actor, teachers.unitPath), serving, gte(teachers.retirementMonth, window.from), lt(teachers.retirementMonth, window.until))),
    db
      .select({ code: statusChanges.toStatus, count: sql<number>`count(*)::int` })
      .from(statusChanges)
      .where(and(eq(statusChanges.state, 'effective'), like(statusChanges.toStatus, '3%'), gte(statusChanges.effectiveDate, yearStart), inJurisdiction(actor, statusChanges.unitPath)))
      .groupBy(statusChanges.toStatus)
      .orderBy(statusChanges.toStatus),
  ]);
  return { retiringWithinYear: retiring.count, leaversThisYear: leavers.map((row) => ({ ...row, name: statusName(row.code) })) };
}
