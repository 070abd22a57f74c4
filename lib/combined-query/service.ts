import 'server-only';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb, rowsOf, type Executor } from '@/lib/db';
import { queryRunHits, queryRuns, units } from '@/lib/db/schema';
import { jobQueues, queueOptions, resendJobs, transactionWithJob, type QueuedJob } from '@/lib/db/job-queue';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { loadSessionAccount } from '@/lib/auth/queries';
import { recordAudit } from '@/lib/audit/service';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { logUnexpected } from '@/lib/log';
import { describeCondition, parseConditions } from '@/lib/statistics/query-builder';
import { countFromAggregates, statUnit } from '@/lib/statistics/queries';
import { teacherFilterConditions } from '@/lib/teachers/queries';
import { latestQueryRun, planCombinedQuery, queryRunRetentionHours, requestOfParams, teacherFiltersOf } from './queries';
import { paramsKeyOf, type CombinedQueryInput, type CombinedQueryRequest } from './schemas';

const maxAttempts = queueOptions.retryLimit + 1;

function runQueueJob(runId: string): QueuedJob {
  return { name: jobQueues.combinedQuery, id: runId, data: { jobId: runId } };
}

/** The request behind an action's input: its conditions through the same checks as the URL's, or a clear refusal. */
export function requestOfInput(input: CombinedQueryInput): CombinedQueryRequest {
  const conditions = parseConditions(input.cond);
  if (conditions.length !== input.cond.length) throw new ValidationError('有条件无法识别，请检查指标和取值', { cond: ['有条件无法识别，请检查指标和取值'] });
  return { unitId: input.unitId, scope: input.scope, conditions };
}

/**
 * 查询 on the combined query page. Answered now when the statistics or a small jurisdiction allow it (runId null: the page
 * reads it); otherwise queued as a run in the background, one transaction with its audit row. A run of the same request
 * still under way, or one finished within the retention time, is answered instead of a new one unless `rerun` asks for it.
 */
export async function startCombinedQuery(actor: Actor, input: CombinedQueryInput): Promise<{ runId: string | null }> {
  assertCan(actor, 'teacher.list');
  const request = requestOfInput(input);
  const plan = await planCombinedQuery(actor, request);
  if (plan.listLive) return { runId: null };
  // The latest run of the same request: still under way, or finished and kept (unless 重新查询 asks for a new one).
  const latest = await latestQueryRun(actor, request);
  if (latest && (latest.status === 'queued' || latest.status === 'running' || (latest.status === 'done' && !input.rerun))) return { runId: latest.id };
  const paramsKey = paramsKeyOf(request);
  return transactionWithJob(async (tx) => {
    const [run] = await tx
      .insert(queryRuns)
      .values({ accountId: actor.accountId, unitId: plan.unitId, paramsKey, params: { unitId: request.unitId, scope: request.scope, cond: input.cond } })
      .returning({ id: queryRuns.id });
    await recordAudit(tx, actor, {
      action: 'statistics.query.run',
      targetType: 'unit',
      targetId: plan.unitId,
      detail: { run: run.id, scope: request.scope, conditions: request.conditions.map(describeCondition) },
    });
    return { result: { runId: run.id }, job: runQueueJob(run.id) };
  });
}

/** Queues again every run not finished (start-up): a no-op for those the queue holds already. */
export async function resumeUnfinishedQueryRuns(): Promise<number> {
  const db = await getDb();
  const open = await db.select({ id: queryRuns.id }).from(queryRuns).where(inArray(queryRuns.status, ['queued', 'running']));
  await resendJobs(open.map((run) => runQueueJob(run.id)));
  return open.length;
}

/** Another attempt took the run over (this one was thought dead): stop quietly. */
class StaleAttemptError extends Error {}

function attemptHolds(runId: string, attempt: number): SQL {
  return sql`exists (select 1 from query_runs where id = ${runId}::uuid and attempts = ${attempt} and status = 'running')`;
}

/**
 * The worker: one run, a part of the jurisdiction at a time (each authority directly below, then the schools directly
 * below), each part's matches and progress in one transaction. Safe to run again after a crash: it starts over.
 */
export async function runQueryJob(runId: string, attempt: { last: boolean } = { last: true }): Promise<void> {
  const db = await getDb();
  const [run] = await db
    .update(queryRuns)
    .set({ status: 'running', attempts: sql`${queryRuns.attempts} + 1`, startedAt: sql`now()`, done: 0, matched: null, message: null })
    .where(and(eq(queryRuns.id, runId), inArray(queryRuns.status, ['queued', 'running'])))
    .returning();
  if (!run) return;
  try {
    await scan(db, run);
  } catch (error) {
    if (error instanceof StaleAttemptError) return;
    const final = error instanceof DomainError || attempt.last || run.attempts >= maxAttempts;
    if (!(error instanceof DomainError)) logUnexpected('combined-query', error, { runId, attempt: run.attempts });
    const message = error instanceof DomainError ? error.message : final ? '查询时出错，请稍后重新查询' : '查询中断，正在重试';
    const ended = await db
      .update(queryRuns)
      .set(final ? { status: 'failed', message, finishedAt: sql`now()` } : { status: 'queued', message })
      .where(and(eq(queryRuns.id, runId), eq(queryRuns.attempts, run.attempts), eq(queryRuns.status, 'running')))
      .returning({ id: queryRuns.id });
    // Only the attempt that still held the run may clear what it found.
    if (final && ended.length) await db.delete(queryRunHits).where(eq(queryRunHits.runId, runId));
    if (!final) throw error;
  }
}

