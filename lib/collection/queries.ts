import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import {
  accounts,
  changeRequests,
  collectionDeadlines,
  recordAdditions,
  recordReviews,
  recordSupplements,
  teachers,
  teacherVersions,
  transfers,
  unitRollupParts,
  units,
  type FieldDiff,
  type StoredValue,
} from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { competentAuthorityIsActor, mayAct } from '@/lib/auth/relations';
import { collectionParties } from './chains';
import { openTransferStates, transferStateNames } from '@/lib/transfers/chain';
import { NotFoundError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { breakdownKeyOf, breakdownNames, stageNames, type Stage } from '@/lib/reference/school-types';
import { catalogueFor, getScopedTeacher } from '@/lib/teachers/service';
import { getJurisdictionTrail, rollupSums, rollupTotalsOf } from '@/lib/units/queries';
import type { EffectiveCatalogue } from '@/lib/indicators/settings';
import { describeDiff, describeValues, subsetLabelOf, type DescribedChange } from './describe';
import { percent, progressStatus, type ProgressSortKey, type ProgressStatus } from './schemas';
import { maskIdentityInDiff } from '@/lib/auth/personal-data';

export const reviewPageSize = 100;

export interface SchoolReviewRow {
  id: number;
  name: string;
  complete: boolean;
  returnReason: string | null;
  updatedAt: Date;
}

export interface StateCounts {
  teachers: number;
  complete: number;
  submitted: number;
  effective: number;
  returned: number;
}

/** The collection totals of a unit's subtree (every state), from the totals kept with each transition. */
export async function countsOf(unitId: number): Promise<StateCounts> {
  const db = await getDb();
  const totals = (await rollupTotalsOf(db, [unitId])).get(unitId)!;
  return { teachers: totals.teachers, complete: totals.recordsComplete, submitted: totals.recordsSubmitted, effective: totals.recordsEffective, returned: totals.recordsReturned };
}

export type SchoolReviewFilter = 'all' | 'complete' | 'incomplete' | 'returned';

/** The school head's list of drafts to check and report (审核上报), keyset pages by id. */
export async function listSchoolDrafts(actor: Actor, filter: SchoolReviewFilter, after?: number): Promise<{ counts: StateCounts; rows: SchoolReviewRow[]; hasMore: boolean }> {
  assertCan(actor, 'record.submit');
  const db = await getDb();
  const conditions = [eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft')];
  if (filter === 'complete') conditions.push(eq(teachers.complete, true));
  if (filter === 'incomplete') conditions.push(eq(teachers.complete, false));
  if (filter === 'returned') conditions.push(isNotNull(teachers.returnReason));
  if (after) conditions.push(gt(teachers.id, after));
  const rows = await db
    .select({ id: teachers.id, name: teachers.name, complete: teachers.complete, returnReason: teachers.returnReason, updatedAt: teachers.updatedAt })
    .from(teachers)
    .where(and(...conditions))
    .orderBy(asc(teachers.id))
    .limit(reviewPageSize + 1);
  return { counts: await countsOf(actor.unitId), rows: rows.slice(0, reviewPageSize), hasMore: rows.length > reviewPageSize };
}

export interface QueueRow {
  id: number;
  name: string;
  unitId: number;
  unitName: string;
  stageName: string;
  submittedAt: Date | null;
  submittedByName: string | null;
}

export interface QueueSchool {
  id: number;
  name: string;
  submitted: number;
}

/** Reported records waiting for this authority: those of the schools it is the competent authority for. */
export async function listReviewQueue(actor: Actor, filters: { schoolId?: number; stage?: string; after?: number }): Promise<{ schools: QueueSchool[]; rows: QueueRow[]; hasMore: boolean; total: number }> {
  assertCan(actor, 'record.review');
  const db = await getDb();
  const schools = await db
    .select({ id: units.id, name: units.name, submitted: rollupSums.recordsSubmitted })
    .from(units)
    .innerJoin(unitRollupParts, eq(unitRollupParts.unitId, units.id))
    .where(and(competentAuthorityIsActor(actor, units.parentId), eq(units.kind, 'school')))
    .groupBy(units.id, units.name, units.code)
    .having(gt(rollupSums.recordsSubmitted, 0))
    .orderBy(asc(units.code));
  // The page of ids first, from teachers alone (the partial index on reported records), for the schools the actor is the
  // competent authority of; names, schools and submitters are joined for those rows only.
  const ownSchools = db.select({ id: units.id }).from(units).where(and(competentAuthorityIsActor(actor, units.parentId), eq(units.kind, 'school')));
  const conditions = [inArray(teachers.unitId, ownSchools), eq(teachers.recordState, 'submitted'), inJurisdiction(actor, teachers.unitPath)];
  if (filters.schoolId) conditions.push(eq(teachers.unitId, filters.schoolId));
  if (filters.stage) conditions.push(eq(teachers.stage, filters.stage));
  if (filters.after) conditions.push(gt(teachers.id, filters.after));
  const page = await db.select({ id: teachers.id }).from(teachers).where(and(...conditions)).orderBy(asc(teachers.id)).limit(reviewPageSize + 1);
  const shown = page.slice(0, reviewPageSize).map((row) => row.id);
  const rows = shown.length
    ? await db
        .select({ id: teachers.id, name: teachers.name, unitId: teachers.unitId, unitName: units.name, stage: teachers.stage, schoolTypeCode: teachers.schoolTypeCode, submittedAt: teachers.submittedAt, submittedByName: accounts.displayName })
        .from(teachers)
        .innerJoin(units, eq(units.id, teachers.unitId))
        .leftJoin(accounts, eq(accounts.id, teachers.submittedBy))
        .where(inArray(teachers.id, shown))
        .orderBy(asc(teachers.id))
    : [];
  return {
    schools,
    total: schools.reduce((sum, school) => sum + school.submitted, 0),
    // 学段 as the teacher list names it: 中小学校 as 小学, 初中, 高中 or the spanning type.
    rows: rows.map(({ stage, schoolTypeCode, ...row }) => {
      const key = breakdownKeyOf(schoolTypeCode);
      return { ...row, stageName: key ? breakdownNames[key] : (stageNames[stage as Stage] ?? stage) };
    }),
    hasMore: page.length > reviewPageSize,
  };
}

export interface TimelineRow {
  id: number;
  action: string;
  comment: string | null;
  accountName: string;
  unitName: string;
  createdAt: Date;
}

export interface VersionRow {
  version: number;
  kind: string;
  approvedByName: string;
  approvedAt: Date;
  diff: FieldDiff[];
}

export interface AdditionRow {
  id: number;
  subset: string;
  values: Record<string, StoredValue>;
  state: 'pending_school' | 'pending_authority' | 'effective' | 'returned';
  returnReason: string | null;
  filedByName: string;
  filedAt: Date;
  schoolReviewedByName: string | null;
}

export interface ChangeRequestRow {
  id: number;
  subset: string;
  entryId: number | null;
  kind: string;
  diff: FieldDiff[];
  reason: string;
  state: 'pending_school' | 'pending' | 'approved' | 'rejected';
  filedByName: string;
  filedAt: Date;
  schoolReviewedByName: string | null;
  decidedByName: string | null;
  decisionComment: string | null;
}

export interface RecordWorkflowView {
  recordState: 'draft' | 'submitted' | 'effective';
  returnReason: string | null;
  returnedAt: Date | null;
  effectiveVersion: number;
  timeline: TimelineRow[];
  versions: VersionRow[];
  additions: AdditionRow[];
  changeRequests: ChangeRequestRow[];
  catalogue: EffectiveCatalogue;
  /** What this actor may do to the record now, for the buttons. */
  may: { submit: boolean; review: boolean; decideSchool: boolean; decideAuthority: boolean };
  /** The open transfer that makes the record read-only, if any. */
  openTransfer: { id: number; state: string } | null;
  /** 待补充: what the record's province requires and it lacks since it moved in. */
  supplements: { subsetLabel: string; fieldLabel: string | null; message: string }[];
}

/** The record's workflow: timeline, versions with diffs, pending additions and change requests. The teacher sees their own. */
export async function getRecordWorkflow(actor: Actor, teacherId: number): Promise<RecordWorkflowView> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const [meta] = await db
    .select({ returnReason: teachers.returnReason, returnedAt: teachers.returnedAt, effectiveVersion: teachers.effectiveVersion })
    .from(teachers)
    .where(eq(teachers.id, teacher.id));
  const [timeline, versions, additions, requests, catalogue] = await Promise.all([
    db.select({ id: recordReviews.id, action: recordReviews.action, comment: recordReviews.comment, accountName: recordReviews.accountName, unitName: recordReviews.unitName, createdAt: recordReviews.createdAt }).from(recordReviews).where(eq(recordReviews.teacherId, teacher.id)).orderBy(desc(recordReviews.id)).limit(200),
    db.select({ version: teacherVersions.version, kind: teacherVersions.kind, approvedByName: teacherVersions.approvedByName, approvedAt: teacherVersions.approvedAt, diff: teacherVersions.diff }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacher.id)).orderBy(desc(teacherVersions.version)),
    db
      .select({ id: recordAdditions.id, subset: recordAdditions.subset, values: recordAdditions.values, state: recordAdditions.state, returnReason: recordAdditions.returnReason, filedByName: recordAdditions.filedByName, filedAt: recordAdditions.filedAt, schoolReviewedByName: recordAdditions.schoolReviewedByName })
      .from(recordAdditions)
      .where(eq(recordAdditions.teacherId, teacher.id))
      .orderBy(desc(recordAdditions.id))
      .limit(50),
    db
      .select({ id: changeRequests.id, subset: changeRequests.subset, entryId: changeRequests.entryId, kind: changeRequests.kind, diff: changeRequests.diff, reason: changeRequests.reason, state: changeRequests.state, filedByName: changeRequests.filedByName, filedAt: changeRequests.filedAt, schoolReviewedByName: changeRequests.schoolReviewedByName, decidedByName: changeRequests.decidedByName, decisionComment: changeRequests.decisionComment })
      .from(changeRequests)
      .where(eq(changeRequests.teacherId, teacher.id))
      .orderBy(desc(changeRequests.id))
      .limit(50),
    catalogueFor(teacher, db),
  ]);
  const [[openTransfer], [supplement]] = await Promise.all([
    db.select({ id: transfers.id, state: transfers.state }).from(transfers).where(and(eq(transfers.teacherId, teacher.id), inArray(transfers.state, openTransferStates))).limit(1),
    db.select({ problems: recordSupplements.problems }).from(recordSupplements).where(eq(recordSupplements.teacherId, teacher.id)),
  ]);
  // The buttons ask the flow's own parties, as the services do.
  const subject = { unitId: teacher.unitId, parentId: teacher.unitParentId };
  const atSchool = collectionParties(subject, 'school');
  const atAuthority = collectionParties(subject, 'competentAuthority');
  const own = actor.role === 'teacher' && teacher.accountId === actor.accountId;
  return {
    recordState: teacher.recordState,
    returnReason: meta.returnReason,
    returnedAt: meta.returnedAt,
    effectiveVersion: meta.effectiveVersion,
    timeline,
    // The teacher sees their own number; everyone else, as in lists, a masked one.
    versions: own ? versions : versions.map((v) => ({ ...v, diff: maskIdentityInDiff(v.diff) })),
    additions,
    changeRequests: own ? requests : requests.map((r) => ({ ...r, diff: maskIdentityInDiff(r.diff) })),
    catalogue,
    may: {
      submit: mayAct(actor, atSchool) && teacher.recordState === 'draft',
      review: mayAct(actor, atAuthority) && teacher.recordState === 'submitted',
      decideSchool: mayAct(actor, atSchool),
      decideAuthority: mayAct(actor, atAuthority),
    },
    openTransfer: openTransfer ? { id: openTransfer.id, state: transferStateNames[openTransfer.state] } : null,
    supplements: (supplement?.problems ?? []).map(({ subsetLabel, fieldLabel, message }) => ({ subsetLabel, fieldLabel, message })),
  };
}

