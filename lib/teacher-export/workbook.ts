import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { displayValue, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { neutralizeFormula } from '@/lib/spreadsheet/write';
import { rowsPerSheet } from './schemas';

/** One teacher as the export writes it: already masked by the service. */
export interface ExportTeacher {
  unitCode: string;
  unitName: string;
  idNumber: string;
  name: string;
  recordState: string;
  record: Record<string, RecordValues>;
  entries: Record<string, RecordValues[]>;
}

/**
 * The teacher export as a streamed xlsx: rows go to the zip as they are added (exceljs's streaming
 * writer, no shared strings, no cell styles: a style lookup per cell cost a third of the time), so memory does
 * not grow with the number of teachers. Sheets are written
 * one after another, one per chosen subset.
 */
export class TeacherWorkbookWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet: ExcelJS.Worksheet | null = null;
  private subset: EffectiveSubset | null = null;
  private fields: EffectiveSubset['fields'] = [];
  private rowsInSheet = 0;
  private part = 1;

  constructor(sink: Writable) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: false, useSharedStrings: false });
    this.workbook.creator = '师管 教师管理信息系统';
  }

  startSheet(subset: EffectiveSubset): void {
    this.subset = subset;
    this.fields = subset.fields.filter((field) => field.type !== 'photo' && field.key !== 'idNumber' && field.key !== 'name');
    this.part = 1;
    this.openSheet();
  }

  private openSheet(): void {
    const subset = this.subset!;
    this.sheet = this.workbook.addWorksheet(this.part === 1 ? subset.label : `${subset.label}（续${this.part}）`, { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.columns = [
      { header: '学校标识码', width: 14 },
      { header: '学校名称', width: 28 },
      { header: '身份证件号码', width: 22 },
      { header: '姓名', width: 10 },
      ...(subset.key === 'basic' ? [{ header: '记录状态', width: 10 }] : []),
      ...this.fields.map((field) => ({ header: field.label, width: Math.max(12, field.label.length * 2 + 2) })),
    ];
    this.sheet.getRow(1).commit();
    this.rowsInSheet = 0;
  }

  private addRow(values: string[]): void {
    if (this.rowsInSheet >= rowsPerSheet) {
      this.sheet!.commit();
      this.part += 1;
      this.openSheet();
    }
    // An empty value is no cell at all: most fields of most records are empty, and each cell costs.
    this.sheet!.addRow(values.map((value) => (value === '' ? null : neutralizeFormula(value)))).commit();
    this.rowsInSheet += 1;
  }

  /** A teacher's row (single subsets) or rows (one per entry of a list subset). */
  addTeacher(teacher: ExportTeacher): void {
    const subset = this.subset!;
    const lead = [teacher.unitCode, teacher.unitName, teacher.idNumber, teacher.name];
    if (subset.multi) {
      for (const entry of teacher.entries[subset.key] ?? []) this.addRow([...lead, ...this.fields.map((field) => displayValue(field, entry[field.key]))]);
    } else {
      const values = teacher.record[subset.key] ?? {};
      this.addRow([...lead, ...(subset.key === 'basic' ? [teacher.recordState] : []), ...this.fields.map((field) => displayValue(field, values[field.key]))]);
    }
  }

  /**
   * Waits until the zip has taken what the sheet gave it. exceljs's sheet stream writes into the zip
   * without heeding backpressure, so a writer faster than deflate would buffer the whole file: the
   * caller waits here between pages.
   */
  async drained(): Promise<void> {
    // The zip's input is a readable-stream v2 PassThrough: its state is `_writableState`, not `writableNeedDrain`.
    const pipes = (this.sheet as unknown as { stream?: { pipes?: NodeJS.WritableStream[] } } | null)?.stream?.pipes ?? [];
    for (const pipe of pipes) {
      const state = (pipe as unknown as { _writableState?: { needDrain: boolean } })._writableState;
      if (state?.needDrain) await once(pipe, 'drain');
    }
  }

  endSheet(footer: string): void {
    this.sheet!.addRow([]).commit();
    this.sheet!.addRow([footer]).commit();
    this.sheet!.commit();
    this.sheet = null;
  }

  /** Resolves when the last byte has reached the sink. */
  async finish(): Promise<void> {
    await this.workbook.commit();
  }
}