async function scan(db: Executor, run: typeof queryRuns.$inferSelect): Promise<void> {
  // The requester as they are now: a disabled account or a lost right ends the run.
  const session = await loadSessionAccount(run.accountId, null);
  if (!session || session.accountStatus !== 'active' || session.unitStatus !== 'active') throw new ForbiddenError('账号已停用，查询未完成');
  const actor = session.actor;
  assertCan(actor, 'teacher.list');
  const request = requestOfParams(run.params);
  if (!request.conditions.length) throw new ValidationError('查询条件无法识别，请重新查询');
  // Teachers are read where statistics are read (the replica when there is one); the run is kept on the primary.
  const reader = await getStatisticsDb();
  const conditions = await teacherFilterConditions(reader, actor, teacherFiltersOf(request));
  if (!conditions) throw new NotFoundError('单位不存在或不在您的管辖范围内');
  const unit = await statUnit(actor, request.unitId);
  const statFilters = { unitId: unit.id, scope: request.scope, staff: 'serving' as const };

  // Parts weighted by their teachers (from the pre-counted totals), so progress is teachers scanned of the total.
  const authorities = await db.select({ id: units.id, path: units.path }).from(units).where(and(eq(units.parentId, unit.id), eq(units.kind, 'authority'))).orderBy(asc(units.code));
  const weights = await Promise.all(authorities.map((child) => countFromAggregates(child, statFilters, { dim: 'total', buckets: null })));
  const total = await countFromAggregates(unit, statFilters, { dim: 'total', buckets: null });
  const parts: { where: SQL; weight: number }[] = [
    ...authorities.map((child, i) => ({ where: sql`teachers.unit_path <@ ${child.path}::ltree`, weight: weights[i] })),
    // What is not under an authority below: the schools directly below (a county's, or the ministry's universities).
    { where: sql`teachers.unit_id in (select id from units where parent_id = ${unit.id} or id = ${unit.id})`, weight: Math.max(0, total - weights.reduce((a, b) => a + b, 0)) },
  ];
  const held = await db
    .update(queryRuns)
    .set({ total: Math.max(1, total) })
    .where(and(eq(queryRuns.id, run.id), eq(queryRuns.attempts, run.attempts), eq(queryRuns.status, 'running')))
    .returning({ id: queryRuns.id });
  if (!held.length) throw new StaleAttemptError();
  // A retry starts over.
  await db.execute(sql`delete from query_run_hits where run_id = ${run.id}::uuid and ${attemptHolds(run.id, run.attempts)}`);

  for (const part of parts) {
    // One string of ids rather than a row object per match: a province's hundreds of thousands stay a few MB.
    const [{ ids }] = rowsOf<{ ids: string | null }>(await reader.execute(sql`select string_agg(teachers.id::text, ',') as ids from teachers where ${and(...conditions, part.where)}`));
    await db.transaction(async (tx) => {
      const [{ n }] = ids
        ? rowsOf<{ n: number }>(
            await tx.execute(sql`
              with inserted as (
                insert into query_run_hits (run_id, teacher_id)
                select ${run.id}::uuid, unnest(string_to_array(${ids}, ',')::int[])
                where ${attemptHolds(run.id, run.attempts)}
                on conflict do nothing
                returning 1)
              select count(*)::int as n from inserted`),
          )
        : [{ n: 0 }];
      const progressed = await tx
        .update(queryRuns)
        .set({ done: sql`${queryRuns.done} + ${part.weight}`, matched: sql`coalesce(${queryRuns.matched}, 0) + ${Number(n)}` })
        .where(and(eq(queryRuns.id, run.id), eq(queryRuns.attempts, run.attempts), eq(queryRuns.status, 'running')))
        .returning({ id: queryRuns.id });
      if (!progressed.length) throw new StaleAttemptError();
    });
  }
  const finished = await db
    .update(queryRuns)
    .set({ status: 'done', done: sql`${queryRuns.total}`, matched: sql`coalesce(${queryRuns.matched}, 0)`, finishedAt: sql`now()` })
    .where(and(eq(queryRuns.id, run.id), eq(queryRuns.attempts, run.attempts), eq(queryRuns.status, 'running')))
    .returning({ id: queryRuns.id });
  if (!finished.length) throw new StaleAttemptError();
}

/** Deletes runs past their retention time with their kept teachers, and ends runs nothing will finish. */
export async function purgeExpiredQueryRuns(): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx
      .update(queryRuns)
      .set({ status: 'failed', message: '查询超时未完成，请重新查询', finishedAt: sql`now()` })
      .where(and(inArray(queryRuns.status, ['queued', 'running']), sql`${queryRuns.createdAt} < now() - make_interval(secs => ${queueOptions.expireInSeconds * maxAttempts + 3600})`));
    const deleted = await tx
      .delete(queryRuns)
      .where(sql`${queryRuns.createdAt} < now() - make_interval(hours => ${queryRunRetentionHours})`)
      .returning({ id: queryRuns.id });
    return deleted.length;
  });
}
