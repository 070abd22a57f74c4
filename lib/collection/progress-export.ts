import ExcelJS from 'exceljs';
import type { ProgressView } from './queries';
import { progressStatusNames } from './schemas';
import { workbookBytes } from '@/lib/spreadsheet/write';

/** The progress table as xlsx: the same rows and order as the page, with the total last. */
export async function buildProgressWorkbook(view: ProgressView, generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const sheet = workbook.addWorksheet('采集进度', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([`${view.unit.name} 教师信息采集进度（统计时间 ${generatedAt}）`]).font = { bold: true, size: 13 };
  const header = ['单位代码', '单位名称', '登记教师', '记录完整', '完整率(%)', '已报送(含已生效)', '报送率(%)', '已生效', '生效率(%)', '被退回', '截止日期', '剩余天数', '状态'];
  sheet.addRow(header).font = { bold: true };
  sheet.columns = header.map((h, i) => ({ width: i === 1 ? 32 : Math.max(10, h.length * 2 + 2) }));
  for (const row of [...view.rows, view.total]) {
    sheet.addRow([row.code, row.name, row.teachers, row.complete, row.completePct, row.reported, row.reportedPct, row.effective, row.effectivePct, row.returned, row.deadline ?? '', row.daysLeft ?? '', progressStatusNames[row.status]]);
  }
  sheet.lastRow!.font = { bold: true };
  return await workbookBytes(workbook);
}