export interface PendingAdditionRow extends AdditionRow {
  teacherId: number;
  teacherName: string;
  unitName: string;
  subsetLabel: string;
  described: { label: string; text: string }[];
}

export interface PendingChangeRow extends ChangeRequestRow {
  teacherId: number;
  teacherName: string;
  unitName: string;
  subsetLabel: string;
  described: DescribedChange[];
}

/** Catalogues by province and stage, read once per request for a list of records. */
function catalogueCache() {
  const cache = new Map<string, Promise<EffectiveCatalogue>>();
  return (teacher: { provinceUnitId: number | null; stage: string }) => {
    const key = `${teacher.provinceUnitId}:${teacher.stage}`;
    let catalogue = cache.get(key);
    if (!catalogue) cache.set(key, (catalogue = catalogueFor({ provinceUnitId: teacher.provinceUnitId, stage: teacher.stage as Stage })));
    return catalogue;
  };
}

/**
 * New information and change requests waiting for this actor: the school head sees its school's new
 * information and its teachers' change requests; the competent authority sees what its schools' heads
 * passed up and the schools' change requests.
 */
export async function listPendingChanges(actor: Actor): Promise<{ additions: PendingAdditionRow[]; changeRequests: PendingChangeRow[] }> {
  const db = await getDb();
  const catalogueOf = catalogueCache();
  const additionSelect = {
    provinceUnitId: teachers.provinceUnitId,
    stage: teachers.stage,
    id: recordAdditions.id,
    teacherId: recordAdditions.teacherId,
    teacherName: teachers.name,
    unitName: units.name,
    subset: recordAdditions.subset,
    values: recordAdditions.values,
    state: recordAdditions.state,
    returnReason: recordAdditions.returnReason,
    filedByName: recordAdditions.filedByName,
    filedAt: recordAdditions.filedAt,
    schoolReviewedByName: recordAdditions.schoolReviewedByName,
  };
  const changeSelect = {
    provinceUnitId: teachers.provinceUnitId,
    stage: teachers.stage,
    id: changeRequests.id,
    teacherId: changeRequests.teacherId,
    teacherName: teachers.name,
    unitName: units.name,
    subset: changeRequests.subset,
    entryId: changeRequests.entryId,
    kind: changeRequests.kind,
    diff: changeRequests.diff,
    reason: changeRequests.reason,
    state: changeRequests.state,
    filedByName: changeRequests.filedByName,
    filedAt: changeRequests.filedAt,
    schoolReviewedByName: changeRequests.schoolReviewedByName,
    decidedByName: changeRequests.decidedByName,
    decisionComment: changeRequests.decisionComment,
    
  };
  type AdditionSelected = Omit<PendingAdditionRow, 'subsetLabel' | 'described'> & { provinceUnitId: number | null; stage: string };
  type ChangeSelected = Omit<PendingChangeRow, 'subsetLabel' | 'described'> & { provinceUnitId: number | null; stage: string };
  let additions: AdditionSelected[] = [];
  let requests: ChangeSelected[] = [];
  if (can(actor, 'record.submit')) {
    additions = await db
      .select(additionSelect)
      .from(recordAdditions)
      .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
      .innerJoin(units, eq(units.id, recordAdditions.unitId))
      .where(and(eq(recordAdditions.unitId, actor.unitId), eq(recordAdditions.state, 'pending_school')))
      .orderBy(asc(recordAdditions.id))
      .limit(200);
    requests = await db
      .select(changeSelect)
      .from(changeRequests)
      .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
      .innerJoin(units, eq(units.id, changeRequests.unitId))
      .where(and(eq(changeRequests.unitId, actor.unitId), eq(changeRequests.state, 'pending_school')))
      .orderBy(asc(changeRequests.id))
      .limit(200);
  }
  if (can(actor, 'record.review')) {
    additions = await db
      .select(additionSelect)
      .from(recordAdditions)
      .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
      .innerJoin(units, eq(units.id, recordAdditions.unitId))
      .where(and(competentAuthorityIsActor(actor, units.parentId), eq(recordAdditions.state, 'pending_authority'), inJurisdiction(actor, recordAdditions.unitPath)))
      .orderBy(asc(recordAdditions.id))
      .limit(200);
    requests = await db
      .select(changeSelect)
      .from(changeRequests)
      .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
      .innerJoin(units, eq(units.id, changeRequests.unitId))
      .where(and(competentAuthorityIsActor(actor, units.parentId), eq(changeRequests.state, 'pending'), inJurisdiction(actor, changeRequests.unitPath)))
      .orderBy(asc(changeRequests.id))
      .limit(200);
  }
  return {
    additions: await Promise.all(
      additions.map(async ({ provinceUnitId, stage, ...row }) => {
        const catalogue = await catalogueOf({ provinceUnitId, stage });
        return { ...row, subsetLabel: subsetLabelOf(catalogue, row.subset), described: describeValues(catalogue, row.subset, row.values) };
      }),
    ),
    changeRequests: await Promise.all(
      requests.map(async ({ provinceUnitId, stage, ...row }) => {
        const catalogue = await catalogueOf({ provinceUnitId, stage });
        const diff = maskIdentityInDiff(row.diff);
        return { ...row, diff, subsetLabel: subsetLabelOf(catalogue, row.subset), described: describeDiff(catalogue, diff) };
      }),
    ),
  };
}

