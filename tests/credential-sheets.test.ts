import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, exportJobs, teachers } from '@/lib/db/schema';
import { closeJobQueue } from '@/lib/db/job-queue';
import { listCredentialSheets, requestCredentialSheet, requestTeacherCredentialSheet, runCredentialSheet, takeCredentialSheet } from '@/lib/accounts/credential-sheets/service';
import { verifyPassword } from '@/lib/auth/password';
import { can } from '@/lib/auth/policy';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { startJobWorkers } from '@/lib/jobs/service';
import { getExportJob, listExportJobs, openExportFile } from '@/lib/teacher-export/queries';
import { authenticate } from '@/lib/signin/service';
import { createTeacher } from '@/lib/teachers/registration/service';
import { actorFor, getAccount, getUnitByCode, registration, school } from './support/factories';

const onServer = Boolean(process.env.DATABASE_URL);

afterAll(async () => {
  await closeJobQueue({ graceful: false });
});

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await (await getDb()).execute(query))[0].n;
}

const auditCount = (action: string, targetId?: string) =>
  count(sql`select count(*)::int as n from audit_log where action = ${action} ${targetId ? sql`and target_id = ${targetId}` : sql``}`);

async function jobRow(jobId: string) {
  const db = await getDb();
  const [job] = await db.select().from(exportJobs).where(eq(exportJobs.id, jobId));
  return job;
}

async function sheetRows(file: Buffer): Promise<{ unitCode: string; username: string; password: string }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('账号分发表')!;
  const rows: { unitCode: string; username: string; password: string }[] = [];
  sheet.eachRow((row, n) => {
    const [, unitCode, , username, password] = row.values as string[];
    if (n > 1 && username && password) rows.push({ unitCode, username, password });
  });
  return rows;
}

