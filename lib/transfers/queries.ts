import 'server-only';
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb } from '@/lib/db';
import { caseEvents, teachers, transferAttachments, transferCountParts, transfers, type TransferState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { caseVisibleTo } from '@/lib/auth/relations';
import { inJurisdiction, pathInJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { codeTables } from '@/lib/indicators/code-tables';
import { availableActions, type ResolvedAction } from '@/lib/workflow/chain';
import { openTransferStates, overdueDays, routeOf, transferChain, transferParties, type TransferAction, type TransferParty } from './chain';
import type { TransferListRow, TransferView } from './schemas';

const pageSize = 50;
const daysWaiting = sql<number>`floor(extract(epoch from (now() - ${transfers.stateSince})) / 86400)::int`;
const isOpen = inArray(transfers.state, openTransferStates);

export interface TransferFilters {
  view: TransferView;
  state?: TransferState | 'open' | 'overdue';
  filedFrom?: string;
  filedTo?: string;
  /** Keyset: rows with a smaller id than this. */
  before?: number;
}

function viewCondition(actor: Actor, view: TransferView): SQL | undefined {
  if (view === 'waiting') return eq(transfers.waitingUnitId, actor.unitId);
  if (view === 'incoming') return inJurisdiction(actor, transfers.receivingSchoolPath);
  if (view === 'outgoing') return inJurisdiction(actor, transfers.sendingSchoolPath);
  return undefined;
}

/**
 * 调动管理: the transfers whose parties lie in the actor's jurisdiction, newest first, paged by id.
 * 待我处理 reads the waiting-unit index; the other views the two path indexes.
 */
export async function listTransfers(actor: Actor, filters: TransferFilters): Promise<{ rows: TransferListRow[]; hasMore: boolean }> {
  if (!can(actor, 'transfer.view')) throw new NotFoundError();
  const conditions: (SQL | undefined)[] = [caseVisibleTo(actor, [transfers.sendingSchoolPath, transfers.receivingSchoolPath]), viewCondition(actor, filters.view)];
  if (filters.state === 'open') conditions.push(isOpen);
  else if (filters.state === 'overdue') conditions.push(isOpen, lt(transfers.stateSince, sql`now() - make_interval(days => ${overdueDays})`));
  else if (filters.state) conditions.push(eq(transfers.state, filters.state));
  if (filters.filedFrom) conditions.push(gte(transfers.filedAt, sql`${filters.filedFrom}::date`));
  if (filters.filedTo) conditions.push(lt(transfers.filedAt, sql`${filters.filedTo}::date + 1`));
  if (filters.before) conditions.push(lt(transfers.id, filters.before));
  const rows = await (await getDb())
    .select({
      id: transfers.id,
      kind: transfers.kind,
      state: transfers.state,
      teacherName: transfers.teacherName,
      teacherIdMasked: transfers.teacherIdMasked,
      sendingSchoolName: transfers.sendingSchoolName,
      receivingSchoolName: transfers.receivingSchoolName,
      crossProvince: transfers.crossProvince,
      filedAt: transfers.filedAt,
      stateSince: transfers.stateSince,
      waitingUnitId: transfers.waitingUnitId,
      daysWaiting,
    })
    .from(transfers)
    .where(and(...conditions))
    .orderBy(desc(transfers.id))
    .limit(pageSize + 1);
  return {
    hasMore: rows.length > pageSize,
    rows: rows.slice(0, pageSize).map(({ waitingUnitId, ...row }) => {
      const open = openTransferStates.includes(row.state);
      return { ...row, daysWaiting: open ? row.daysWaiting : 0, overdue: open && row.daysWaiting >= overdueDays, mine: waitingUnitId === actor.unitId };
    }),
  };
}

export interface TransferEvent {
  id: number;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string | null;
  detail: Record<string, string> | null;
  accountName: string;
  unitName: string;
  createdAt: Date;
}

export interface TransferDetail {
  id: number;
  kind: 'transfer' | 'rotation' | 'rehire';
  state: TransferState;
  teacherId: number;
  teacherName: string;
  teacherIdMasked: string;
  teacherGender: string;
  /** Further core information, once the sending side has agreed (or for the sending side's own staff). */
  teacherSummary: { label: string; value: string }[] | null;
  /** The record page, when the teacher is inside the actor's jurisdiction. */
  recordHref: string | null;
  sendingSchoolName: string;
  receivingSchoolName: string;
  crossProvince: boolean;
  reason: string;
  postCategoryName: string;
  postTitle: string | null;
  plannedArrivalMonth: string;
  leavingMonth: string | null;
  arrivalMonth: string | null;
  rejectionReason: string | null;
  filedByName: string;
  filedAt: Date;
  stateSince: Date;
  closedAt: Date | null;
  daysWaiting: number;
  overdue: boolean;
  route: TransferState[];
  attachment: { fileName: string; byteSize: number } | null;
  events: TransferEvent[];
  actions: ResolvedAction<TransferState, TransferParty, TransferAction>[];
}

/** States after which the sending school has agreed: the receiving side may see more than the core four. */
const agreedStates: TransferState[] = ['sending_agreed', 'sending_province', 'awaiting_file', 'completed'];

function codeName(table: keyof typeof codeTables, code: unknown): string {
  if (typeof code !== 'string' || !code) return '';
  return codeTables[table].find((item) => item.code === code)?.name ?? code;
}

export async function getTransfer(actor: Actor, transferId: number): Promise<TransferDetail> {
  if (!can(actor, 'transfer.view')) throw new NotFoundError();
  const db = await getDb();
  const [row] = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.id, transferId), caseVisibleTo(actor, [transfers.sendingSchoolPath, transfers.receivingSchoolPath])));
  if (!row) throw new NotFoundError('该调动不存在或不在您的管辖范围内');
  const [events, [attachment], [teacher]] = await Promise.all([
    db
      .select({ id: caseEvents.id, action: caseEvents.action, fromState: caseEvents.fromState, toState: caseEvents.toState, reason: caseEvents.reason, detail: caseEvents.detail, accountName: caseEvents.accountName, unitName: caseEvents.unitName, createdAt: caseEvents.createdAt })
      .from(caseEvents)
      .where(and(eq(caseEvents.flow, 'transfer'), eq(caseEvents.caseId, row.id)))
      .orderBy(asc(caseEvents.id)),
    db.select({ fileName: transferAttachments.fileName, byteSize: transferAttachments.byteSize }).from(transferAttachments).where(eq(transferAttachments.transferId, row.id)),
    db.select({ unitPath: teachers.unitPath, record: teachers.record, highestEducation: teachers.highestEducation, titleLevel: teachers.titleLevel }).from(teachers).where(eq(teachers.id, row.teacherId)),
  ]);
  const open = openTransferStates.includes(row.state);
  // The sending side knows its teacher while the case is open; the receiving side once the sending school agreed.
  const seesMore = (open && pathInJurisdiction(actor, row.sendingSchoolPath)) || (pathInJurisdiction(actor, row.receivingSchoolPath) && agreedStates.includes(row.state));
  const basic = teacher?.record.basic ?? {};
  const teacherSummary = seesMore && teacher
    ? [
        { label: '出生日期', value: String(basic.birthDate ?? '') },
        { label: '民族', value: codeName('ethnicGroup', basic.ethnicGroup) },
        { label: '参加工作年月', value: String(basic.workStartDate ?? '') },
        { label: '进本校年月', value: String(basic.joinSchoolDate ?? '') },
        { label: '岗位类别', value: codeName('postCategory', basic.postCategory) },
        { label: '最高学历', value: codeName('educationLevel', teacher.highestEducation) },
        { label: '专业技术职务', value: codeName('teacherTitle', teacher.titleLevel) },
      ].filter((item) => item.value)
    : null;
  const waited = Math.floor((Date.now() - row.stateSince.getTime()) / 86_400_000);
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    teacherId: row.teacherId,
    teacherName: row.teacherName,
    teacherIdMasked: row.teacherIdMasked,
    teacherGender: codeName('gender', row.teacherGender),
    teacherSummary,
    recordHref: teacher && pathInJurisdiction(actor, teacher.unitPath) ? `/teachers/${row.teacherId}` : null,
    sendingSchoolName: row.sendingSchoolName,
    receivingSchoolName: row.receivingSchoolName,
    crossProvince: row.crossProvince,
    reason: row.reason,
    postCategoryName: codeName('postCategory', row.postCategory),
    postTitle: row.postTitle,
    plannedArrivalMonth: row.plannedArrivalMonth,
    leavingMonth: row.leavingMonth,
    arrivalMonth: row.arrivalMonth,
    rejectionReason: row.rejectionReason,
    filedByName: row.filedByName,
    filedAt: row.filedAt,
    stateSince: row.stateSince,
    closedAt: row.closedAt,
    daysWaiting: open ? waited : 0,
    overdue: open && waited >= overdueDays,
    route: routeOf(row),
    attachment: attachment ?? null,
    events,
    actions: availableActions(actor, transferChain, transferParties, row, row.state),
  };
}