export interface DeadlineInfo {
  /** The deadline this unit set for the units below it. */
  own: string | null;
  /** The earliest deadline set above this unit: the latest date this unit may choose, and the one it must meet. */
  inherited: { deadline: string; unitName: string } | null;
}

export async function getDeadlineInfo(actor: Actor, unitPath = actor.unitPath): Promise<DeadlineInfo> {
  const db = await getDb();
  const ids = unitPath.split('.').map(Number);
  const rows = await db
    .select({ unitId: collectionDeadlines.unitId, deadline: collectionDeadlines.deadline, unitName: units.name })
    .from(collectionDeadlines)
    .innerJoin(units, eq(units.id, collectionDeadlines.unitId))
    .where(inArray(collectionDeadlines.unitId, ids))
    .orderBy(asc(collectionDeadlines.deadline));
  const selfId = ids[ids.length - 1];
  const above = rows.filter((row) => row.unitId !== selfId);
  return { own: rows.find((row) => row.unitId === selfId)?.deadline ?? null, inherited: above[0] ? { deadline: above[0].deadline, unitName: above[0].unitName } : null };
}

export interface ProgressRow {
  unitId: number;
  code: string;
  name: string;
  kind: 'authority' | 'school' | 'institution';
  teachers: number;
  complete: number;
  submitted: number;
  effective: number;
  returned: number;
  /** Reported at least once: waiting for review or effective. */
  reported: number;
  completePct: number;
  reportedPct: number;
  effectivePct: number;
  /** The deadline the unit must meet (the earliest set above it); null when none is set. */
  deadline: string | null;
  daysLeft: number | null;
  status: ProgressStatus;
}

