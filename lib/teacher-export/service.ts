import 'server-only';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { getDb, getStatisticsDb, type Executor } from '@/lib/db';
import { exportJobs, jobFileChunks, teacherEntries, teachers, units, type StoredValue } from '@/lib/db/schema';
import { queueOptions, transactionWithJob } from '@/lib/db/job-queue';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { holdsFullIdRight, mayViewFullIdNumber } from '@/lib/auth/personal-data';
import { loadSessionAccount } from '@/lib/auth/queries';
import { recordAudit } from '@/lib/audit/service';
import { activeKeyId, decryptBytes, encryptBytes, keyIdOf } from '@/lib/crypto/envelope';
import { ChunkSink, attemptHoldsJob, claimExportJob, exportQueueJob, endFailedAttempt, exportJobKinds, heldBy, reportExportProgress, StaleAttemptError, type ExportJobRow } from '@/lib/export-jobs/service';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { resolveCatalogue } from '@/lib/indicators/settings';
import { maskLoginName } from '@/lib/reference/id-number';
import { maskStoredRecord, teacherFilterConditions, type TeacherListFilters } from '@/lib/teachers/queries';
import { revealStoredIdNumber } from '@/lib/teachers/identity';
import { recordStateNames } from '@/lib/teachers/schemas';
import { exportJobParamsSchema, maxExportRows, type ExportJobParams } from './schemas';
import { TeacherWorkbookWriter, type ExportTeacher } from './workbook';

export interface TeacherExportRequest {
  filters: TeacherListFilters;
  subsets: string[];
  /** Effective records only (正式数据). */
  official?: boolean;
  /** Full ID numbers, for teachers whose number the actor may see (mayViewFullIdNumber), with the stated purpose. */
  reveal?: { purpose: string };
}

/** Teachers read per query; between pages the worker yields so that pages on the same node keep their pace. */
const pageSize = 2000;
/** Progress (and the check that this attempt still holds the job) at most this often. */
const progressEveryMs = 1000;

function fileNameOf(actor: Actor, official: boolean): string {
  return `${official ? '教师信息正式数据' : '教师信息工作数据'}-${actor.unitName}.xlsx`;
}

/**
 * Accepts an export: checks the right to it and the scope now (a refusal is immediate), stores the
 * request and queues the work in one transaction. The file is made in the background; the export
 * page shows its progress and offers it when ready.
 */
export async function requestTeacherExport(actor: Actor, request: TeacherExportRequest): Promise<{ jobId: string }> {
  assertCan(actor, 'teacher.list');
  if (request.reveal && !holdsFullIdRight(actor)) throw new ForbiddenError('只有学校或其主管教育行政部门的管理员可以导出完整证件号码');
  const official = request.official ?? false;
  const db = await getDb();
  const conditions = await teacherFilterConditions(db, actor, request.filters);
  if (!conditions) throw new NotFoundError('单位不存在或不在您的管辖范围内');
  const params: ExportJobParams = { filters: { ...request.filters, after: undefined } as Record<string, unknown>, subsets: request.subsets, official, purpose: request.reveal?.purpose, ip: actor.ip ?? undefined };
  return transactionWithJob(async (tx) => {
    const [job] = await tx
      .insert(exportJobs)
      .values({ accountId: actor.accountId, unitId: actor.unitId, kind: exportJobKinds.teachers, fileName: fileNameOf(actor, official), params })
      .returning({ id: exportJobs.id });
    return { result: { jobId: job.id }, job: exportQueueJob(exportJobKinds.teachers, job.id) };
  });
}

/** The worker: makes the file of one export job. Safe to run again after a crash (it starts over). */
export async function runTeacherExport(jobId: string, attempt: { last: boolean } = { last: true }): Promise<void> {
  const db = await getDb();
  const job = await claimExportJob(db, jobId, exportJobKinds.teachers);
  // Already finished, failed or deleted: a late duplicate of the queue's message.
  if (!job) return;
  try {
    await writeExport(db, job);
  } catch (error) {
    await endFailedAttempt(db, job, error, attempt, 'teacher-export', '生成文件时出错，请稍后重新导出');
  }
}

