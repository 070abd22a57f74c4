/** Client-safe shapes of the teacher import. */
export interface ImportIssue {
  sheet: string;
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

export interface ImportSummary {
  /** Data rows per sheet that had any. */
  sheets: { name: string; rows: number }[];
  rows: number;
  toCreate: number;
  toUpdate: number;
  entries: number;
  /** Filled once the import has run. */
  created?: number;
  updated?: number;
  totalIssues?: number;
  issues?: ImportIssue[];
  seconds?: number;
}

export type ImportJobStatus = 'validating' | 'invalid' | 'valid' | 'importing' | 'done' | 'failed' | 'interrupted';

export const importJobStatusNames: Record<ImportJobStatus, string> = {
  validating: '正在校验',
  invalid: '校验未通过',
  valid: '校验通过，待确认导入',
  importing: '正在导入',
  done: '导入完成',
  failed: '导入失败',
  interrupted: '已中断',
};

export interface ImportProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ImportJobView {
  id: string;
  fileName: string;
  status: ImportJobStatus;
  message: string | null;
  summary: ImportSummary | null;
  hasErrorFile: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  progress: ImportProgress | null;
}
