import ExcelJS from 'exceljs';
import { workbookBytes } from '@/lib/spreadsheet/write';
import type { RotationPlan } from './queries';
import { formatPermille } from './schemas';

/** The county's rotation plan as xlsx: one row per school and the county's total, as the page shows them. */
export async function buildRotationPlanWorkbook(plan: RotationPlan, generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const sheet = workbook.addWorksheet(`${plan.year}学年交流轮岗计划`, { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([`${plan.county.name} ${plan.year} 学年（${plan.year}-09 至 ${plan.year + 1}-08）义务教育学校教师交流轮岗计划（导出时间 ${generatedAt}）`]).font = { bold: true, size: 13 };
  sheet.addRow([`目标：在本校任教满 ${plan.targets.eligibleYears} 年（${plan.joinedBy} 前进本校）的教师为应交流对象；每学年交流不少于应交流对象的 ${formatPermille(plan.targets.minSharePermille)}，其中骨干教师不少于 ${formatPermille(plan.targets.minKeySharePermille)}。`]);
  const header = ['学校代码', '学校名称', '应交流对象', '至少应交流', '本学年已安排', '其中骨干教师', '正在交流', '交流比例', '骨干教师占比', '交流比例达标', '骨干占比达标'];
  sheet.addRow(header).font = { bold: true };
  sheet.columns = header.map((_, i) => ({ width: i === 1 ? 36 : i === 0 ? 16 : 12 }));
  const yes = (value: boolean) => (value ? '是' : '否');
  for (const school of plan.schools) {
    sheet.addRow([school.code, school.name, school.eligible, school.required, school.planned, school.plannedKey, school.rotatingNow, formatPermille(school.sharePermille), formatPermille(school.keySharePermille), yes(school.meetsShare), yes(school.meetsKeyShare)]);
  }
  const total = plan.total;
  sheet.addRow(['', '全县合计', total.eligible, total.required, total.planned, total.plannedKey, total.rotatingNow, formatPermille(total.sharePermille), formatPermille(total.keySharePermille), yes(total.meetsShare), yes(total.meetsKeyShare)]).font = { bold: true };
  return await workbookBytes(workbook);
}
