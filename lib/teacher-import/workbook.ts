import { nationalStatusFromJyt } from '@/lib/mobility/status';
import ExcelJS from 'exceljs';
import { ValidationError } from '@/lib/errors';
import type { FieldValue } from '@/lib/indicators/form-schema';
import type { EffectiveField } from '@/lib/indicators/settings';
import { loadWorkbook, sheetGrid } from '@/lib/spreadsheet/read-table';
import { maxUploadBytes, uploadTooLargeMessage } from '@/lib/spreadsheet/limits';
import { reasonHeader, type SheetLayout } from './layout';
import type { ImportIssue } from './schemas';
import { workbookBytes } from '@/lib/spreadsheet/write';

export interface ParsedRow {
  rowNumber: number;
  cells: Record<string, string>;
}

export interface ParsedSheet {
  layout: SheetLayout;
  headers: string[];
  rows: ParsedRow[];
}

/** Default per-file limit; TEACHER_IMPORT_MAX_ROWS overrides it. */
export function maxImportRows(): number {
  const configured = Number(process.env.TEACHER_IMPORT_MAX_ROWS);
  return Number.isInteger(configured) && configured > 0 ? configured : 100_000;
}

/** Reads the sheets the layout knows; a missing 基本信息 sheet, a foreign header or too many rows stop the file. */
export async function readImportWorkbook(file: { name: string; bytes: Uint8Array }, layout: SheetLayout[]): Promise<{ sheets: ParsedSheet[]; issues: ImportIssue[] }> {
  if (file.bytes.byteLength === 0) throw new ValidationError('上传的文件是空的');
  if (file.bytes.byteLength > maxUploadBytes) throw new ValidationError(uploadTooLargeMessage);
  if (!file.name.toLowerCase().endsWith('.xlsx')) {
    // Several sheets of one record per teacher: only the template's .xlsx holds them; say how to get there from the usual other formats.
    const other = /\.(xls|ods|csv|et)$/i.exec(file.name)?.[1]?.toLowerCase();
    throw new ValidationError(`文件类型不支持：请上传由导入模板填写的 .xlsx 文件${other ? `（.${other} 文件请在 Excel 或 WPS 中“另存为” .xlsx 工作簿后再上传）` : ''}`);
  }
  const workbook = await loadWorkbook(file.bytes);
  const issues: ImportIssue[] = [];
  const sheets: ParsedSheet[] = [];
  let total = 0;
  const limit = maxImportRows();
  for (const sheetLayout of layout) {
    const sheet = workbook.getWorksheet(sheetLayout.sheetName);
    if (!sheet) {
      if (sheetLayout.subset.key === 'basic') throw new ValidationError(`缺少工作表“${sheetLayout.sheetName}”。请使用本省最新的导入模板，不要修改工作表名称。`);
      continue;
    }
    const grid = sheetGrid(sheet);
    const headers = (grid[0] ?? []).map((h) => h.replace(/\s+/g, '').replace(/\*$/, ''));
    const known = new Set(sheetLayout.columns.map((c) => c.header));
    headers.forEach((header, i) => {
      if (header && header !== reasonHeader && !known.has(header)) issues.push({ sheet: sheetLayout.sheetName, rowNumber: 1, column: header, value: header, message: `表头“${header}”不是本省指标（第 ${i + 1} 列），请使用最新模板，不要修改表头` });
    });
    const required = sheetLayout.columns.filter((c) => c.role === 'key' || (sheetLayout.subset.key === 'basic' && c.field?.identity));
    for (const column of required) {
      if (!headers.includes(column.header)) issues.push({ sheet: sheetLayout.sheetName, rowNumber: 1, column: column.header, value: '', message: `缺少必需的列“${column.header}”` });
    }
    const rows: ParsedRow[] = [];
    for (let i = 1; i < grid.length; i++) {
      const line = grid[i] ?? [];
      if (line.every((cell) => !cell)) continue;
      total += 1;
      if (total > limit) throw new ValidationError(`数据超过 ${limit.toLocaleString('zh-CN')} 行的单次导入上限，请拆分后分批导入`);
      const cells: Record<string, string> = {};
      headers.forEach((header, col) => {
        if (header) cells[header] = line[col] ?? '';
      });
      rows.push({ rowNumber: i + 1, cells });
    }
    sheets.push({ layout: sheetLayout, headers, rows });
  }
  if (total === 0) throw new ValidationError('文件中没有数据行');
  return { sheets, issues };
}

