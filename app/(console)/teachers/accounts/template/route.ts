import ExcelJS from 'exceljs';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { codeTables } from '@/lib/indicators/code-tables';
import { registrationColumns } from '@/lib/teachers/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { workbookBytes } from '@/lib/spreadsheet/write';

/** The 4-item registration sheet with dropdowns. */
export async function GET() {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.create')) return notFoundResponse();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('教师账号');
  const headers = Object.values(registrationColumns);
  sheet.columns = headers.map((header) => ({ header, width: 16, style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  const lists: Partial<Record<string, string[]>> = {
    [registrationColumns.gender]: codeTables.gender.map((i) => i.name),
    [registrationColumns.idType]: codeTables.idDocumentType.map((i) => i.name),
    [registrationColumns.onEstablishment]: ['是', '否'],
    [registrationColumns.contractOneYearOrMore]: ['是', '否'],
    [registrationColumns.postCategory]: codeTables.postCategory.map((i) => i.name),
  };
  headers.forEach((header, i) => {
    const list = lists[header];
    if (!list) return;
    const letter = sheet.getColumn(i + 1).letter;
    (sheet as unknown as { dataValidations: { add: (ref: string, rule: ExcelJS.DataValidation) => void } }).dataValidations.add(`${letter}2:${letter}2001`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${list.join(',')}"`],
    });
  });
  const guide = workbook.addWorksheet('填写说明');
  guide.getColumn(1).width = 100;
  ['每行一位教师，最多 2,000 行。出生日期写作 1985-03-15。', '证件类型留空时按居民身份证处理；居民身份证号码须与出生日期、性别一致。', '非在编人员须签订一年以上合同，且为教师、其他专业技术或管理岗位；离退休人员不采集。', '创建成功后下载的账号分发表含初始密码，仅此一次，请妥善保管。'].forEach((line, i) => (guide.getCell(i + 1, 1).value = line));
  return fileResponse(await workbookBytes(workbook), '教师账号批量创建模板.xlsx');
}
