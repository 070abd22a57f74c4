import 'server-only';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { getDb, getStatisticsDb } from '@/lib/db';
import { queryRunHits, queryRuns, teachers } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { isUuid } from '@/lib/http/params';
import { aggregatePlanOf } from '@/lib/statistics/query-aggregates';
import { parseConditions } from '@/lib/statistics/query-builder';
import { countFromAggregates, statUnit } from '@/lib/statistics/queries';
import type { StatFilters } from '@/lib/statistics/schemas';
import { countTeachers, isColumnCondition, listTeachers, teacherListPage, teacherPageSize, type TeacherListFilters, type TeacherListRow } from '@/lib/teachers/queries';
import { paramsKeyOf, type CombinedQueryRequest, type CountSource, type QueryRunView } from './schemas';

/** A jurisdiction this small (QUERY_DIRECT_LIMIT teachers, 10,000 by default) is counted and listed directly: about 25 ms whatever the conditions. */
export function directQueryLimit(): number {
  const limit = Number(process.env.QUERY_DIRECT_LIMIT ?? 10_000);
  return Number.isFinite(limit) && limit >= 0 ? limit : 10_000;
}
/**
 * The first page of a list is read newest first until 51 teachers match, so a rare condition reads many rows: above the
 * direct limit the list is read directly only for conditions on columns, and while at least one teacher in this many
 * matches. A condition in the record's jsonb costs a few microseconds a row (73 ms for a 32,000-teacher province at 1 M):
 * its list comes from a run.
 */
const liveListSparsity = 500;
/** Hours a run's result is kept and offered again for the same request. */
export const queryRunRetentionHours = 24;

/** The request's teacher filters: the unit, the record scope (正式数据 = effective records) and the conditions. */
export function teacherFiltersOf(request: CombinedQueryRequest): TeacherListFilters {
  return { unitId: request.unitId, state: request.scope === 'official' ? 'effective' : undefined, conditions: request.conditions };
}

export interface CombinedQueryPlan {
  /** The unit whose jurisdiction is searched (checked to be within the actor's). */
  unitId: number;
  source: CountSource;
  /** Known now (aggregate, direct); a run's count is in the run. */
  count: number | null;
  /** Whether the page reads the list directly; otherwise it comes from a run. */
  listLive: boolean;
}

/**
 * How a combined query is answered, decided before any teacher row is read: from the pre-counted rows when a dimension
 * answers the conditions (and the list directly while matches are not rare), directly in a small jurisdiction, else by a
 * run in the background. A unit out of the actor's reach is not found.
 */
export async function planCombinedQuery(actor: Actor, request: CombinedQueryRequest): Promise<CombinedQueryPlan> {
  assertCan(actor, 'teacher.list');
  const unit = await statUnit(actor, request.unitId);
  if (unit.kind === 'school') return { unitId: unit.id, source: 'direct', count: await countTeachers(actor, teacherFiltersOf(request)), listLive: true };
  const statFilters: StatFilters = { unitId: unit.id, scope: request.scope, staff: 'serving' };
  const plan = aggregatePlanOf(request.conditions);
  const [total, count] = await Promise.all([countFromAggregates(unit, statFilters, { dim: 'total', buckets: null }), plan ? countFromAggregates(unit, statFilters, plan) : null]);
  const small = total <= directQueryLimit();
  if (count !== null) return { unitId: unit.id, source: 'aggregate', count, listLive: small || count === 0 || (request.conditions.every(isColumnCondition) && count * liveListSparsity >= total) };
  if (small) return { unitId: unit.id, source: 'direct', count: await countTeachers(actor, teacherFiltersOf(request)), listLive: true };
  return { unitId: unit.id, source: 'run', count: null, listLive: false };
}

/** A page of the matches read directly (the plan's `listLive`), from where statistics are read. */
export async function listQueryMatches(actor: Actor, request: CombinedQueryRequest, after?: number): Promise<{ rows: TeacherListRow[]; hasMore: boolean }> {
  return listTeachers(actor, { ...teacherFiltersOf(request), after }, await getStatisticsDb());
}

const runColumns = {
  id: queryRuns.id,
  status: queryRuns.status,
  params: queryRuns.params,
  done: queryRuns.done,
  total: queryRuns.total,
  matched: queryRuns.matched,
  message: queryRuns.message,
  createdAt: queryRuns.createdAt,
  finishedAt: queryRuns.finishedAt,
};

function toView({ params, ...row }: { params: Record<string, unknown> } & Omit<QueryRunView, 'request'>): QueryRunView {
  return { ...row, request: requestOfParams(params) };
}

/** A stored request, read back through the same checks as the URL's. */
export function requestOfParams(params: Record<string, unknown>): CombinedQueryRequest {
  const cond = Array.isArray(params.cond) ? params.cond.filter((c): c is string => typeof c === 'string') : [];
  return { unitId: typeof params.unitId === 'number' ? params.unitId : undefined, scope: params.scope === 'all' ? 'all' : 'official', conditions: parseConditions(cond) };
}

/** An account sees only its own runs. */
export async function getQueryRun(actor: Actor, runId: string): Promise<QueryRunView> {
  assertCan(actor, 'teacher.list');
  if (!isUuid(runId)) throw new NotFoundError('查询结果不存在或已过期');
  const db = await getDb();
  const [row] = await db
    .select(runColumns)
    .from(queryRuns)
    .where(and(eq(queryRuns.id, runId), eq(queryRuns.accountId, actor.accountId), sql`${queryRuns.createdAt} > now() - make_interval(hours => ${queryRunRetentionHours})`));
  if (!row) throw new NotFoundError('查询结果不存在或已过期');
  return toView(row);
}

/** The account's latest run of this request within the retention time, if any: the page offers it again. */
export async function latestQueryRun(actor: Actor, request: CombinedQueryRequest): Promise<QueryRunView | null> {
  assertCan(actor, 'teacher.list');
  const db = await getDb();
  const [row] = await db
    .select(runColumns)
    .from(queryRuns)
    .where(and(eq(queryRuns.accountId, actor.accountId), eq(queryRuns.paramsKey, paramsKeyOf(request)), sql`${queryRuns.createdAt} > now() - make_interval(hours => ${queryRunRetentionHours})`))
    .orderBy(desc(queryRuns.createdAt))
    .limit(1);
  return row ? toView(row) : null;
}

/**
 * A page of a finished run's teachers, newest first, as they are now: a teacher who has left the actor's jurisdiction
 * since is not shown.
 */
export async function queryRunPage(actor: Actor, runId: string, after?: number): Promise<{ rows: TeacherListRow[]; hasMore: boolean; nextAfter?: number }> {
  const run = await getQueryRun(actor, runId);
  if (run.status !== 'done') return { rows: [], hasMore: false };
  const db = await getDb();
  const ids = await db
    .select({ id: queryRunHits.teacherId })
    .from(queryRunHits)
    .where(and(eq(queryRunHits.runId, run.id), after ? lt(queryRunHits.teacherId, after) : undefined))
    .orderBy(desc(queryRunHits.teacherId))
    .limit(teacherPageSize + 1);
  return teacherListPage(db, ids.map((row) => row.id), inJurisdiction(actor, teachers.unitPath));
}
