import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { closeJobQueue, jobQueueSchema, jobQueues, queueOptions } from '@/lib/db/job-queue';
import { NotFoundError } from '@/lib/errors';
import { startJobWorkers } from '@/lib/jobs/service';
import { getExportJob, openExportFile } from '@/lib/teacher-export/queries';
import { requestTeacherExport } from '@/lib/teacher-export/service';
import type { ExportJobView } from '@/lib/teacher-export/schemas';
import { createTeacher } from '@/lib/teachers/registration/service';
import type { Actor } from '@/lib/auth/actor';
import { registration, school, type SchoolFixture } from './support/factories';

// Small pieces, so that even a test file is stored in several; a node looks for dead workers every 2 s.
process.env.EXPORT_CHUNK_BYTES = '2048';
process.env.JOB_QUEUE_SUPERVISE_SECONDS = '2';
const onServer = Boolean(process.env.DATABASE_URL);

let own: SchoolFixture;
const teacherCount = 30;

beforeAll(async () => {
  own = await school('510106');
  for (let i = 0; i < teacherCount; i++) await createTeacher(own.sysadmin, registration({ name: `导出教师${i}` }));
});

afterAll(async () => {
  await closeJobQueue({ graceful: false });
});

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await (await getDb()).execute(query))[0].n;
}

async function waitFor(actor: Actor, jobId: string, status: ExportJobView['status'], timeoutMs = 45_000): Promise<ExportJobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await getExportJob(actor, jobId);
    if (job.status === status) return job;
    if (Date.now() > until) throw new Error(`export still ${job.status} (${job.message ?? ''}), expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function download(actor: Actor, jobId: string): Promise<ExcelJS.Workbook> {
  const file = await openExportFile(actor, jobId);
  const pieces: Buffer[] = [];
  for await (const piece of file.pieces) pieces.push(piece);
  expect(Buffer.concat(pieces).length).toBe(file.bytes);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(pieces) as unknown as ArrayBuffer);
  return workbook;
}

function namesIn(sheet: ExcelJS.Worksheet): string[] {
  const names: string[] = [];
  sheet.eachRow((row, n) => n > 1 && typeof row.getCell(4).value === 'string' && names.push(row.getCell(4).value as string));
  return names;
}

describe('teacher export on the durable job queue', () => {
  it('is made by a worker into stored pieces, with its progress in the database; the file is masked, audited, and audited again at each download', async () => {
    await startJobWorkers();
    const { jobId } = await requestTeacherExport(own.manager, { filters: { unitId: own.school.id }, subsets: ['basic'], official: false });
    const job = await waitFor(own.manager, jobId, 'done');
    expect(job).toMatchObject({ rows: teacherCount, unmasked: 0, done: teacherCount, total: teacherCount });
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid`)).toBeGreaterThan(1);
    // Stored encrypted: no piece carries the zip's signature in clear.
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid and position('\\x504b0304'::bytea in bytes) = 1`)).toBe(0);

    const downloadsBefore = await count(sql`select count(*)::int as n from audit_log where action = 'teacher.export.download' and target_id = ${jobId}`);
    const workbook = await download(own.manager, jobId);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('基本信息');
    const names = namesIn(sheet);
    for (let i = 0; i < teacherCount; i++) expect(names).toContain(`导出教师${i}`);
    const ids: string[] = [];
    sheet.eachRow((row, n) => n > 1 && n <= teacherCount + 1 && ids.push(String(row.getCell(3).value)));
    expect(ids.every((id) => /^\d{4}\*{10}[\dX]{4}$/.test(id))).toBe(true);
    expect(String(sheet.getRow(teacherCount + 3).getCell(1).value)).toContain(`共 ${teacherCount} 人`);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'teacher.export' and detail ->> 'job' = ${jobId} and (detail ->> 'rows')::int = ${teacherCount}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'teacher.export.download' and target_id = ${jobId}`)).toBe(downloadsBefore + 1);

    // Another account sees neither the job nor its file, and nothing is audited for it.
    const other = await school('510107');
    await expect(getExportJob(other.manager, jobId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(openExportFile(other.manager, jobId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'teacher.export.download' and target_id = ${jobId}`)).toBe(downloadsBefore + 1);
  });

  it('survives a restart: an export asked for while no node works is made once a node starts', async () => {
    await closeJobQueue();
    const { jobId } = await requestTeacherExport(own.manager, { filters: { unitId: own.school.id }, subsets: ['basic'], official: false });
    await closeJobQueue();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await getExportJob(own.manager, jobId)).status).toBe('queued');
    // The restart: a new queue client and this node's workers.
    await startJobWorkers();
    const job = await waitFor(own.manager, jobId, 'done');
    expect(job.rows).toBe(teacherCount);
    expect(namesIn((await download(own.manager, jobId)).worksheets[0])).toHaveLength(teacherCount);
  });

  it.skipIf(!onServer)('moves to another node when the one making it dies mid-file, and starts the file over', async () => {
    await closeJobQueue();
    // Node B: takes the job, claims it as the real worker does, writes a piece of garbage, and dies.
    const nodeB = new PgBoss({ connectionString: process.env.DATABASE_URL, schema: jobQueueSchema, superviseIntervalSeconds: 2, max: 2 });
    nodeB.on('error', () => {});
    await nodeB.start();
    await nodeB.createQueue(jobQueues.teacherExport, queueOptions);
    let claimed: (value: string) => void;
    const took = new Promise<string>((resolve) => (claimed = resolve));
    await nodeB.work<{ jobId: string }>(jobQueues.teacherExport, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      const db = await getDb();
      await db.execute(sql`update export_jobs set status = 'running', attempts = attempts + 1 where id = ${job.data.jobId}::uuid`);
      await db.execute(sql`insert into job_file_chunks (job_id, seq, bytes) values (${job.data.jobId}::uuid, 0, '\\xdeadbeef'::bytea), (${job.data.jobId}::uuid, 500, '\\xdeadbeef'::bytea)`);
      claimed(job.data.jobId);
      await new Promise(() => {});
    });
    const { jobId } = await requestTeacherExport(own.manager, { filters: { unitId: own.school.id }, subsets: ['basic', 'contact'], official: false });
    expect(await took).toBe(jobId);
    await nodeB.stop({ graceful: false, close: true, timeout: 1000 });
    expect((await getExportJob(own.manager, jobId)).status).toBe('running');
    // This node works the queue; once B's heartbeat is stale the job is retried here.
    await startJobWorkers();
    const job = await waitFor(own.manager, jobId, 'done', 55_000);
    expect(job.rows).toBe(teacherCount);
    expect(await count(sql`select attempts as n from export_jobs where id = ${jobId}::uuid`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from job_file_chunks where job_id = ${jobId}::uuid and seq = 500`)).toBe(0);
    const workbook = await download(own.manager, jobId);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['基本信息', '联系方式']);
    expect(namesIn(workbook.worksheets[0])).toHaveLength(teacherCount);
  }, 90_000);
});