async function writeExport(db: Executor, job: ExportJobRow): Promise<void> {
  // The requester as they are now: a disabled account or a lost right ends the job.
  const session = await loadSessionAccount(job.accountId, null);
  if (!session || session.accountStatus !== 'active' || session.unitStatus !== 'active') throw new ForbiddenError('账号已停用，导出未完成');
  const params = exportJobParamsSchema.parse(job.params);
  // Audited with the address the request came from.
  const actor = { ...session.actor, ip: params.ip ?? null };
  assertCan(actor, 'teacher.list');
  if (params.purpose && !holdsFullIdRight(actor)) throw new ForbiddenError('只有学校或其主管教育行政部门的管理员可以导出完整证件号码');
  const filters = params.filters as TeacherListFilters;
  // Rows are read where statistics are read (the replica when there is one); the job and its file are kept on the primary.
  const reader = await getStatisticsDb();
  const conditions = await teacherFilterConditions(reader, actor, filters);
  if (!conditions) throw new NotFoundError('单位不存在或不在您的管辖范围内');
  // Official figures count effective records only (seed 六(二)): drafts and reported records are working data.
  if (params.official) conditions.push(eq(teachers.recordState, 'effective'));
  const [{ n }] = await reader.select({ n: sql<number>`count(*)::int` }).from(teachers).where(and(...conditions));
  if (n > maxExportRows) throw new ValidationError(`符合条件的教师有 ${n.toLocaleString('zh-CN')} 人，单次导出不超过 ${maxExportRows.toLocaleString('zh-CN')} 人，请按单位或学段缩小范围`);

  // Labels come from the actor's province catalogue (the national one above the provinces).
  const provinceId = actor.unitTier === 'central' ? null : Number(actor.unitPath.split('.')[1]);
  const { settings } = await getProvinceSettings(provinceId, db);
  const subsets = resolveCatalogue(settings, 'primary_secondary').subsets.filter((subset) => params.subsets.includes(subset.key));
  if (!subsets.length) throw new ValidationError('请选择要导出的信息集');
  const total = n * subsets.length;
  await reportExportProgress(db, job, { done: 0, total });
  // A retry starts the file over (only while this attempt holds the job).
  await db.delete(jobFileChunks).where(and(eq(jobFileChunks.jobId, job.id), attemptHoldsJob(job.id, job.attempts)));

  const sink = new ChunkSink(db, job.id, job.attempts);
  const sinkFailed = new Promise<never>((_, reject) => sink.on('error', reject));
  sinkFailed.catch(() => {});
  const writer = new TeacherWorkbookWriter(sink);
  const kind = params.official ? '正式数据（仅含审核生效的记录）' : '工作数据（含草稿和已报送记录，非正式数据）';
  const exportedAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
  let done = 0;
  let reportedAt = 0;
  let rows = 0;
  let unmasked = 0;
  for (const [index, subset] of subsets.entries()) {
    writer.startSheet(subset);
    let sheetTeachers = 0;
    let sheetUnmasked = 0;
    const readPage = async (after: number) => {
      const batch = await reader
        .select({ id: teachers.id, unitId: teachers.unitId, unitParentId: units.parentId, unitCode: units.code, unitName: units.name, idNumberEnc: teachers.idNumberEnc, idNumberMasked: teachers.idNumberMasked, name: teachers.name, recordState: teachers.recordState, record: teachers.record })
        .from(teachers)
        .innerJoin(units, eq(units.id, teachers.unitId))
        .where(and(...conditions, gt(teachers.id, after)))
        .orderBy(asc(teachers.id))
        .limit(pageSize);
      const entries = new Map<number, Record<string, StoredValue>[]>();
      if (subset.multi && batch.length) {
        const entryRows = await reader
          .select({ teacherId: teacherEntries.teacherId, values: teacherEntries.values })
          .from(teacherEntries)
          .where(and(inArray(teacherEntries.teacherId, batch.map((b) => b.id)), eq(teacherEntries.subset, subset.key)))
          .orderBy(asc(teacherEntries.id));
        for (const e of entryRows) (entries.get(e.teacherId) ?? entries.set(e.teacherId, []).get(e.teacherId)!).push(e.values);
      }
      return { batch, entries };
    };
    // The next page is read while this one is written.
    // A read left behind when the loop ends early must not reject unhandled.
    const prefetch = (after: number) => {
      const page = readPage(after);
      page.catch(() => {});
      return page;
    };
    let next = prefetch(0);
    for (;;) {
      const { batch, entries } = await next;
      if (batch.length === 0) break;
      next = prefetch(batch.at(-1)!.id);
      for (const row of batch) {
        const full = Boolean(params.purpose) && mayViewFullIdNumber(actor, row);
        if (full) sheetUnmasked++;
        const teacher: ExportTeacher = {
          unitCode: row.unitCode,
          unitName: row.unitName,
          idNumber: full && row.idNumberEnc ? revealStoredIdNumber(row.idNumberEnc) : (row.idNumberMasked ?? ''),
          name: row.name,
          recordState: recordStateNames[row.recordState],
          record: subset.multi ? {} : maskStoredRecord(row.record, full),
          entries: subset.multi ? { [subset.key]: entries.get(row.id) ?? [] } : {},
        };
        writer.addTeacher(teacher);
      }
      sheetTeachers += batch.length;
      done += batch.length;
      if (performance.now() - reportedAt > progressEveryMs) {
        reportedAt = performance.now();
        await reportExportProgress(db, job, { done });
      }
      await Promise.race([writer.drained().then(() => yieldToRequests()), sinkFailed]);
    }
    const footer = `${kind}。由 ${actor.username} 于 ${exportedAt} (UTC) 导出，共 ${sheetTeachers} 人，${sheetUnmasked ? `其中 ${sheetUnmasked} 人为完整证件号码（用途：${params.purpose}），其余已脱敏` : '证件号码已脱敏'}。含个人信息，请妥善保管。`;
    writer.endSheet(footer);
    if (index === 0) {
      rows = sheetTeachers;
      unmasked = sheetUnmasked;
    }
  }
  await Promise.race([writer.finish(), sinkFailed]);

  await db.transaction(async (tx) => {
    // Pieces a stale attempt left beyond this file's end are not part of it.
    await tx.delete(jobFileChunks).where(and(eq(jobFileChunks.jobId, job.id), sql`${jobFileChunks.seq} >= ${sink.seq}`));
    const finished = await tx
      .update(exportJobs)
      .set({ status: 'done', rows, unmasked, bytes: sink.bytes, done: total, finishedAt: sql`now()`, message: null })
      .where(heldBy(job))
      .returning({ id: exportJobs.id });
    if (!finished.length) throw new StaleAttemptError();
    await recordAudit(tx, actor, {
      action: 'teacher.export',
      targetType: 'unit',
      targetId: filters.unitId ?? actor.unitId,
      detail: { job: job.id, rows, unmasked, purpose: params.purpose, subsets: params.subsets, official: params.official, bytes: sink.bytes, filters: { ...filters, q: filters.q && (/\p{Script=Han}/u.test(filters.q) ? filters.q : maskLoginName(filters.q)) } },
    });
  });
}