export interface TeacherTransferProgress {
  id: number;
  state: TransferState;
  sendingSchoolName: string;
  receivingSchoolName: string;
  route: TransferState[];
  filedAt: Date;
  stateSince: Date;
  rejectionReason: string | null;
  stoppedAt: string | null;
  events: { label: string; unitName: string; createdAt: Date }[];
}

const teacherEventNames: Record<string, string> = { file: '调入学校提交申请', confirm: '确认', agree: '调出学校同意', reject: '不同意', withdraw: '撤回申请', receive: '调档，调动完成' };

/** The teacher's own transfers (/me): the open one and those closed in the last year. */
export async function listOwnTransfers(actor: Actor): Promise<TeacherTransferProgress[]> {
  if (actor.role !== 'teacher') return [];
  const db = await getDb();
  const rows = await db
    .select()
    .from(transfers)
    .innerJoin(teachers, eq(teachers.id, transfers.teacherId))
    .where(and(eq(teachers.accountId, actor.accountId), sql`(${isOpen} or ${transfers.closedAt} > now() - interval '1 year')`))
    .orderBy(desc(transfers.id))
    .limit(5);
  const ids = rows.map((row) => row.transfers.id);
  const events = ids.length
    ? await db.select({ caseId: caseEvents.caseId, action: caseEvents.action, fromState: caseEvents.fromState, toState: caseEvents.toState, unitName: caseEvents.unitName, createdAt: caseEvents.createdAt }).from(caseEvents).where(and(eq(caseEvents.flow, 'transfer'), inArray(caseEvents.caseId, ids))).orderBy(asc(caseEvents.id))
    : [];
  return rows.map(({ transfers: row }) => ({
    id: row.id,
    state: row.state,
    sendingSchoolName: row.sendingSchoolName,
    receivingSchoolName: row.receivingSchoolName,
    route: routeOf(row),
    filedAt: row.filedAt,
    stateSince: row.stateSince,
    rejectionReason: row.rejectionReason,
    stoppedAt: events.findLast((event) => event.caseId === row.id && (event.toState === 'rejected' || event.toState === 'withdrawn'))?.fromState ?? null,
    // The teacher sees which unit decided and when, not the staff's names.
    events: events.filter((event) => event.caseId === row.id).map((event) => ({ label: teacherEventNames[event.action] ?? event.action, unitName: event.unitName, createdAt: event.createdAt })),
  }));
}

