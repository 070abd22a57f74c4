import { breakdownNames, breakdownOrder } from '@/lib/reference/school-types';
import { ageBands, educationNames, genderNames, titleLevelNames } from './schemas';

/** Client-safe: the standard reports (seed 六(六)), their axes and labels. */
export const reportKinds = ['education-stage', 'title-stage', 'age-gender', 'unit-stage'] as const;
export type ReportKind = (typeof reportKinds)[number];

export const reportTitles: Record<ReportKind, string> = {
  'education-stage': '专任教师最高学历分学段情况',
  'title-stage': '专任教师专业技术职务分学段情况',
  'age-gender': '教师年龄分性别情况',
  'unit-stage': '各下级单位教师分学段情况',
};

export const reportAxes: Record<ReportKind, { rows: string; columns: string }> = {
  'education-stage': { rows: '最高学历', columns: '学段' },
  'title-stage': { rows: '专业技术职务', columns: '学段' },
  'age-gender': { rows: '年龄段', columns: '性别' },
  'unit-stage': { rows: '单位', columns: '学段' },
};

export interface ReportTable {
  kind: ReportKind;
  title: string;
  unitName: string;
  official: boolean;
  rowHeader: string;
  rows: { key: string; label: string; cells: number[]; total: number }[];
  columns: { key: string; label: string }[];
  columnTotals: number[];
  total: number;
}

/** Builds the table (labels, order, totals) from counted (row, column, n) triples. */
export function assembleReport(
  kind: ReportKind,
  counted: { row: string; column: string; n: number }[],
  context: { unitName: string; official: boolean; unitLabels?: Map<string, string>; unitOrder?: string[] },
): ReportTable {
  // 学段 as education statistics give it (中小学校 as 小学, 初中, 高中); the spanning school types only where they have teachers.
  const spanning = new Set(['nine_year', 'complete_secondary', 'twelve_year', 'primary_secondary']);
  const present = new Set(counted.filter((c) => c.n > 0).map((c) => c.column));
  const stageColumns = breakdownOrder.filter((key) => !spanning.has(key) || present.has(key)).map((key) => ({ key: key as string, label: breakdownNames[key] }));
  const columns = kind === 'age-gender' ? Object.entries(genderNames).map(([key, label]) => ({ key, label })) : stageColumns;
  let rowDefs: { key: string; label: string }[];
  if (kind === 'education-stage') rowDefs = Object.entries(educationNames).map(([key, label]) => ({ key, label }));
  else if (kind === 'title-stage') rowDefs = [...Object.entries(titleLevelNames).filter(([key]) => key !== ''), ['', titleLevelNames['']]].map(([key, label]) => ({ key, label }));
  else if (kind === 'age-gender') rowDefs = ageBands.map((band) => ({ key: band, label: band }));
  else rowDefs = (context.unitOrder ?? []).map((key) => ({ key, label: context.unitLabels?.get(key) ?? key }));
  const cell = new Map(counted.map((c) => [`${c.row}|${c.column}`, c.n]));
  const rows = rowDefs
    .map((def) => {
      const cells = columns.map((column) => cell.get(`${def.key}|${column.key}`) ?? 0);
      return { ...def, cells, total: cells.reduce((a, b) => a + b, 0) };
    })
    // Empty code rows are left out; units are all listed, with their zeros.
    .filter((row) => kind === 'unit-stage' || kind === 'age-gender' || row.total > 0);
  const columnTotals = columns.map((_, i) => rows.reduce((sum, row) => sum + row.cells[i], 0));
  return {
    kind,
    title: reportTitles[kind],
    unitName: context.unitName,
    official: context.official,
    rowHeader: reportAxes[kind].rows,
    rows,
    columns,
    columnTotals,
    total: columnTotals.reduce((a, b) => a + b, 0),
  };
}
