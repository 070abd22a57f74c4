import ExcelJS from 'exceljs';
import type { EffectiveCatalogue } from '@/lib/indicators/settings';
import { codeSheetName, guideSheetName, workbookLayout } from './layout';
import { workbookBytes } from '@/lib/spreadsheet/write';

const typeHints: Record<string, string> = {
  text: '文本',
  number: '数字',
  date: '日期，如 2020-09-01',
  month: '年月，如 2020-09',
  year: '年份，如 2025',
  code: '从下拉列表选择',
  codes: '可多选，用顿号“、”分隔',
  boolean: '是/否',
};

/** The 批量导入信息表 (seed 六(二)) for one province and stage: dropdowns come from a hidden code sheet. */
export async function buildImportTemplate(catalogue: EffectiveCatalogue, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const guide = workbook.addWorksheet(guideSheetName);
  const layout = workbookLayout(catalogue);
  const codes = workbook.addWorksheet(codeSheetName, { state: 'hidden' });
  let codeColumn = 0;
  const listRanges = new Map<string, string>();

  for (const sheetLayout of layout) {
    const sheet = workbook.addWorksheet(sheetLayout.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = sheetLayout.columns.map((column) => ({ header: column.header, width: Math.max(12, column.header.length * 2 + 4), style: { numFmt: '@' } }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    sheetLayout.columns.forEach((column, index) => {
      const cell = header.getCell(index + 1);
      const required = column.role === 'key' || column.field?.required;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: required ? 'FFFDE2E2' : 'FFEFF6FF' } };
      const field = column.field;
      if (column.role === 'key') cell.note = '必填：教师的身份证件号码，用于对应教师';
      else if (field) cell.note = `${required ? '必填；' : ''}${typeHints[field.type] ?? ''}`;
      if (!field || (field.type !== 'code' && field.type !== 'boolean')) return;
      let range = listRanges.get(field.id);
      if (!range) {
        codeColumn += 1;
        const letter = codes.getColumn(codeColumn).letter;
        codes.getCell(1, codeColumn).value = field.label;
        field.options.forEach((option, i) => (codes.getCell(i + 2, codeColumn).value = option.name));
        range = `'${codeSheetName}'!$${letter}$2:$${letter}$${field.options.length + 1}`;
        listRanges.set(field.id, range);
      }
      const letter = sheet.getColumn(index + 1).letter;
      // One rule for the whole column (Excel stores it as a single range, not a rule per cell).
      (sheet as unknown as { dataValidations: { add: (ref: string, rule: ExcelJS.DataValidation) => void } }).dataValidations.add(`${letter}2:${letter}5001`, {
        type: 'list',
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        errorTitle: '请从下拉列表选择',
        error: `“${field.label}”只能填写代码表中的值`,
      });
    });
  }

  guide.columns = [{ width: 110 }];
  const lines = [
    `${title}`,
    '',
    '1. 每个信息集一个工作表，请勿修改工作表名称和表头；不需要导入的工作表可以保留为空。',
    '2. “基本信息”表中的教师：系统中没有的将新建教师和教师账号（账号为证件号码，初始密码由学校系统管理员另行发放）；本校草稿状态的教师将被更新，空白单元格保留原值。',
    '3. 其他工作表以“身份证件号码”对应教师。某位教师在某个工作表中有记录时，将整体替换该教师该信息集的原有记录。',
    '4. 已报送或已生效的教师记录不会被导入覆盖，请通过变更申请修改。',
    '5. 代码类指标请从下拉列表中选择；可多选的指标用顿号“、”分隔。日期写作 2020-09-01，年月写作 2020-09。',
    '6. 红色表头为必填项。导入前系统会逐行校验，有任何错误都不会写入，可下载标注了错误的文件修改后重新上传。',
    '7. 出生日期必须与居民身份证号码一致；非在编人员须签订一年以上合同且为教师、其他专业技术或管理岗位，离退休人员不采集。',
  ];
  lines.forEach((line, i) => {
    const cell = guide.getCell(i + 1, 1);
    cell.value = line;
    cell.alignment = { wrapText: true };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  return await workbookBytes(workbook);
}