describe('credential sheets on the durable job queue', () => {
  it('makes the sheet without touching an account, and sets its passwords only as its requester takes it, once', async () => {
    const city = await actorFor('520100.admin');
    const counties = await Promise.all(['520102', '520103'].map(getUnitByCode));
    const before = await Promise.all(['520102.admin', '520103.admin'].map(getAccount));
    const issuedBefore = await Promise.all(before.map((account) => auditCount('account.credentials.issue', String(account.id))));

    const { jobId } = await requestCredentialSheet(city, { unitIds: counties.map((c) => c.id) });
    // Accepted and queued: nothing is issued yet.
    expect(await jobRow(jobId)).toMatchObject({ kind: 'credentials', status: 'queued', total: 2 });
    expect(await Promise.all(['520102.admin', '520103.admin'].map(getAccount))).toEqual(before);
    expect(await auditCount('account.credentials.request', jobId)).toBe(1);

    await runCredentialSheet(jobId);
    expect(await jobRow(jobId)).toMatchObject({ status: 'done', rows: 2, done: 2, total: 2 });
    // Made, not handed out: every account as it was (a sheet never downloaded locks nobody out).
    expect(await Promise.all(['520102.admin', '520103.admin'].map(getAccount))).toEqual(before);
    expect(await Promise.all(before.map((account) => auditCount('account.credentials.issue', String(account.id))))).toEqual(issuedBefore);
    // Stored encrypted: no piece carries the zip's signature in clear.
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid and position('\\x504b0304'::bytea in bytes) = 1`)).toBe(0);
    expect((await listCredentialSheets(city, 'subordinates')).map((job) => job.id)).toContain(jobId);

    // Someone else's sheet is not found, and taking it fails without spending it.
    const otherCity = await actorFor('520200.admin');
    await expect(takeCredentialSheet(otherCity, jobId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listCredentialSheets(otherCity, 'subordinates')).map((job) => job.id)).not.toContain(jobId);
    expect((await jobRow(jobId)).status).toBe('done');
    expect(await Promise.all(['520102.admin', '520103.admin'].map(getAccount))).toEqual(before);

    const { fileName, file } = await takeCredentialSheet(city, jobId);
    expect(fileName).toMatch(/^账号分发表-520100-\d{12}\.xlsx$/);
    const rows = await sheetRows(file);
    expect(rows.map((r) => r.username)).toEqual(['520102.admin', '520103.admin']);
    for (const row of rows) {
      const account = await getAccount(row.username);
      expect(account.mustChangePassword).toBe(true);
      expect(await verifyPassword(account.passwordHash, row.password)).toBe(true);
    }
    expect((await authenticate({ username: rows[0].username, password: rows[0].password, ip: '10.52.0.1' })).ok).toBe(true);
    expect(await Promise.all(before.map((account) => auditCount('account.credentials.issue', String(account.id))))).toEqual(issuedBefore.map((n) => n + 1));
    expect(await auditCount('account.credentials.download', jobId)).toBe(1);

    // Once only: the file is gone, a second take is refused and audits nothing.
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBe(0);
    await expect(takeCredentialSheet(city, jobId)).rejects.toThrow('分发表已下载过');
    expect(await auditCount('account.credentials.download', jobId)).toBe(1);
    expect((await listCredentialSheets(city, 'subordinates')).find((job) => job.id === jobId)).toMatchObject({ status: 'expired', message: '已下载，文件已从系统删除' });
  });

  it('is reached by no other door: not the teacher export’s, not another source’s right', async () => {
    const city = await actorFor('520100.admin');
    const { jobId } = await requestCredentialSheet(city, { unitIds: [(await getUnitByCode('520122')).id] });
    await runCredentialSheet(jobId);
    // The teacher export's list, job and file lookups know only teacher exports.
    await expect(getExportJob(city, jobId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(openExportFile(city, jobId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listExportJobs(city)).map((job) => job.id)).not.toContain(jobId);
    // The same account holding only the teachers' right (as a school's sysadmin would) cannot take it.
    const onlyTeachersRight = { ...city, unitKind: 'school' as const };
    expect([can(onlyTeachersRight, 'credential.issue'), can(onlyTeachersRight, 'teacher.create')]).toEqual([false, true]);
    await expect(takeCredentialSheet(onlyTeachersRight, jobId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await jobRow(jobId)).toMatchObject({ status: 'done' });
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBeGreaterThan(1);
  });

  it('refuses a unit out of reach at once: no job, no audit row, no password changed', async () => {
    const city = await actorFor('520100.admin');
    const foreign = await getUnitByCode('520201');
    const own = await getUnitByCode('520111');
    const jobsBefore = await count(sql`select count(*)::int as n from export_jobs where account_id = ${city.accountId}`);
    const requestsBefore = await auditCount('account.credentials.request');
    const ownBefore = await getAccount('520111.admin');
    await expect(requestCredentialSheet(city, { unitIds: [own.id, foreign.id] })).rejects.toBeInstanceOf(NotFoundError);
    expect(await count(sql`select count(*)::int as n from export_jobs where account_id = ${city.accountId}`)).toBe(jobsBefore);
    expect(await auditCount('account.credentials.request')).toBe(requestsBefore);
    expect(await getAccount('520111.admin')).toEqual(ownBefore);
  });

  it('ends the job without issuing anything when the requester is disabled before it runs', async () => {
    const city = await actorFor('520100.admin');
    const county = await getUnitByCode('520112');
    const before = await getAccount('520112.admin');
    const { jobId } = await requestCredentialSheet(city, { unitIds: [county.id] });
    const db = await getDb();
    await db.update(accounts).set({ status: 'disabled' }).where(eq(accounts.id, city.accountId));
    try {
      await runCredentialSheet(jobId);
    } finally {
      await db.update(accounts).set({ status: 'active' }).where(eq(accounts.id, city.accountId));
    }
    expect(await jobRow(jobId)).toMatchObject({ status: 'failed', message: '账号已停用，分发表未生成' });
    expect(await getAccount('520112.admin')).toEqual(before);
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBe(0);
  });

  it('fails the job when the sheet cannot be stored, storing nothing and changing no password', async () => {
    const city = await actorFor('520100.admin');
    const county = await getUnitByCode('520121');
    const before = await getAccount('520121.admin');
    const { jobId } = await requestCredentialSheet(city, { unitIds: [county.id] });
    const keys = process.env.DATA_ENCRYPTION_KEYS;
    // No key to encrypt the sheet with: storing its piece fails inside the worker's transaction.
    process.env.DATA_ENCRYPTION_KEYS = '';
    try {
      await runCredentialSheet(jobId, { last: true });
    } finally {
      process.env.DATA_ENCRYPTION_KEYS = keys;
    }
    expect(await jobRow(jobId)).toMatchObject({ status: 'failed', message: '生成分发表时出错，请稍后重新生成' });
    expect(await getAccount('520121.admin')).toEqual(before);
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBe(0);
  });

  it('makes a school’s sheet for its teachers without a password, naming each by the ID number they sign in with', async () => {
    const own = await school('520102');
    const other = await school('520103');
    const db = await getDb();
    const created = [];
    for (const name of ['分发教师甲', '分发教师乙']) {
      const input = registration({ name });
      const { teacherId } = await createTeacher(own.sysadmin, input);
      const [{ accountId }] = await db.select({ accountId: teachers.accountId }).from(teachers).where(eq(teachers.id, teacherId));
      created.push({ accountId: accountId!, idNumber: input.idNumber });
    }
    // As the teacher import leaves them: accounts without a password.
    for (const { accountId } of created) await db.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, accountId));
    await expect(requestTeacherCredentialSheet(other.sysadmin)).rejects.toBeInstanceOf(ValidationError);

    const { jobId } = await requestTeacherCredentialSheet(own.sysadmin);
    expect(await jobRow(jobId)).toMatchObject({ status: 'queued', total: 2 });
    // One open sheet per school: a second would name the same teachers.
    const jobsBefore = await count(sql`select count(*)::int as n from export_jobs where unit_id = ${own.school.id}`);
    await expect(requestTeacherCredentialSheet(own.sysadmin)).rejects.toThrow('已有正在生成或待下载');
    expect(await count(sql`select count(*)::int as n from export_jobs where unit_id = ${own.school.id}`)).toBe(jobsBefore);
    await runCredentialSheet(jobId);
    expect(await jobRow(jobId)).toMatchObject({ status: 'done', rows: 2 });
    // Not the other school's.
    await expect(takeCredentialSheet(other.sysadmin, jobId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listCredentialSheets(own.sysadmin, 'teachers')).map((job) => job.id)).toContain(jobId);

    const rows = await sheetRows((await takeCredentialSheet(own.sysadmin, jobId)).file);
    expect(rows.map((r) => r.username).sort()).toEqual(created.map((c) => c.idNumber).sort());
    for (const row of rows) expect((await authenticate({ username: row.username, password: row.password, ip: '10.52.0.2' })).ok).toBe(true);
    // Everyone has a password now: nothing left to issue.
    await expect(requestTeacherCredentialSheet(own.sysadmin)).rejects.toThrow('本校教师都已发放初始密码');
  });

  it('voids a teachers’ sheet whose teacher got a password meanwhile, setting none of its passwords', async () => {
    const own = await school('520103');
    const db = await getDb();
    const accountIds: number[] = [];
    for (const name of ['作废教师甲', '作废教师乙']) {
      const { teacherId } = await createTeacher(own.sysadmin, registration({ name }));
      const [{ accountId }] = await db.select({ accountId: teachers.accountId }).from(teachers).where(eq(teachers.id, teacherId));
      accountIds.push(accountId!);
    }
    for (const accountId of accountIds) await db.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, accountId));
    const { jobId } = await requestTeacherCredentialSheet(own.sysadmin);
    await runCredentialSheet(jobId);
    // One teacher gets a password another way before the sheet is taken.
    await db.update(accounts).set({ passwordHash: 'set-elsewhere' }).where(eq(accounts.id, accountIds[0]));
    await expect(takeCredentialSheet(own.sysadmin, jobId)).rejects.toThrow('已另行发放');
    const [second] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountIds[1]));
    expect(second.passwordHash).toBeNull();
    expect(await jobRow(jobId)).toMatchObject({ status: 'expired' });
    expect((await jobRow(jobId)).message).toContain('分发表作废');
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBe(0);
    expect(await auditCount('account.credentials.download', jobId)).toBe(0);
  });

  it('is made by a node that starts after the request: the queue keeps it across a restart', async () => {
    const city = await actorFor('520100.admin');
    const county = await getUnitByCode('520113');
    await closeJobQueue();
    const { jobId } = await requestCredentialSheet(city, { unitIds: [county.id] });
    await closeJobQueue();
    expect((await jobRow(jobId)).status).toBe('queued');
    await startJobWorkers();
    const until = Date.now() + 30_000;
    while ((await jobRow(jobId)).status !== 'done') {
      if (Date.now() > until) throw new Error(`sheet still ${(await jobRow(jobId)).status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [row] = await sheetRows((await takeCredentialSheet(city, jobId)).file);
    expect(await verifyPassword((await getAccount('520113.admin')).passwordHash, row.password)).toBe(true);
    await closeJobQueue();
  });

  it.skipIf(!onServer)('stores nothing when another attempt took the job over before this one committed', async () => {
    const city = await actorFor('520100.admin');
    const county = await getUnitByCode('520115');
    const { jobId } = await requestCredentialSheet(city, { unitIds: [county.id] });
    const db = await getDb();
    // Hold the key of the hashes' piece so the worker waits inside its transaction, then hand the job to "another node".
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into job_file_chunks (job_id, seq, bytes) values (${jobId}::uuid, -1, '\\x00'::bytea)`);
        locked();
        await released;
        tx.rollback();
      })
      .catch(() => {});
    await isLocked;
    const run = runCredentialSheet(jobId);
    const until = Date.now() + 20_000;
    while (!(await count(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into job_file_chunks%'`))) {
      if (Date.now() > until) throw new Error('the worker never waited on the piece');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await db.execute(sql`update export_jobs set attempts = attempts + 1 where id = ${jobId}::uuid`);
    release();
    await holder;
    await run;
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBe(0);
    // The attempt that holds the job now finishes it.
    expect(await jobRow(jobId)).toMatchObject({ status: 'running', rows: null });
  });
});
