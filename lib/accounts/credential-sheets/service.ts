import 'server-only';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { exportJobs, jobFileChunks } from '@/lib/db/schema';
import { transactionWithJob } from '@/lib/db/job-queue';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can, type Permission } from '@/lib/auth/policy';
import { loadSessionAccount } from '@/lib/auth/queries';
import { recordAudit } from '@/lib/audit/service';
import { decryptBytes } from '@/lib/crypto/envelope';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { claimExportJob, exportQueueJob, endFailedAttempt, exportJobKinds, heldBy, reportExportProgress, StaleAttemptError, storeJobPiece, storeWholeFile } from '@/lib/export-jobs/service';
import { formatDateTime } from '@/lib/format';
import { isUuid } from '@/lib/http/params';
import { exportJobColumns, toExportJobView } from '@/lib/teacher-export/queries';
import type { ExportJobView } from '@/lib/teacher-export/schemas';
import { buildCredentialSheet } from '../credential-sheet';
import { countTeachersWithoutPassword } from '@/lib/teachers/queries';
import { prepareTeacherCredentials, teacherCredentialsPerSheet } from '@/lib/teachers/registration/service';
import { credentialSheetDownloadedMessage, credentialSheetParamsSchema, type CredentialSheetParams, type IssueCredentialsInput } from '../schemas';
import { findIssueTargets, grantCredentials, prepareSubordinateCredentials, type CredentialGrant } from '../service';

/**
 * Credential sheets for many units are made on the durable queue: hashing thousands of passwords
 * takes tens of seconds. The worker stores the sheet and the new hashes, encrypted, and changes no
 * account; the one download by its requester sets the passwords in the transaction that hands the
 * sheet out and deletes it. So a sheet never downloaded leaves every password as it was.
 */

/** The piece (before the file's pieces) that holds the hashes waiting to be set. */
const grantsPieceSeq = -1;

/** Progress at most this often while hashing. */
const progressEveryMs = 1000;

/** Stores the job and queues it in one transaction, with its audit row; no password changes until the sheet is downloaded. */
async function queueCredentialSheet(actor: Actor, params: CredentialSheetParams, accountCount: number): Promise<{ jobId: string }> {
  // The time in the name is the one the page shows (Asia/Shanghai).
  const stamp = formatDateTime(new Date()).replace(/\D/g, '');
  const fileName = params.source === 'teachers' ? `教师账号分发表-${actor.unitCode}-${stamp}.xlsx` : `账号分发表-${actor.unitCode}-${stamp}.xlsx`;
  return transactionWithJob(async (tx) => {
    const [job] = await tx
      .insert(exportJobs)
      .values({ accountId: actor.accountId, unitId: actor.unitId, kind: exportJobKinds.credentials, fileName, total: accountCount, params })
      .returning({ id: exportJobs.id });
    await recordAudit(tx, actor, { action: 'account.credentials.request', targetType: 'export', targetId: job.id, detail: { source: params.source, accounts: accountCount, units: params.source === 'subordinates' ? params.unitIds.length : undefined } });
    return { result: { jobId: job.id }, job: exportQueueJob(exportJobKinds.credentials, job.id) };
  });
}

/** A sheet for the sysadmins of chosen units directly below: the units are checked now, so a refusal is immediate. */
export async function requestCredentialSheet(actor: Actor, input: IssueCredentialsInput): Promise<{ jobId: string }> {
  const unitIds = [...new Set(input.unitIds)];
  const targets = await findIssueTargets(await getDb(), actor, unitIds);
  return queueCredentialSheet(actor, { source: 'subordinates', unitIds, ip: actor.ip ?? undefined }, targets.length);
}

/**
 * A sheet for the school's teachers who have no password yet (those created by import), up to one
 * sheet's worth; one open sheet per school, since a second would name the same teachers.
 */
export async function requestTeacherCredentialSheet(actor: Actor): Promise<{ jobId: string }> {
  const pending = await countTeachersWithoutPassword(actor);
  if (pending === 0) throw new ValidationError('本校教师都已发放初始密码');
  const db = await getDb();
  const [open] = await db
    .select({ id: exportJobs.id })
    .from(exportJobs)
    .where(and(eq(exportJobs.unitId, actor.unitId), eq(exportJobs.kind, exportJobKinds.credentials), sql`${exportJobs.params}->>'source' = 'teachers'`, inArray(exportJobs.status, ['queued', 'running', 'done'])))
    .limit(1);
  if (open) throw new ConflictError('本校已有正在生成或待下载的教师账号分发表，请先下载（下载时密码才生效）');
  return queueCredentialSheet(actor, { source: 'teachers', ip: actor.ip ?? undefined }, Math.min(pending, teacherCredentialsPerSheet));
}