/** Hours a finished export file is kept (EXPORT_FILE_RETENTION_HOURS, default 24). */
export function exportFileRetentionHours(): number {
  const hours = Number(process.env.EXPORT_FILE_RETENTION_HOURS ?? 24);
  return Number.isFinite(hours) && hours > 0 ? hours : 24;
}

/** Deletes finished files past their retention time, and ends jobs nothing will finish; the job rows stay for the history. */
export async function purgeExpiredExportFiles(): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const expired = await tx
      .update(exportJobs)
      .set({ status: 'expired' })
      .where(and(eq(exportJobs.status, 'done'), sql`${exportJobs.finishedAt} < now() - make_interval(hours => ${exportFileRetentionHours()})`))
      .returning({ id: exportJobs.id });
    // A job that no attempt finished within the queue's expiry will not be finished by anyone.
    const stuck = await tx
      .update(exportJobs)
      .set({ status: 'failed', message: '生成文件超时未完成，请重新提交', finishedAt: sql`now()` })
      .where(and(inArray(exportJobs.status, ['queued', 'running']), sql`${exportJobs.createdAt} < now() - make_interval(secs => ${queueOptions.expireInSeconds * (queueOptions.retryLimit + 1) + 3600})`))
      .returning({ id: exportJobs.id });
    const ended = [...expired, ...stuck].map((job) => job.id);
    if (ended.length) await tx.delete(jobFileChunks).where(inArray(jobFileChunks.jobId, ended));
    return ended.length;
  });
}

/**
 * Key rotation for stored export files: every piece not under the active key is re-encrypted with it,
 * one piece at a time and only if unchanged meanwhile. Answers how many pieces.
 */
export async function reencryptExportFiles(): Promise<number> {
  const db = await getDb();
  const active = activeKeyId();
  const pieces = await db.select({ jobId: jobFileChunks.jobId, seq: jobFileChunks.seq }).from(jobFileChunks);
  let changed = 0;
  for (const { jobId, seq } of pieces) {
    const [piece] = await db.select({ bytes: jobFileChunks.bytes }).from(jobFileChunks).where(and(eq(jobFileChunks.jobId, jobId), eq(jobFileChunks.seq, seq)));
    if (!piece || keyIdOf(piece.bytes) === active) continue;
    const updated = await db
      .update(jobFileChunks)
      .set({ bytes: encryptBytes(decryptBytes(piece.bytes)) })
      .where(and(eq(jobFileChunks.jobId, jobId), eq(jobFileChunks.seq, seq), sql`${jobFileChunks.bytes} = ${piece.bytes}`))
      .returning({ seq: jobFileChunks.seq });
    changed += updated.length;
  }
  return changed;
}
