import ExcelJS from 'exceljs';
import { formatDateTime } from '@/lib/format';
import { workbookBytes } from '@/lib/spreadsheet/write';
import { auditActionNames, auditTargetNames, describeAuditDetail } from './labels';
import type { AuditListItem } from './queries';

/** The audit rows as a workbook for archiving: readable columns and the raw detail beside them. */
export async function buildAuditWorkbook(rows: AuditListItem[], footer: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '序号', width: 10 },
    { header: '时间', width: 20 },
    { header: '操作账号', width: 22 },
    { header: '操作', width: 20 },
    { header: '对象', width: 32 },
    { header: '详情', width: 48 },
    { header: 'IP', width: 16 },
    { header: '原始详情', width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow([
      row.id,
      formatDateTime(row.occurredAt),
      row.actorUsername ?? '',
      auditActionNames[row.action] ?? row.action,
      row.targetType ? `${auditTargetNames[row.targetType] ?? row.targetType} ${row.targetLabel ?? row.targetId ?? ''}` : '',
      describeAuditDetail(row.detail, formatDateTime),
      row.ip ?? '',
      row.detail ? JSON.stringify(row.detail) : '',
    ]);
  }
  sheet.addRow([]);
  sheet.addRow([footer]);
  return workbookBytes(workbook);
}
