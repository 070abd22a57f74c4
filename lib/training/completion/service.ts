import 'server-only';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/service';
import { neutralizeFormula, workbookBytes } from '@/lib/spreadsheet/write';
import { completionStatusNames, listCompletionTeachers, type CompletionStatus } from './queries';

/** 培训完成情况 as xlsx: every serving teacher under the unit with their standing (ID numbers masked); audited. */
export async function exportCompletion(actor: Actor, options: { unitId?: number; status?: CompletionStatus }): Promise<{ fileName: string; bytes: Buffer }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('培训完成情况');
  sheet.addRow(['姓名', '身份证件号码（脱敏）', '所在单位', '周期', '已获学时', '已获学分', '完成进度', '状态']);
  let after: number | undefined;
  let count = 0;
  for (;;) {
    const page = await listCompletionTeachers(actor, { ...options, after, limit: 5000 });
    for (const row of page.rows) sheet.addRow([neutralizeFormula(row.name), row.idNumberMasked, neutralizeFormula(row.schoolName), row.cycle, row.hours, row.credits / 100, `${Math.round(row.progressPermille / 10)}%`, completionStatusNames[row.status]]);
    count += page.rows.length;
    if (!page.hasMore || count >= maxExportRows) break;
    after = page.rows.at(-1)!.id;
  }
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, index) => (column.width = [10, 22, 28, 12, 10, 10, 10, 16][index]));
  const db = await getDb();
  const [unit] = await db.select({ name: units.name, path: units.path }).from(units).where(eq(units.id, options.unitId ?? actor.unitId));
  await recordAudit(db, actor, { action: 'training.completion.export', unitPath: unit?.path, targetType: 'unit', targetId: options.unitId ?? actor.unitId, detail: { rows: count, status: options.status ?? 'all' } });
  return { fileName: `培训完成情况-${unit?.name ?? ''}.xlsx`, bytes: await workbookBytes(workbook) };
}

const maxExportRows = 500_000;
