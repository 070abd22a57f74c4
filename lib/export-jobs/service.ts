import 'server-only';
import { Writable } from 'node:stream';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { exportJobs, jobFileChunks } from '@/lib/db/schema';
import { jobQueues, queueOptions, resendJobs, type QueuedJob } from '@/lib/db/job-queue';
import { encryptBytes } from '@/lib/crypto/envelope';
import { DomainError } from '@/lib/errors';
import { logUnexpected } from '@/lib/log';

/**
 * What every file made in the background shares (the teacher export, the credential sheet): an
 * export_jobs row claimed by one attempt at a time, its file in encrypted pieces, and its end.
 */
export const exportJobKinds = { teachers: 'teachers', credentials: 'credentials' } as const;
export type ExportJobKind = (typeof exportJobKinds)[keyof typeof exportJobKinds];

export type ExportJobRow = typeof exportJobs.$inferSelect;

/** Each kind's queue; the queue's job id is the export job's own id, so sending it twice queues it once. */
const queueOfKind = { teachers: jobQueues.teacherExport, credentials: jobQueues.credentialSheet } as const satisfies Record<ExportJobKind, string>;

export function exportQueueJob(kind: ExportJobKind, jobId: string): QueuedJob {
  return { name: queueOfKind[kind], id: jobId, data: { jobId } };
}

/** Queues again every job of a kind not finished (start-up): a no-op for those the queue holds already. */
export async function resumeUnfinishedExportJobs(kind: ExportJobKind): Promise<number> {
  const db = await getDb();
  const open = await db.select({ id: exportJobs.id }).from(exportJobs).where(and(eq(exportJobs.kind, kind), inArray(exportJobs.status, ['queued', 'running'])));
  await resendJobs(open.map((job) => exportQueueJob(kind, job.id)));
  return open.length;
}

/** Bytes per stored piece of a file (EXPORT_CHUNK_BYTES; tests make them small). */
const chunkBytes = () => Number(process.env.EXPORT_CHUNK_BYTES ?? 4 * 1024 * 1024);
/** Attempts the queue makes at most (lib/db/job-queue.ts); the last failure ends the job. */
const maxAttempts = queueOptions.retryLimit + 1;

/** Another attempt took the job over (this one was thought dead): stop quietly. */
export class StaleAttemptError extends Error {}

/** Whether this attempt still holds the job: the condition on every write an attempt makes to it. */
export function attemptHoldsJob(jobId: string, attempt: number): SQL {
  return sql`exists (select 1 from export_jobs where id = ${jobId}::uuid and attempts = ${attempt} and status = 'running')`;
}

/** The job's row as this attempt holds it: the condition of every update the attempt makes. */
export function heldBy(job: ExportJobRow): SQL {
  return and(eq(exportJobs.id, job.id), eq(exportJobs.attempts, job.attempts), eq(exportJobs.status, 'running'))!;
}

/** Takes a queued (or interrupted) job for this attempt; null when it is finished, failed or gone. */
export async function claimExportJob(db: Executor, jobId: string, kind: ExportJobKind): Promise<ExportJobRow | null> {
  const [job] = await db
    .update(exportJobs)
    .set({ status: 'running', attempts: sql`${exportJobs.attempts} + 1`, startedAt: sql`now()`, done: 0, message: null })
    .where(and(eq(exportJobs.id, jobId), eq(exportJobs.kind, kind), inArray(exportJobs.status, ['queued', 'running'])))
    .returning();
  return job ?? null;
}

/** Records progress; throws StaleAttemptError when another attempt holds the job now. */
export async function reportExportProgress(db: Executor, job: ExportJobRow, progress: { done: number; total?: number }): Promise<void> {
  const updated = await db.update(exportJobs).set(progress).where(heldBy(job)).returning({ id: exportJobs.id });
  if (!updated.length) throw new StaleAttemptError();
}

/**
 * After an attempt failed: a refusal (DomainError) or the last attempt ends the job with a message
 * and clears its pieces; otherwise the job goes back to the queue, which retries it (rethrown).
 */
export async function endFailedAttempt(db: Executor, job: ExportJobRow, error: unknown, attempt: { last: boolean }, logScope: string, finalMessage: string): Promise<void> {
  if (error instanceof StaleAttemptError) return;
  const final = error instanceof DomainError || attempt.last || job.attempts >= maxAttempts;
  if (!(error instanceof DomainError)) logUnexpected(logScope, error, { jobId: job.id, attempt: job.attempts });
  const message = error instanceof DomainError ? error.message : final ? finalMessage : '生成文件时中断，正在重试';
  const ended = await db
    .update(exportJobs)
    .set(final ? { status: 'failed', message, finishedAt: sql`now()` } : { status: 'queued', message })
    .where(heldBy(job))
    .returning({ id: exportJobs.id });
  // Only the attempt that still held the job may clear its pieces.
  if (final && ended.length) await db.delete(jobFileChunks).where(eq(jobFileChunks.jobId, job.id));
  else if (!final) throw error;
}

/**
 * Writes a file into job_file_chunks as it is made, a few MB at a time, encrypted (it holds personal
 * data). Only the attempt that holds the job writes: a stale attempt's pieces are refused.
 */
export class ChunkSink extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  seq = 0;
  bytes = 0;

  constructor(
    private readonly db: Executor,
    private readonly jobId: string,
    private readonly attempt: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < chunkBytes()) return callback();
    this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush().then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const piece = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const seq = this.seq++;
    this.bytes += piece.length;
    await storeJobPiece(this.db, this.jobId, this.attempt, seq, piece);
  }
}

/** Stores one piece of a job, encrypted, only while this attempt holds the job (else StaleAttemptError). */
export async function storeJobPiece(db: Executor, jobId: string, attempt: number, seq: number, piece: Buffer): Promise<void> {
  const stored = await db.execute(sql`
    insert into job_file_chunks (job_id, seq, bytes)
    select ${jobId}::uuid, ${seq}, ${encryptBytes(piece)}
    where ${attemptHoldsJob(jobId, attempt)}
    on conflict (job_id, seq) do update set bytes = excluded.bytes
    returning seq`);
  if (rowsOf(stored).length !== 1) throw new StaleAttemptError();
}

/** Stores a file made whole in memory (a small one) as the job's pieces; answers its size. */
export async function storeWholeFile(db: Executor, job: ExportJobRow, file: Buffer): Promise<number> {
  const sink = new ChunkSink(db, job.id, job.attempts);
  // end's callback hears the sink's error, if any (a refused or failed piece).
  await new Promise<void>((resolve, reject) => {
    sink.on('error', reject);
    sink.end(file, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
  return sink.bytes;
}
