import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { importJobs } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { isUuid } from '@/lib/http/params';
import type { ImportJobView, ImportSummary } from './schemas';
import { catalogueFor, getActorSchool } from '@/lib/teachers/service';
import { markInterruptedJobs } from './service';
import { decryptBytes } from '@/lib/crypto/envelope';

const jobColumns = {
  id: importJobs.id,
  fileName: importJobs.fileName,
  status: importJobs.status,
  message: importJobs.message,
  summary: importJobs.summary,
  hasErrorFile: sql<boolean>`${importJobs.errorFile} is not null`,
  createdAt: importJobs.createdAt,
  finishedAt: importJobs.finishedAt,
  progress: importJobs.progress,
};

type JobRow = { [K in keyof typeof jobColumns]: unknown } & { id: string; status: ImportJobView['status'] };

function toView(row: JobRow): ImportJobView {
  const running = row.status === 'validating' || row.status === 'importing';
  return {
    id: row.id,
    fileName: row.fileName as string,
    status: row.status,
    message: row.message as string | null,
    summary: row.summary as ImportSummary | null,
    hasErrorFile: Boolean(row.hasErrorFile),
    createdAt: row.createdAt as Date,
    finishedAt: row.finishedAt as Date | null,
    // Written by the worker, on whichever node it runs.
    progress: running ? ((row.progress as ImportJobView['progress']) ?? { phase: '正在处理', done: 0, total: 0 }) : null,
  };
}

/** An actor sees only their own import jobs. */
export async function getImportJob(actor: Actor, jobId: string): Promise<ImportJobView> {
  assertCan(actor, 'teacher.import');
  if (!isUuid(jobId)) throw new NotFoundError('导入任务不存在');
  const db = await getDb();
  await markInterruptedJobs(db, actor.accountId);
  const [row] = await db.select(jobColumns).from(importJobs).where(and(eq(importJobs.id, jobId), eq(importJobs.accountId, actor.accountId)));
  if (!row) throw new NotFoundError('导入任务不存在');
  return toView(row);
}

export async function listImportJobs(actor: Actor, limit = 10): Promise<ImportJobView[]> {
  assertCan(actor, 'teacher.import');
  const db = await getDb();
  await markInterruptedJobs(db, actor.accountId);
  const rows = await db.select(jobColumns).from(importJobs).where(eq(importJobs.accountId, actor.accountId)).orderBy(desc(importJobs.createdAt)).limit(limit);
  return rows.map(toView);
}

export async function getImportErrorFile(actor: Actor, jobId: string): Promise<{ fileName: string; content: Buffer }> {
  assertCan(actor, 'teacher.import');
  if (!isUuid(jobId)) throw new NotFoundError('导入任务不存在');
  const db = await getDb();
  const [row] = await db.select({ fileName: importJobs.fileName, errorFile: importJobs.errorFile }).from(importJobs).where(and(eq(importJobs.id, jobId), eq(importJobs.accountId, actor.accountId)));
  if (!row?.errorFile) throw new NotFoundError('没有错误文件');
  return { fileName: row.fileName.replace(/\.xlsx$/i, '') + '-错误标注.xlsx', content: decryptBytes(row.errorFile) };
}

/** The catalogue the actor's school imports with: its province's settings at its stage. */
export async function getImportCatalogue(actor: Actor) {
  assertCan(actor, 'teacher.import');
  const db = await getDb();
  const school = await getActorSchool(db, actor);
  return { school, catalogue: await catalogueFor({ provinceUnitId: school.provinceUnitId, stage: school.stage }, db) };
}
