import ExcelJS from 'exceljs';
import { workbookBytes } from '@/lib/spreadsheet/write';
import type { RetiringRow } from './queries';

/** 即将退休 as xlsx: the rows of the page, ID numbers masked as everywhere in lists. */
export async function buildRetiringWorkbook(unitName: string, rows: RetiringRow[], window: { from: string; until: string }, generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const sheet = workbook.addWorksheet('即将退休', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([`${unitName} 即将退休教师（${window.from.slice(0, 7)} 起 12 个月；导出时间 ${generatedAt}）`]).font = { bold: true, size: 13 };
  const header = ['姓名', '证件号码', '性别', '出生日期', '单位', '人员状态', '退休年月', '退休年龄'];
  sheet.addRow(header).font = { bold: true };
  sheet.columns = header.map((h, i) => ({ width: i === 4 ? 32 : i === 1 ? 22 : 14 }));
  for (const row of rows) sheet.addRow([row.name, row.idNumberMasked, row.gender, row.birthDate, row.unitName, row.statusName, row.retirementMonth, row.retirementAge]);
  return await workbookBytes(workbook);
}