export interface TransferYearTotals {
  /** Completed this year into the jurisdiction from outside it. */
  incoming: number;
  outgoing: number;
  /** Completed this year between two units inside the jurisdiction. */
  internal: number;
  open: number;
  overdue: number;
}

/** The day in China's time zone: the transfer counts are kept by it. */
const todayInChina = sql`(now() at time zone 'Asia/Shanghai')::date`;

/**
 * The dashboard's transfer figures for the actor's jurisdiction, this calendar year, from the counts kept per unit
 * (migration 0032): the same cost for a school and for the nation. 超期 is the list's rule (the step began more than
 * `overdueDays` ago): the days before the limit's day from the counts, the limit's day itself from `transfers`.
 */
export async function getTransferYearTotals(actor: Actor): Promise<TransferYearTotals> {
  if (!can(actor, 'transfer.view')) throw new NotFoundError();
  const totals: TransferYearTotals = { incoming: 0, outgoing: 0, internal: 0, open: 0, overdue: 0 };
  // The same visibility as the lists (caseVisibleTo): the unit's subtree holds either school.
  if (!can(actor, 'unit.browse')) return totals;
  const db = await getStatisticsDb();
  const limitDay = sql`(${todayInChina} - ${overdueDays}::int)`;
  const rows = await db
    .select({
      measure: transferCountParts.measure,
      beforeLimitDay: sql<boolean>`${transferCountParts.day} < ${limitDay}`,
      n: sql<number>`sum(${transferCountParts.n})::int`,
    })
    .from(transferCountParts)
    .where(
      and(
        eq(transferCountParts.unitId, actor.unitId),
        or(
          inArray(transferCountParts.measure, openTransferStates.map((state) => `state:${state}`)),
          and(inArray(transferCountParts.measure, ['incoming', 'outgoing', 'internal']), gte(transferCountParts.day, sql`date_trunc('year', ${todayInChina})::date`)),
        ),
      ),
    )
    .groupBy(sql`1, 2`);
  // Steps begun on the limit's day (China's time) are overdue once their exact time is more than `overdueDays` ago.
  const [boundary] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(transfers)
    .where(
      and(
        isNotNull(transfers.waitingUnitId),
        isOpen,
        sql`${transfers.stateSince} >= ${limitDay}::timestamp at time zone 'Asia/Shanghai'`,
        lt(transfers.stateSince, sql`now() - make_interval(days => ${overdueDays})`),
        caseVisibleTo(actor, [transfers.sendingSchoolPath, transfers.receivingSchoolPath]),
      ),
    );
  totals.overdue = boundary.n;
  for (const row of rows) {
    if (row.measure === 'incoming' || row.measure === 'outgoing' || row.measure === 'internal') totals[row.measure] += row.n;
    else {
      totals.open += row.n;
      if (row.beforeLimitDay) totals.overdue += row.n;
    }
  }
  return totals;
}


