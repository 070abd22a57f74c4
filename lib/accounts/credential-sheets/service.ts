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
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { claimExportJob, exportQueueJob, endFailedAttempt, exportJobKinds, heldBy, reportExportProgress, StaleAttemptError, storeWholeFile } from '@/lib/export-jobs/service';
import { formatDateTime } from '@/lib/format';
import { isUuid } from '@/lib/http/params';
import { exportJobColumns, toExportJobView } from '@/lib/teacher-export/queries';
import type { ExportJobView } from '@/lib/teacher-export/schemas';
import { buildCredentialSheet } from '../credential-sheet';
import { countTeachersWithoutPassword } from '@/lib/teachers/queries';
import { issueTeacherCredentials, teacherCredentialsPerSheet } from '@/lib/teachers/registration/service';
import { credentialSheetDownloadedMessage, credentialSheetParamsSchema, type CredentialSheetParams, type IssueCredentialsInput } from '../schemas';
import { findIssueTargets, issueSubordinateCredentials, type IssueHooks } from '../service';

/**
 * Credential sheets for many units are made on the durable queue: hashing thousands of passwords
 * takes tens of seconds. The passwords are set in the same transaction that stores the sheet
 * (encrypted), and the sheet can be downloaded once by its requester, then it is deleted.
 */

/** Progress at most this often while hashing. */
const progressEveryMs = 1000;

/** Stores the job and queues it in one transaction, with its audit row; no password changes until the worker's transaction. */
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

/** A sheet for the school's teachers who have no password yet (those created by import), up to one sheet's worth. */
export async function requestTeacherCredentialSheet(actor: Actor): Promise<{ jobId: string }> {
  const pending = await countTeachersWithoutPassword(actor);
  if (pending === 0) throw new ValidationError('本校教师都已发放初始密码');
  return queueCredentialSheet(actor, { source: 'teachers', ip: actor.ip ?? undefined }, Math.min(pending, teacherCredentialsPerSheet));
}

/** The worker: hashes the passwords, then sets them and stores the sheet in one transaction. Safe to run again. */
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
    const hooks: IssueHooks = {
      onHashed: async (done, total) => {
        if (done > 0 && performance.now() - reportedAt < progressEveryMs) return;
        reportedAt = performance.now();
        await reportExportProgress(db, job, { done, total });
      },
      inTransaction: async (tx, issued) => {
        const sheet = await buildCredentialSheet(issued, `${actor.unitName}（${actor.username}）`, new Date());
        const bytes = await storeWholeFile(tx, job, sheet);
        const finished = await tx
          .update(exportJobs)
          .set({ status: 'done', rows: issued.length, bytes, done: issued.length, finishedAt: sql`now()`, message: null })
          .where(heldBy(job))
          .returning({ id: exportJobs.id });
        // Another attempt holds the job: this one's passwords must not be set.
        if (!finished.length) throw new StaleAttemptError();
      },
    };
    if (params.source === 'teachers') await issueTeacherCredentials(actor, { limit: teacherCredentialsPerSheet }, hooks);
    else await issueSubordinateCredentials(actor, { unitIds: params.unitIds }, hooks);
  } catch (error) {
    await endFailedAttempt(db, job, error, attempt, 'credential-sheet');
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
 * The sheet for its requester, once: taking it deletes the file in the same transaction (the
 * initial passwords exist nowhere else), and the download is audited.
 */
export async function takeCredentialSheet(actor: Actor, jobId: string): Promise<{ fileName: string; file: Buffer }> {
  if (!isUuid(jobId)) throw new NotFoundError('分发表不存在');
  // Only sources whose right the actor holds now.
  const sources = (Object.keys(sheetRights) as CredentialSheetParams['source'][]).filter((source) => can(actor, sheetRights[source]));
  if (!sources.length) throw new NotFoundError('分发表不存在');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const mine = and(eq(exportJobs.id, jobId), eq(exportJobs.accountId, actor.accountId), eq(exportJobs.kind, exportJobKinds.credentials), inArray(sql<string>`${exportJobs.params}->>'source'`, sources));
    const [taken] = await tx
      .update(exportJobs)
      .set({ status: 'expired', message: credentialSheetDownloadedMessage })
      .where(and(mine, eq(exportJobs.status, 'done')))
      .returning({ fileName: exportJobs.fileName, rows: exportJobs.rows });
    if (!taken) {
      const [job] = await tx.select({ status: exportJobs.status, message: exportJobs.message }).from(exportJobs).where(mine);
      if (!job) throw new NotFoundError('分发表不存在');
      throw new NotFoundError(job.status === 'expired' ? (job.message === credentialSheetDownloadedMessage ? '分发表已下载过，文件已删除；如需再次分发请重新生成初始密码' : '分发表已超过保留时间被删除，请重新生成初始密码') : '分发表尚未生成');
    }
    const pieces = await tx.select({ bytes: jobFileChunks.bytes }).from(jobFileChunks).where(eq(jobFileChunks.jobId, jobId)).orderBy(asc(jobFileChunks.seq));
    await tx.delete(jobFileChunks).where(eq(jobFileChunks.jobId, jobId));
    await recordAudit(tx, actor, { action: 'account.credentials.download', targetType: 'export', targetId: jobId, detail: { accounts: taken.rows } });
    return { fileName: taken.fileName, file: Buffer.concat(pieces.map((piece) => decryptBytes(piece.bytes))) };
  });
}