/** The worker: hashes the passwords and stores the sheet with its hashes, changing no account. Safe to run again. */
export async function runCredentialSheet(jobId: string, attempt: { last: boolean } = { last: true }): Promise<void> {
  const db = await getDb();
  const job = await claimExportJob(db, jobId, exportJobKinds.credentials);
  if (!job) return;
  try {
    // The requester as they are now: a disabled account or a lost right ends the job.
    const session = await loadSessionAccount(job.accountId, null);
    if (!session || session.accountStatus !== 'active' || session.unitStatus !== 'active') throw new ForbiddenError('账号已停用，分发表未生成');
    const params = credentialSheetParamsSchema.parse(job.params);
    const actor = { ...session.actor, ip: params.ip ?? null };
    let reportedAt = 0;
    const onHashed = async (done: number, total: number) => {
      if (done > 0 && performance.now() - reportedAt < progressEveryMs) return;
      reportedAt = performance.now();
      await reportExportProgress(db, job, { done, total });
    };
    const { issued, grants } =
      params.source === 'teachers' ? await prepareTeacherCredentials(actor, { limit: teacherCredentialsPerSheet }, onHashed) : await prepareSubordinateCredentials(actor, { unitIds: params.unitIds }, onHashed);
    const sheet = await buildCredentialSheet(issued, `${actor.unitName}（${actor.username}）`, new Date());
    await db.transaction(async (tx) => {
      // The hashes in a piece of their own, encrypted like the file (only this attempt may write it).
      await storeJobPiece(tx, job.id, job.attempts, grantsPieceSeq, Buffer.from(JSON.stringify(grants)));
      const bytes = await storeWholeFile(tx, job, sheet);
      const finished = await tx
        .update(exportJobs)
        .set({ status: 'done', rows: issued.length, bytes, done: issued.length, finishedAt: sql`now()`, message: null })
        .where(heldBy(job))
        .returning({ id: exportJobs.id });
      if (!finished.length) throw new StaleAttemptError();
    });
  } catch (error) {
    await endFailedAttempt(db, job, error, attempt, 'credential-sheet', '生成分发表时出错，请稍后重新生成');
  }
}

/** The right a sheet of each source needs, to ask for it, see it and take it. */
const sheetRights = { subordinates: 'credential.issue', teachers: 'teacher.create' } as const satisfies Record<CredentialSheetParams['source'], Permission>;

/** The requester's recent credential sheets of one source. */
export async function listCredentialSheets(actor: Actor, source: CredentialSheetParams['source'], limit = 10): Promise<ExportJobView[]> {
  assertCan(actor, sheetRights[source]);
  const db = await getDb();
  const rows = await db
    .select(exportJobColumns)
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, actor.accountId), eq(exportJobs.kind, exportJobKinds.credentials), sql`${exportJobs.params}->>'source' = ${source}`))
    .orderBy(desc(exportJobs.createdAt))
    .limit(limit);
  return rows.map(toExportJobView);
}

/**
 * The sheet for its requester, once: the transaction that hands it out sets its passwords (audited)
 * and deletes it. If the passwords cannot all be set (a teacher got one meanwhile, an account left the
 * actor's reach), nothing is set and the sheet is void.
 */
export async function takeCredentialSheet(actor: Actor, jobId: string): Promise<{ fileName: string; file: Buffer }> {
  if (!isUuid(jobId)) throw new NotFoundError('分发表不存在');
  // Only sources whose right the actor holds now.
  const sources = (Object.keys(sheetRights) as CredentialSheetParams['source'][]).filter((source) => can(actor, sheetRights[source]));
  if (!sources.length) throw new NotFoundError('分发表不存在');
  const db = await getDb();
  const mine = and(eq(exportJobs.id, jobId), eq(exportJobs.accountId, actor.accountId), eq(exportJobs.kind, exportJobKinds.credentials), inArray(sql<string>`${exportJobs.params}->>'source'`, sources));
  try {
    return await db.transaction(async (tx) => {
      const [taken] = await tx
        .update(exportJobs)
        .set({ status: 'expired', message: credentialSheetDownloadedMessage })
        .where(and(mine, eq(exportJobs.status, 'done')))
        .returning({ fileName: exportJobs.fileName, rows: exportJobs.rows, params: exportJobs.params });
      if (!taken) {
        const [job] = await tx.select({ status: exportJobs.status, message: exportJobs.message }).from(exportJobs).where(mine);
        if (!job) throw new NotFoundError('分发表不存在');
        if (job.status !== 'expired') throw new NotFoundError('分发表尚未生成');
        throw new NotFoundError(job.message === credentialSheetDownloadedMessage ? '分发表已下载过，文件已删除；如需再次分发请重新生成初始密码' : (job.message ?? '分发表已超过保留时间被删除，原密码未变，如需分发请重新生成'));
      }
      const params = credentialSheetParamsSchema.parse(taken.params);
      const pieces = await tx.select({ seq: jobFileChunks.seq, bytes: jobFileChunks.bytes }).from(jobFileChunks).where(eq(jobFileChunks.jobId, jobId)).orderBy(asc(jobFileChunks.seq));
      const grantsPiece = pieces.find((piece) => piece.seq === grantsPieceSeq);
      if (!grantsPiece) throw new NotFoundError('分发表已被删除，请重新生成');
      const grants = JSON.parse(decryptBytes(grantsPiece.bytes).toString('utf8')) as CredentialGrant[];
      await grantCredentials(tx, actor, grants, { onlyWithoutPassword: params.source === 'teachers', units: params.source === 'subordinates' ? params.unitIds.length : undefined });
      await tx.delete(jobFileChunks).where(eq(jobFileChunks.jobId, jobId));
      await recordAudit(tx, actor, { action: 'account.credentials.download', targetType: 'export', targetId: jobId, detail: { accounts: taken.rows } });
      return { fileName: taken.fileName, file: Buffer.concat(pieces.filter((piece) => piece.seq >= 0).map((piece) => decryptBytes(piece.bytes))) };
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // The sheet's passwords can no longer all be set: it is void, and says why.
    await db.transaction(async (tx) => {
      const voided = await tx.update(exportJobs).set({ status: 'expired', message: `分发表作废：${error.message}` }).where(and(mine, eq(exportJobs.status, 'done'))).returning({ id: exportJobs.id });
      if (voided.length) await tx.delete(jobFileChunks).where(eq(jobFileChunks.jobId, jobId));
    });
    throw error;
  }
}