export interface ProgressView {
  unit: { id: number; name: string; path: string; kind: string };
  trail: { id: number; name: string }[];
  total: ProgressRow;
  rows: ProgressRow[];
  deadline: DeadlineInfo;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const statusOrder: Record<ProgressStatus, number> = { late: 0, at_risk: 1, on_track: 2, no_data: 3, done: 4 };

/**
 * Seed 六(四) progress: one row per direct subordinate unit, from the subtree totals kept in step with
 * every transition, so the ministry's page reads 31 rows however many teachers there are.
 */
export async function getProgress(actor: Actor, options: { unitId?: number; sort?: ProgressSortKey; dir?: 'asc' | 'desc'; today?: string }): Promise<ProgressView> {
  assertCan(actor, 'progress.view');
  const db = await getDb();
  const today = options.today ?? todayIso();
  const [unit] = await db
    .select({ id: units.id, name: units.name, path: units.path, kind: units.kind })
    .from(units)
    .where(and(eq(units.id, options.unitId ?? actor.unitId), inJurisdiction(actor, units.path)));
  if (!unit || unit.kind !== 'authority') throw new NotFoundError('单位不存在或不在您的管辖范围内');
  const [deadline, trail, childRows, totalRow] = await Promise.all([
    getDeadlineInfo(actor, unit.path),
    getJurisdictionTrail(actor, unit.path),
    db
      .select({
        unitId: units.id,
        code: units.code,
        name: units.name,
        kind: units.kind,
        teachers: rollupSums.teachers,
        complete: rollupSums.recordsComplete,
        submitted: rollupSums.recordsSubmitted,
        effective: rollupSums.recordsEffective,
        returned: rollupSums.recordsReturned,
      })
      .from(units)
      .leftJoin(unitRollupParts, eq(unitRollupParts.unitId, units.id))
      .where(and(eq(units.parentId, unit.id), sql`${units.kind} <> 'institution'`, eq(units.status, 'active')))
      .groupBy(units.id, units.code, units.name, units.kind),
    countsOf(unit.id),
  ]);
  // Every direct subordinate answers to the earliest deadline on the path down to it: this unit's own or one above.
  const dates = [deadline.own, deadline.inherited?.deadline].filter((d): d is string => Boolean(d)).sort();
  const due = dates[0] ?? null;
  const toRow = (row: Omit<ProgressRow, 'reported' | 'completePct' | 'reportedPct' | 'effectivePct' | 'deadline' | 'daysLeft' | 'status'>, rowDeadline: string | null): ProgressRow => {
    const reported = Number(row.submitted) + Number(row.effective);
    const daysLeft = rowDeadline ? daysBetween(today, rowDeadline) : null;
    const teachersCount = Number(row.teachers);
    return {
      ...row,
      teachers: teachersCount,
      complete: Number(row.complete),
      submitted: Number(row.submitted),
      effective: Number(row.effective),
      returned: Number(row.returned),
      reported,
      completePct: percent(Number(row.complete), teachersCount),
      reportedPct: percent(reported, teachersCount),
      effectivePct: percent(Number(row.effective), teachersCount),
      deadline: rowDeadline,
      daysLeft,
      status: progressStatus({ teachers: teachersCount, reported, effective: Number(row.effective), daysLeft }),
    };
  };
  const rows = childRows.map((row) => toRow(row, due));
  const sort = options.sort ?? 'status';
  const sign = options.dir === 'desc' ? -1 : 1;
  const keyOf = (row: ProgressRow): number | string => {
    switch (sort) {
      case 'name':
        return row.code;
      case 'teachers':
        return row.teachers;
      case 'complete':
        return row.completePct;
      case 'submitted':
        return row.reportedPct;
      case 'effective':
        return row.effectivePct;
      case 'returned':
        return row.returned;
      case 'status':
        return statusOrder[row.status] * 1000 + row.effectivePct;
    }
  };
  rows.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.code.localeCompare(b.code)) * sign;
  });
  const upper = deadline.inherited?.deadline ?? null;
  return {
    unit,
    trail,
    total: toRow({ unitId: unit.id, code: '', name: '合计', kind: 'authority', ...totalRow }, upper),
    rows,
    deadline,
  };
}
