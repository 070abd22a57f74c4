/** Columns of the school-list file (seed 四(一)); the header row must carry these names. */
export const schoolListColumns = {
  code: '学校标识码',
  name: '学校名称',
  schoolTypeCode: '办学类型代码',
  divisionCode: '所在地行政区划代码',
  authorityCode: '主管教育行政部门代码',
  ownership: '办学性质',
  status: '状态',
} as const;

export const requiredSchoolListColumns = ['code', 'name', 'schoolTypeCode', 'divisionCode', 'authorityCode', 'ownership'] as const;

export const maxSchoolListRows = 100_000;

export interface ImportRowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

export interface SchoolImportSummary {
  rows: number;
  created: number;
  updated: number;
  closed: number;
  reopened: number;
  unchanged: number;
}

export type SchoolImportOutcome =
  | { ok: true; summary: SchoolImportSummary }
  | { ok: false; rows: number; errors: ImportRowError[]; totalErrors: number };
