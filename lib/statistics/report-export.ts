import ExcelJS from 'exceljs';
import type { ReportTable } from './reports';
import { workbookBytes } from '@/lib/spreadsheet/write';

/** A standard report as xlsx: title, scope line, header row, one row per item with its total, and a total row. */
export async function buildReportWorkbook(report: ReportTable, generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const sheet = workbook.addWorksheet(report.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 3, xSplit: 1 }] });
  sheet.addRow([`${report.unitName} ${report.title}`]).font = { bold: true, size: 13 };
  sheet.addRow([`${report.official ? '正式数据（仅审核生效的记录）' : '工作数据（含草稿和已报送记录，非正式数据）'}；统计时间 ${generatedAt}`]);
  const header = sheet.addRow([report.rowHeader, ...report.columns.map((c) => c.label), '合计']);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2E8F0' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const row of report.rows) sheet.addRow([row.label, ...row.cells, row.total]);
  const total = sheet.addRow(['合计', ...report.columnTotals, report.total]);
  total.font = { bold: true };
  total.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
  sheet.getColumn(1).width = 28;
  for (let i = 2; i <= report.columns.length + 2; i++) sheet.getColumn(i).width = 12;
  return await workbookBytes(workbook);
}
