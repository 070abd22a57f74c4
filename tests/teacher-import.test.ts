import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { importJobs, teacherEntries, teachers } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { ConflictError, ForbiddenError } from '@/lib/errors';
import { resolveCatalogue } from '@/lib/indicators/settings';
import { getImportErrorFile, getImportJob } from '@/lib/teacher-import/queries';
import { confirmImport, runImportJob, startImportValidation } from '@/lib/teacher-import/service';
import { buildImportTemplate } from '@/lib/teacher-import/template';
import { createTeacher } from '@/lib/teachers/registration/service';
import { saveSection } from '@/lib/teachers/editing/service';
import { applyRollupDeltas } from '@/lib/units/service';
import { actorFor, registration, seedSchool } from './support/factories';
import { activeKeyId, keyIdOf } from '@/lib/crypto/envelope';
import { idNumberHash } from '@/lib/teachers/identity';
import { closeJobQueue } from '@/lib/db/job-queue';
import { startJobWorkers } from '@/lib/jobs/service';
import type { ImportJobView } from '@/lib/teacher-import/schemas';

type SheetRows = Record<string, Record<string, string>[]>;

/** Fills the real template the way a user would, sheet by sheet under its headers. */
async function fillTemplate(rows: SheetRows, options: { renameHeader?: [string, string, string]; dropSheet?: string } = {}): Promise<Uint8Array> {
  const template = await buildImportTemplate(resolveCatalogue(null, 'primary_secondary'), '测试');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  for (const [sheetName, list] of Object.entries(rows)) {
    const sheet = workbook.getWorksheet(sheetName)!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    for (const row of list) sheet.addRow(headers.map((h) => row[h] ?? ''));
  }
  if (options.renameHeader) {
    const [sheetName, from, to] = options.renameHeader;
    const sheet = workbook.getWorksheet(sheetName)!;
    sheet.getRow(1).eachCell((cell) => {
      if (cell.value === from) cell.value = to;
    });
  }
  if (options.dropSheet) workbook.removeWorksheet(workbook.getWorksheet(options.dropSheet)!.id);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function basicRow(overrides: Partial<Record<string, string>> = {}) {
  const r = registration();
  return {
    身份证件类型: '居民身份证',
    身份证件号码: r.idNumber,
    姓名: '导入教师',
    性别: r.gender === '1' ? '男' : '女',
    出生日期: r.birthDate,
    '国籍/地区': '中国',
    民族: '汉族',
    政治面貌: '群众',
    是否在编: '是',
    岗位类别: '教师岗位',
    人员状态: '在本单位任职',
    参加工作年月: '2008-08',
    进本校年月: '2012-09',
    教职工号: 'IMP-1',
    ...overrides,
  } as Record<string, string>;
}

async function validate(actor: Actor, bytes: Uint8Array, name = 'teachers.xlsx') {
  const started = await startImportValidation(actor, { name, bytes });
  await runImportJob(started.jobId);
  return getImportJob(actor, started.jobId);
}

async function teacherCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(teachers);
  return row.n;
}

async function schoolManager() {
  const school = await seedSchool({ authorityCode: '330106' });
  return { school, manager: await actorFor(`${school.code}.manager`), sysadmin: await actorFor(`${school.code}.admin`) };
}

afterEach(() => {
  delete process.env.TEACHER_IMPORT_MAX_ROWS;
});

