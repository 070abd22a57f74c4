import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { ValidationError } from '@/lib/errors';
import { maxCompressionRatio, maxUncompressedMegabytes, maxUploadBytes, uploadTooLargeMessage } from './limits';

export interface TableRow {
  /** The row number as the user sees it in the spreadsheet (the header is row 1). */
  rowNumber: number;
  cells: Record<string, string>;
}

export interface Table {
  headers: string[];
  rows: TableRow[];
}


/** Reads the first sheet of an xlsx, or a csv (UTF-8 or GB18030, as Excel saves it in China), into trimmed strings. */
export async function readTable(file: { name: string; bytes: Uint8Array }, options: { maxRows: number }): Promise<Table> {
  if (file.bytes.byteLength === 0) throw new ValidationError('上传的文件是空的');
  if (file.bytes.byteLength > maxUploadBytes) throw new ValidationError(uploadTooLargeMessage);
  const lower = file.name.toLowerCase();
  let grid: string[][];
  if (lower.endsWith('.xlsx')) grid = await readXlsx(file.bytes);
  else if (lower.endsWith('.csv')) grid = readCsv(file.bytes);
  else throw new ValidationError('文件类型不支持：请上传 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）');

  const headerIndex = grid.findIndex((row) => row.some((cell) => cell !== ''));
  if (headerIndex < 0) throw new ValidationError('文件中没有数据');
  const headers = grid[headerIndex].map((h) => h.replace(/\s+/g, ''));
  const rows: TableRow[] = [];
  for (let i = headerIndex + 1; i < grid.length; i++) {
    const line = grid[i];
    if (line.every((cell) => cell === '')) continue;
    if (rows.length >= options.maxRows) {
      throw new ValidationError(`数据超过 ${options.maxRows.toLocaleString('zh-CN')} 行的单次导入上限，请拆分后分批导入`);
    }
    const cells: Record<string, string> = {};
    headers.forEach((header, col) => {
      if (header) cells[header] = line[col] ?? '';
    });
    rows.push({ rowNumber: i + 1, cells });
  }
  if (rows.length === 0) throw new ValidationError('文件中只有表头，没有数据行');
  return { headers, rows };
}

/**
 * Refuses a zip bomb before the spreadsheet library sees it: the members' declared sizes must stay
 * within the total and each member's compression ratio within the limit, and since declared sizes
 * can lie, every member is also inflated as a stream and counted, stopping at the limit.
 */
async function assertSafeArchive(bytes: Uint8Array): Promise<void> {
  const limit = maxUncompressedMegabytes * 1024 * 1024;
  const tooBig = (inflated: number, compressed: number) => inflated > 1024 * 1024 && inflated / Math.max(1, compressed) > maxCompressionRatio;
  const problem = await new Promise<string | null>((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) return resolve('unreadable');
      let total = 0;
      const stop = (reason: string) => {
        zip.close();
        resolve(reason);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        if (total + entry.uncompressedSize > limit || tooBig(entry.uncompressedSize, entry.compressedSize)) return stop('bomb');
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return stop('unreadable');
          let inflated = 0;
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (total + inflated > limit || tooBig(inflated, entry.compressedSize)) {
              stream.destroy();
              stop('bomb');
            }
          });
          stream.on('error', () => stop('unreadable'));
          stream.on('end', () => {
            total += inflated;
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(null));
      zip.on('error', () => resolve('unreadable'));
      zip.readEntry();
    });
  });
  if (problem === 'bomb') throw new ValidationError(`该文件解压后超过 ${maxUncompressedMegabytes} MB 或压缩比异常（超过 ${maxCompressionRatio} 倍），不是正常的 Excel 文件，已拒绝`);
  if (problem === 'unreadable') throw new ValidationError('无法读取该 xlsx 文件：文件可能已损坏、被加密或并非真正的 Excel 文件');
}

/** Loads an xlsx, turning every way it can be unreadable into one clear message. */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  await assertSafeArchive(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError('无法读取该 xlsx 文件：文件可能已损坏、被加密或并非真正的 Excel 文件');
  }
  return workbook;
}

/** The sheet as a grid of trimmed strings, row i at index i - 1. */
export function sheetGrid(sheet: ExcelJS.Worksheet): string[][] {
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value);
    });
    grid[rowNumber - 1] = Array.from(values, (v) => v ?? '');
  });
  return Array.from(grid, (row) => row ?? []);
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const sheet = (await loadWorkbook(bytes)).worksheets[0];
  if (!sheet) throw new ValidationError('工作簿中没有工作表');
  return sheetGrid(sheet);
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // An apostrophe our exports put before a formula character (neutralizeFormula) is not part of the value.
  if (typeof value === 'string') return value.trim().replace(/^'(?=[=+\-@])/, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

function readCsv(bytes: Uint8Array): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  try {
    const records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false }) as string[][];
    return records.map((row) => row.map((cell) => cell.trim()));
  } catch (error) {
    throw new ValidationError(`CSV 格式有误：${(error as Error).message.slice(0, 120)}`);
  }
}
