import ExcelJS from 'exceljs';
import { displayValue, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { workbookBytes } from '@/lib/spreadsheet/write';

/** Builds the export workbook from rows already read and masked by the query layer. */
export interface ExportTeacher {
  unitCode: string;
  unitName: string;
  idNumber: string;
  name: string;
  recordState: string;
  record: Record<string, RecordValues>;
  entries: Record<string, RecordValues[]>;
}

export async function buildExportWorkbook(subsets: EffectiveSubset[], rows: ExportTeacher[], footer: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  for (const subset of subsets) {
    const fields = subset.fields.filter((field) => field.type !== 'photo' && field.key !== 'idNumber' && field.key !== 'name');
    const sheet = workbook.addWorksheet(subset.label, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: '学校标识码', width: 14 },
      { header: '学校名称', width: 28 },
      { header: '身份证件号码', width: 22 },
      { header: '姓名', width: 10 },
      ...(subset.key === 'basic' ? [{ header: '记录状态', width: 10 }] : []),
      ...fields.map((field) => ({ header: field.label, width: Math.max(12, field.label.length * 2 + 2) })),
    ];
    sheet.getRow(1).font = { bold: true };
    for (const teacher of rows) {
      const lead = [teacher.unitCode, teacher.unitName, teacher.idNumber, teacher.name];
      if (subset.multi) {
        for (const entry of teacher.entries[subset.key] ?? []) sheet.addRow([...lead, ...fields.map((field) => displayValue(field, entry[field.key]))]);
      } else {
        const values = teacher.record[subset.key] ?? {};
        sheet.addRow([...lead, ...(subset.key === 'basic' ? [teacher.recordState] : []), ...fields.map((field) => displayValue(field, values[field.key]))]);
      }
    }
    sheet.addRow([]);
    sheet.addRow([footer]);
  }
  return await workbookBytes(workbook);
}
