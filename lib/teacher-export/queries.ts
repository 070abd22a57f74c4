import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { exportJobs, jobFileChunks } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { holdsFullIdRight } from '@/lib/auth/personal-data';
import { recordAudit } from '@/lib/audit/service';
import { decryptBytes } from '@/lib/crypto/envelope';
import { exportJobKinds } from '@/lib/export-jobs/service';
import { NotFoundError } from '@/lib/errors';
import { isUuid } from '@/lib/http/params';
import type { ExportJobView } from './schemas';
import { exportFileRetentionHours } from './service';

export const exportJobColumns = {
  id: exportJobs.id,
  unitId: exportJobs.unitId,
  fileName: exportJobs.fileName,
  status: exportJobs.status,
  done: exportJobs.done,
  total: exportJobs.total,
  rows: exportJobs.rows,
  unmasked: exportJobs.unmasked,
  bytes: exportJobs.bytes,
  message: exportJobs.message,
  createdAt: exportJobs.createdAt,
  finishedAt: exportJobs.finishedAt,
};

export function toExportJobView(row: Omit<ExportJobView, 'expiresAt'>): ExportJobView {
  const expiresAt = row.status === 'done' && row.finishedAt ? new Date(row.finishedAt.getTime() + exportFileRetentionHours() * 3600_000) : null;
  return { ...row, expiresAt };
}

/** An account sees only the exports it asked for. */
export async function listExportJobs(actor: Actor, limit = 10): Promise<ExportJobView[]> {
  assertCan(actor, 'teacher.list');
  const db = await getDb();
  const rows = await db.select(exportJobColumns).from(exportJobs).where(and(eq(exportJobs.accountId, actor.accountId), eq(exportJobs.kind, exportJobKinds.teachers))).orderBy(desc(exportJobs.createdAt)).limit(limit);
  return rows.map(toExportJobView);
}

export async function getExportJob(actor: Actor, jobId: string): Promise<ExportJobView> {
  assertCan(actor, 'teacher.list');
  if (!isUuid(jobId)) throw new NotFoundError('导出任务不存在');
  const db = await getDb();
  const [row] = await db.select(exportJobColumns).from(exportJobs).where(and(eq(exportJobs.id, jobId), eq(exportJobs.accountId, actor.accountId), eq(exportJobs.kind, exportJobKinds.teachers)));
  if (!row) throw new NotFoundError('导出任务不存在');
  return toExportJobView(row);
}

/**
 * A finished file for its requester, as its pieces one at a time (decrypted on the way out). Each
 * download is audited: the file holds personal data.
 */
export async function openExportFile(actor: Actor, jobId: string): Promise<{ fileName: string; bytes: number; pieces: AsyncGenerator<Buffer> }> {
  const job = await getExportJob(actor, jobId);
  // A file with full ID numbers only while its requester still holds the right, in the same unit.
  if (job.unmasked && (!holdsFullIdRight(actor) || job.unitId !== actor.unitId)) throw new NotFoundError('导出任务不存在');
  if (job.status !== 'done') throw new NotFoundError(job.status === 'expired' ? '导出文件已超过保留时间被删除，请重新导出' : '导出文件尚未生成');
  const db = await getDb();
  const [{ pieces }] = await db.select({ pieces: sql<number>`count(*)::int` }).from(jobFileChunks).where(eq(jobFileChunks.jobId, jobId));
  await recordAudit(db, actor, { action: 'teacher.export.download', targetType: 'export', targetId: jobId, detail: { rows: job.rows, unmasked: job.unmasked, bytes: job.bytes } });
  async function* read(): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < pieces; seq++) {
      const [piece] = await db.select({ bytes: jobFileChunks.bytes }).from(jobFileChunks).where(and(eq(jobFileChunks.jobId, jobId), eq(jobFileChunks.seq, seq)));
      if (!piece) throw new NotFoundError('导出文件已被删除');
      yield decryptBytes(piece.bytes);
    }
  }
  return { fileName: job.fileName, bytes: job.bytes ?? 0, pieces: read() };
}
