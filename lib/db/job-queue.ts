import 'server-only';
import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle, fromPglite, type PGliteLike, type WorkHandler } from 'pg-boss';
import { getConnection, type Transaction } from './client';

/**
 * The durable job queue: pg-boss in its own schema of the same database, so jobs survive restarts,
 * any app node runs them, and their state is in PostgreSQL. On the embedded database it runs over
 * the same PGlite instance.
 */
export const jobQueues = {
  teacherExport: 'teacher-export',
  teacherImport: 'teacher-import',
  combinedQuery: 'combined-query',
  settingsRecheck: 'settings-recheck',
  credentialSheet: 'credential-sheet',
} as const;
export type JobQueueName = (typeof jobQueues)[keyof typeof jobQueues];

/**
 * A worker renews its job's heartbeat; a job whose node died is retried after `heartbeatSeconds`.
 * A retry starts the job over (its writes are idempotent), at most `retryLimit` times.
 */
export const jobQueueSchema = 'pgboss';
export const queueOptions = { heartbeatSeconds: 20, retryLimit: 2, retryDelay: 5, expireInSeconds: 4 * 3600 };

let reportError: (error: unknown) => void = (error) => console.error('job queue:', error instanceof Error ? error.message : error);

/** Where the queue's own errors (a lost connection, a failed poll) go: the server's log, set at start-up. */
export function reportJobQueueErrorsTo(report: (error: unknown) => void): void {
  reportError = report;
}

const globalForQueue = globalThis as unknown as { tmisJobQueue?: Promise<PgBoss> };

async function openJobQueue(): Promise<PgBoss> {
  const connection = await getConnection();
  // How often a node looks for jobs whose worker stopped beating (and queues them again).
  const superviseIntervalSeconds = Number(process.env.JOB_QUEUE_SUPERVISE_SECONDS ?? 30);
  const boss =
    connection.kind === 'postgres'
      ? new PgBoss({ connectionString: process.env.DATABASE_URL, max: Number(process.env.JOB_QUEUE_POOL_SIZE ?? 3), application_name: 'tmis-jobs', schema: jobQueueSchema, superviseIntervalSeconds })
      : new PgBoss({ db: fromPglite((connection.db as unknown as { $client: PGliteLike }).$client), backend: 'pglite', schema: jobQueueSchema, superviseIntervalSeconds });
  boss.on('error', (error) => reportError(error));
  await boss.start();
  for (const name of Object.values(jobQueues)) await boss.createQueue(name, queueOptions);
  return boss;
}

export function getJobQueue(): Promise<PgBoss> {
  globalForQueue.tmisJobQueue ??= openJobQueue().catch((error: unknown) => {
    globalForQueue.tmisJobQueue = undefined;
    throw error;
  });
  return globalForQueue.tmisJobQueue;
}

export interface QueuedJob {
  name: JobQueueName;
  /** The queue's job id: the caller's own row id, so that sending a job twice queues it once. */
  id: string;
  data: Record<string, unknown>;
}

/**
 * One transaction that also queues a job: on PostgreSQL the job is sent inside it, so it exists
 * exactly when the caller's rows commit. PGlite has a single connection, on which the queue's own
 * statements would wait for the open transaction: there (one process by definition) the job is sent
 * right after the commit, and `resendJobs` at start-up covers a crash in between.
 */
export async function transactionWithJob<T>(work: (tx: Transaction) => Promise<{ result: T; job: QueuedJob }>): Promise<T> {
  const connection = await getConnection();
  const boss = await getJobQueue();
  if (connection.kind === 'postgres') {
    return connection.db.transaction(async (tx) => {
      const { result, job } = await work(tx);
      await boss.send(job.name, job.data, { id: job.id, db: fromDrizzle(tx, sql) });
      return result;
    });
  }
  const { result, job } = await connection.db.transaction(work);
  await boss.send(job.name, job.data, { id: job.id });
  return result;
}

/** Sends jobs that may already be queued (their id makes a second send a no-op). */
export async function resendJobs(jobs: QueuedJob[]): Promise<void> {
  const boss = await getJobQueue();
  for (const job of jobs) await boss.send(job.name, job.data, { id: job.id });
}

const workedQueues = new WeakMap<PgBoss, Set<JobQueueName>>();

/** Runs this node's worker for a queue, one job at a time. */
export async function workJobs(name: JobQueueName, handler: (data: Record<string, unknown>, attempt: { last: boolean }) => Promise<void>, pollingIntervalSeconds = 1): Promise<void> {
  const boss = await getJobQueue();
  // Once per queue and client: starting the workers again (after a failed start) adds none twice.
  const worked = workedQueues.get(boss) ?? workedQueues.set(boss, new Set()).get(boss)!;
  if (worked.has(name)) return;
  // The queue's own count decides the last attempt: after it pg-boss retries no more.
  const work: WorkHandler<Record<string, unknown>> = async ([job]) => handler(job.data, { last: (job as { retryCount?: number }).retryCount! >= queueOptions.retryLimit });
  // A backlog is drained at once (fetch again while fetches come back full), not one job per polling interval.
  await boss.work(name, { localConcurrency: 1, pollingIntervalSeconds, burstWhenBatchFull: true }, work);
  worked.add(name);
}

/** Stops this node's workers and the queue's connections. `graceful: false` is a crash, as tests use it. */
export async function closeJobQueue(options: { graceful?: boolean } = {}): Promise<void> {
  const pending = globalForQueue.tmisJobQueue;
  globalForQueue.tmisJobQueue = undefined;
  if (pending) await (await pending).stop({ graceful: options.graceful ?? true, close: true, timeout: 30_000 });
}