const separators = /[、,，;；\n]+/;

/** A cell as the form would hold it: codes from names or codes, dates normalised. Null means "cannot read". */
export function cellToValue(field: EffectiveField, raw: string): { value: FieldValue } | { error: string } {
  const text = raw.trim();
  if (field.type === 'codes') {
    if (!text) return { value: [] };
    const codes: string[] = [];
    for (const part of text.split(separators).map((p) => p.trim()).filter(Boolean)) {
      const option = field.options.find((o) => o.name === part || o.code === part);
      if (!option) return { error: `“${part}”不在代码表中` };
      if (!codes.includes(option.code)) codes.push(option.code);
    }
    return { value: codes };
  }
  if (!text) return { value: '' };
  if (field.type === 'code' || field.type === 'boolean') {
    const option = field.options.find((o) => o.name === text || o.code === text);
    if (option) return { value: option.code };
    // Files from systems on JY/T 1001 (教职工当前状态码) are read by its codes and names.
    const jyt = field.key === 'personnelStatus' ? nationalStatusFromJyt(text) : null;
    return jyt ? { value: jyt } : { error: `“${text}”不在代码表中，请从下拉列表选择` };
  }
  if (field.type === 'date' || field.type === 'month') {
    const match = /^(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})?$/.exec(text);
    if (!match) return { value: text };
    const [, y, m, d] = match;
    const month = `${y}-${m.padStart(2, '0')}`;
    if (field.type === 'month') return { value: month };
    return { value: d ? `${month}-${d.padStart(2, '0')}` : text };
  }
  return { value: text };
}

/** A copy of the uploaded data with every bad cell marked and a reason column per row. */
export async function buildErrorWorkbook(sheets: ParsedSheet[], issues: ImportIssue[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  const bySheetRow = new Map<string, ImportIssue[]>();
  for (const issue of issues) {
    const key = `${issue.sheet}\u0000${issue.rowNumber}`;
    (bySheetRow.get(key) ?? bySheetRow.set(key, []).get(key)!).push(issue);
  }
  for (const parsed of sheets) {
    const name = parsed.layout.sheetName;
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const headers = parsed.headers.filter((h) => h && h !== reasonHeader);
    sheet.columns = [...headers, reasonHeader].map((header) => ({ header, width: header === reasonHeader ? 60 : Math.max(12, header.length * 2 + 4), style: { numFmt: '@' } }));
    sheet.getRow(1).font = { bold: true };
    const headerIssues = bySheetRow.get(`${name}\u00001`) ?? [];
    if (headerIssues.length) {
      sheet.getCell(1, headers.length + 1).value = `${reasonHeader}：${headerIssues.map((i) => i.message).join('；')}`;
      for (const issue of headerIssues) {
        const col = headers.indexOf(issue.column);
        if (col >= 0) sheet.getCell(1, col + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCA5A5' } };
      }
    }
    for (const row of parsed.rows) {
      const added = sheet.addRow([...headers.map((h) => row.cells[h] ?? ''), '']);
      const rowIssues = bySheetRow.get(`${name}\u0000${row.rowNumber}`);
      if (!rowIssues) continue;
      for (const issue of rowIssues) {
        const col = headers.indexOf(issue.column);
        if (col < 0) continue;
        const cell = added.getCell(col + 1);
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCA5A5' } };
        cell.note = issue.message;
      }
      const reason = added.getCell(headers.length + 1);
      reason.value = rowIssues.map((i) => `${i.column}：${i.message}`).join('；');
      reason.font = { color: { argb: 'FFB91C1C' } };
    }
  }
  return await workbookBytes(workbook);
}