describe('teacher import', () => {
  it('validates, then imports new teachers and updates drafts in one go, with entries and derived education', async () => {
    const { manager, sysadmin, school } = await schoolManager();
    const existing = registration();
    const { teacherId } = await createTeacher(sysadmin, existing);
    const a = basicRow({ 姓名: '甲老师' });
    const b = basicRow({ 姓名: '乙老师', 政治面貌: '中国共产党党员、中国民主同盟盟员' });
    const update = { 身份证件号码: existing.idNumber, 教职工号: 'UPD-9', 健康状况: '健康或良好' };
    const bytes = await fillTemplate({
      基本信息: [a, b, update],
      学习经历: [
        { 身份证件号码: a.身份证件号码, 获得学历: '硕士研究生毕业', '获得学历的国家/地区': '中国', 获得学历的院校或机构: '华东师范大学', 入学年月: '2008-09', 毕业年月: '2011-06', 学位层次: '硕士' },
        { 身份证件号码: a.身份证件号码, 获得学历: '大学本科毕业', '获得学历的国家/地区': '中国', 获得学历的院校或机构: '浙江师范大学', 入学年月: '2004-09', 毕业年月: '2008-06', 学位层次: '学士' },
      ],
      联系方式: [{ 身份证件号码: b.身份证件号码, 手机号码: '13800001111' }],
    });
    const before = await teacherCount();
    const job = await validate(manager, bytes);
    expect(job.status).toBe('valid');
    expect(job.summary).toMatchObject({ rows: 6, toCreate: 2, toUpdate: 1, entries: 2 });
    expect(await teacherCount()).toBe(before);

    await confirmImport(manager, job.id);
    await runImportJob(job.id);
    const done = await getImportJob(manager, job.id);
    expect(done.status).toBe('done');
    expect(done.summary).toMatchObject({ created: 2, updated: 1 });
    expect(await teacherCount()).toBe(before + 2);
    const db = await getDb();
    const [imported] = await db.select().from(teachers).where(eq(teachers.idNumberHash, idNumberHash(a.身份证件号码)));
    expect(imported).toMatchObject({ unitId: school.id, name: '甲老师', highestEducation: '14', highestDegree: '3', recordState: 'draft', staffNumber: 'IMP-1' });
    expect(await db.select().from(teacherEntries).where(eq(teacherEntries.teacherId, imported.id))).toHaveLength(2);
    const [withContact] = await db.select().from(teachers).where(eq(teachers.idNumberHash, idNumberHash(b.身份证件号码)));
    expect(withContact.record.contact).toEqual({ mobile: '13800001111' });
    expect(withContact.record.basic.politicalStatus).toEqual(['01', '05']);
    const [updated] = await db.select().from(teachers).where(eq(teachers.id, teacherId));
    expect(updated).toMatchObject({ staffNumber: 'UPD-9', name: existing.name });
    // Importing the same job twice is refused.
    await expect(confirmImport(manager, job.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('imports nothing when a record changed, or an ID number was registered elsewhere, after validation', async () => {
    const { manager, sysadmin } = await schoolManager();
    const existing = registration();
    const { teacherId } = await createTeacher(sysadmin, existing);
    const fresh = basicRow({ 姓名: '丙老师' });
    const bytes = await fillTemplate({ 基本信息: [fresh, { 身份证件号码: existing.idNumber, 教职工号: 'UPD-1', 健康状况: '健康或良好' }] });
    const before = await teacherCount();

    const edited = await validate(manager, bytes);
    expect(edited.status).toBe('valid');
    const [row] = await (await getDb()).select({ revision: teachers.revision }).from(teachers).where(eq(teachers.id, teacherId));
    await saveSection(manager, { teacherId, revision: row.revision, subset: 'basic', values: { staffNumber: 'HAND-1' } });
    await confirmImport(manager, edited.id);
    await runImportJob(edited.id);
    expect(await getImportJob(manager, edited.id)).toMatchObject({ status: 'failed', message: expect.stringMatching(/被修改|重新上传校验/) });
    expect(await teacherCount()).toBe(before);

    const taken = await validate(manager, bytes);
    expect(taken.status).toBe('valid');
    const elsewhere = await schoolManager();
    const [d, m, y] = [fresh.出生日期, fresh.性别, fresh.身份证件号码];
    await createTeacher(elsewhere.sysadmin, registration({ idNumber: y, birthDate: d, gender: m === '男' ? '1' : '2' }));
    await confirmImport(manager, taken.id);
    await runImportJob(taken.id);
    expect(await getImportJob(manager, taken.id)).toMatchObject({ status: 'failed', message: expect.stringMatching(/无法登记/) });
    expect(await teacherCount()).toBe(before + 1);
  });

  it('only a school information manager imports, and sees only their own jobs', async () => {
    const { sysadmin, manager } = await schoolManager();
    await expect(startImportValidation(sysadmin, { name: 'a.xlsx', bytes: new Uint8Array([1]) })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(startImportValidation(await actorFor('330106.manager'), { name: 'a.xlsx', bytes: new Uint8Array([1]) })).rejects.toBeInstanceOf(ForbiddenError);
    const job = await validate(manager, await fillTemplate({ 基本信息: [basicRow()] }));
    const other = await schoolManager();
    await expect(getImportJob(other.manager, job.id)).rejects.toThrow('导入任务不存在');
    await expect(confirmImport(other.manager, job.id)).rejects.toThrow('导入任务不存在');
  });

  it('turns away bad files with a clear message and writes nothing', async () => {
    const { manager, sysadmin } = await schoolManager();
    const elsewhere = await schoolManager();
    const held = registration();
    await createTeacher(elsewhere.sysadmin, held);
    const effective = registration();
    const { teacherId: effectiveId } = await createTeacher(sysadmin, effective);
    const db = await getDb();
    // A shortcut to an effective record; the progress totals are kept in step as the workflow would.
    await db.transaction(async (tx) => {
      const [row] = await tx.update(teachers).set({ recordState: 'effective', complete: true }).where(eq(teachers.id, effectiveId)).returning({ path: teachers.unitPath });
      await applyRollupDeltas(tx, [{ path: row.path, recordsEffective: 1, recordsComplete: 1 }]);
    });
    const dup = basicRow();
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

    const cases: { name: string; file: () => Promise<[string, Uint8Array]>; expect: RegExp; env?: string }[] = [
      { name: 'wrong type', file: async () => ['teachers.csv', new TextEncoder().encode('姓名\n王')], expect: /文件类型不支持.*\.csv 文件请在 Excel 或 WPS 中“另存为” \.xlsx/ },
      { name: 'empty', file: async () => ['teachers.xlsx', new Uint8Array()], expect: /空的/ },
      { name: 'corrupt', file: async () => ['teachers.xlsx', new TextEncoder().encode('PK\u0003\u0004 not really a zip')], expect: /无法读取/ },
      { name: 'password-protected', file: async () => ['teachers.xlsx', ole], expect: /被加密/ },
      { name: 'missing sheet', file: async () => ['t.xlsx', await fillTemplate({ 学习经历: [] }, { dropSheet: '基本信息' })], expect: /缺少工作表“基本信息”/ },
      { name: 'header only', file: async () => ['t.xlsx', await fillTemplate({})], expect: /没有数据行/ },
      { name: 'renamed header', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow()] }, { renameHeader: ['基本信息', '民族', '民族名称'] })], expect: /表头“民族名称”不是本省指标/ },
      { name: 'over the row limit', env: '3', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow(), basicRow(), basicRow(), basicRow()] })], expect: /超过 3 行/ },
      { name: 'bad ID number', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 身份证件号码: '110105194912310021' })] })], expect: /校验位/ },
      { name: 'birth date not the ID one', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 出生日期: '1901-01-01' })] })], expect: /出生日期与身份证号码不一致/ },
      { name: 'duplicate in file', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [dup, { ...dup, 姓名: '重复' }] })], expect: /与第 2 行的证件号码重复/ },
      { name: 'registered at another school', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 身份证件号码: held.idNumber, 出生日期: held.birthDate, 性别: held.gender === '1' ? '男' : '女' })] })], expect: /无法登记.*教师调动/ },
      { name: 'effective record', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [{ 身份证件号码: effective.idNumber, 教职工号: 'X' }] })], expect: /已报送或已生效，不能通过导入覆盖/ },
      { name: 'unknown code', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 民族: '火星族' })] })], expect: /“火星族”不在代码表中/ },
      { name: 'cross-field rule', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 进本校年月: '2001-01' })] })], expect: /进本校年月不能早于参加工作年月/ },
      { name: 'retired person', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow({ 人员状态: '退休' })] })], expect: /已离开本单位的人员/ },
      { name: 'entry for an unknown teacher', file: async () => ['t.xlsx', await fillTemplate({ 基本信息: [basicRow()], 工作经历: [{ 身份证件号码: registration().idNumber, 任职单位名称: '某校', 任职开始年月: '2001-01' }] })], expect: /不在本校，也不在本文件/ },
    ];
    for (const c of cases) {
      if (c.env) process.env.TEACHER_IMPORT_MAX_ROWS = c.env;
      const before = await teacherCount();
      const [name, bytes] = await c.file();
      const job = await validate(manager, bytes, name);
      delete process.env.TEACHER_IMPORT_MAX_ROWS;
      const text = `${job.message ?? ''} ${(job.summary?.issues ?? []).map((i) => i.message).join(' ')}`;
      expect.soft(text, c.name).toMatch(c.expect);
      expect.soft(job.status, c.name).toBe('invalid');
      expect(await teacherCount(), c.name).toBe(before);
      if (job.summary?.issues?.length) {
        await expect(confirmImport(manager, job.id)).rejects.toBeInstanceOf(ConflictError);
        // At rest the uploaded file is gone with the job's end, and the error report is encrypted.
        const [stored] = await (await getDb()).select({ file: importJobs.file, errorFile: importJobs.errorFile }).from(importJobs).where(eq(importJobs.id, job.id));
        expect(stored.file, c.name).toBeNull();
        expect(keyIdOf(stored.errorFile!), c.name).toBe(activeKeyId());
        expect(Buffer.from(stored.errorFile!).subarray(0, 2).toString(), c.name).not.toBe('PK');
        const errorFile = await getImportErrorFile(manager, job.id);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(errorFile.content as unknown as ArrayBuffer);
        const issue = job.summary.issues[0];
        const sheet = workbook.getWorksheet(issue.sheet)!;
        const headers = (sheet.getRow(1).values as string[]).slice(1);
        expect(headers.at(-1), c.name).toMatch(/^错误原因/);
        if (issue.rowNumber > 1) {
          const reasons = sheet.getColumn(headers.length).values.slice(2).map(String).join(' ');
          expect(reasons, c.name).toContain(issue.message);
        }
      }
    }
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(importJobs).where(sql`${importJobs.status} = 'done' and ${importJobs.accountId} = ${manager.accountId}`);
    expect(n).toBe(0);
  });

  it('runs on the durable queue: a file uploaded while no node works is validated once a node starts, then imported by the worker', async () => {
    const { manager } = await schoolManager();
    const bytes = await fillTemplate({ 基本信息: [basicRow({ 姓名: '队列教师' })] });
    const waitFor = async (jobId: string, status: ImportJobView['status']) => {
      // The worker may first finish jobs earlier tests left queued.
      for (const until = Date.now() + 60_000; ; ) {
        const job = await getImportJob(manager, jobId);
        if (job.status === status) return job;
        if (Date.now() > until) throw new Error(`import still ${job.status}, expected ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await closeJobQueue();
    const { jobId } = await startImportValidation(manager, { name: 'queued.xlsx', bytes });
    // The node stops before any worker took the job.
    await closeJobQueue();
    expect(await getImportJob(manager, jobId)).toMatchObject({ status: 'validating', progress: { phase: '排队等待校验' } });
    const before = await teacherCount();
    await startJobWorkers();
    expect((await waitFor(jobId, 'valid')).summary).toMatchObject({ rows: 1, toCreate: 1 });
    expect(await teacherCount()).toBe(before);
    await confirmImport(manager, jobId);
    expect(await waitFor(jobId, 'done')).toMatchObject({ summary: expect.objectContaining({ created: 1 }), progress: null });
    expect(await teacherCount()).toBe(before + 1);
    await closeJobQueue();
  }, 120_000);
});
