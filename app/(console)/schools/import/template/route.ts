import ExcelJS from 'exceljs';
import { notFound } from 'next/navigation';
import { can } from '@/lib/auth/policy';
import { requireActor } from '@/lib/auth/session';
import { schoolTypes } from '@/lib/reference/school-types';
import { schoolListColumns } from '@/lib/schools/schemas';
import { fileResponse } from '@/lib/http/download';
import { workbookBytes } from '@/lib/spreadsheet/write';

export async function GET() {
  const actor = await requireActor();
  if (!can(actor, 'school.import')) notFound();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单');
  sheet.columns = Object.values(schoolListColumns).map((header) => ({ header, width: header.length * 3 + 6, style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  for (let row = 2; row <= 2000; row++) {
    sheet.getCell(row, 6).dataValidation = { type: 'list', allowBlank: false, formulae: ['"公办,民办"'] };
    sheet.getCell(row, 7).dataValidation = { type: 'list', allowBlank: true, formulae: ['"正常,撤销"'] };
  }
  const guide = workbook.addWorksheet('填写说明');
  guide.columns = [{ width: 24 }, { width: 70 }];
  guide.addRows([
    ['列', '说明'],
    [schoolListColumns.code, '10 位数字：2 位学校类别 + 2 位省份代码 + 6 位顺序号'],
    [schoolListColumns.name, '学校全称，不超过 100 字'],
    [schoolListColumns.schoolTypeCode, '3 位办学类型代码，见下表'],
    [schoolListColumns.divisionCode, '学校所在地 6 位行政区划代码'],
    [schoolListColumns.authorityCode, '主管教育行政部门代码：县/市为其行政区划代码，省级为省代码，教育部为 000000。高校由省级或教育部主管，其余由县级或市级主管'],
    [schoolListColumns.ownership, '公办 或 民办'],
    [schoolListColumns.status, '留空或“正常”；学校撤销时填“撤销”'],
    [],
    ['办学类型代码', '名称（学段）'],
    ...[...schoolTypes.values()].map((t) => [t.code, `${t.name}（${t.stageName}）`]),
  ]);
  guide.getRow(1).font = { bold: true };
  const buffer = await workbookBytes(workbook);
  return fileResponse(buffer, '学校名单导入模板.xlsx');
}
