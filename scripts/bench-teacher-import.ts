import ExcelJS from 'exceljs';
import { performance } from 'node:perf_hooks';
import type { Actor } from '@/lib/auth/actor';
import { resolveCatalogue } from '@/lib/indicators/settings';
import { idCheckCharacter } from '@/lib/reference/id-number';
import { getImportJob } from '@/lib/teacher-import/queries';
import { confirmImport, runImportJob, startImportValidation } from '@/lib/teacher-import/service';
import { buildImportTemplate } from '@/lib/teacher-import/template';

export interface ImportTiming {
  megabytes: number;
  validateSeconds: number;
  importSeconds: number;
  status: string;
  rowsPerSecond: number;
}

/**
 * Builds an xlsx of `rows` new teachers from the import template and runs it through validation and
 * import as the given school manager. Sequence numbers 600–998 keep clear of generated ID numbers.
 */
export async function timeTeacherImport(importer: Actor, rows: number): Promise<ImportTiming> {
  const template = await buildImportTemplate(resolveCatalogue(null, 'primary_secondary'), 'bench');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('基本信息')!;
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  const base = Date.now() % 400;
  for (let i = 0; i < rows; i++) {
    const birth = `19${70 + (i % 25)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const first17 = `${String(110101 + ((base + Math.floor(i / 200)) % 900)).padStart(6, '0')}${birth}${String(600 + (i % 200) * 2).padStart(3, '0')}`;
    const row: Record<string, string> = {
      身份证件类型: '居民身份证', 身份证件号码: first17 + idCheckCharacter(first17), 姓名: `导入压测${i}`, 性别: '女',
      出生日期: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`, '国籍/地区': '中国', 民族: '汉族', 政治面貌: '群众',
      是否在编: '是', 岗位类别: '教师岗位', 人员状态: '在本单位任职', 教职工号: `I${i}`, 参加工作年月: '2015-08', 进本校年月: '2018-09',
      教职工来源: '应届毕业生', 教职工类别: '专任教师', 签订合同情况: '聘用合同', 健康状况: '健康或良好',
    };
    sheet.addRow(headers.map((h) => row[h] ?? ''));
  }
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  let started = performance.now();
  const validation = await startImportValidation(importer, { name: 'bench.xlsx', bytes });
  await runImportJob(validation.jobId);
  const checked = await getImportJob(importer, validation.jobId);
  const validateSeconds = (performance.now() - started) / 1000;
  if (checked.status !== 'valid') throw new Error(`bench file did not validate: ${checked.message} ${JSON.stringify(checked.summary?.issues?.slice(0, 3))}`);
  started = performance.now();
  await confirmImport(importer, validation.jobId);
  await runImportJob(validation.jobId);
  const done = await getImportJob(importer, validation.jobId);
  const importSeconds = (performance.now() - started) / 1000;
  return { megabytes: bytes.byteLength / 1024 / 1024, validateSeconds, importSeconds, status: done.status, rowsPerSecond: rows / (validateSeconds + importSeconds) };
}
