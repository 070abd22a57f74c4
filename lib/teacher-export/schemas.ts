import { z } from 'zod';

/** Client-safe: what an export job stores as its request, and what the page shows of a job. */
export const exportJobParamsSchema = z.object({
  filters: z.record(z.string(), z.unknown()),
  subsets: z.array(z.string()).min(1),
  official: z.boolean(),
  /** Set when full ID numbers were asked for, with the stated purpose. */
  purpose: z.string().optional(),
  /** The requester's address, for the audit row the worker writes. */
  ip: z.string().optional(),
});
export type ExportJobParams = z.infer<typeof exportJobParamsSchema>;

export type ExportJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';

export const exportJobStatusNames: Record<ExportJobStatus, string> = {
  queued: '排队中',
  running: '正在生成',
  done: '已完成',
  failed: '失败',
  expired: '已过期删除',
};

export interface ExportJobView {
  id: string;
  unitId: number;
  fileName: string;
  status: ExportJobStatus;
  done: number;
  total: number;
  rows: number | null;
  unmasked: number | null;
  bytes: number | null;
  message: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** When a finished file is deleted. */
  expiresAt: Date | null;
}

/** One export's teachers at most: the streamed writer holds no rows, and a sheet rolls over past a million. */
export const maxExportRows = 5_000_000;
/** An xlsx sheet holds 1,048,576 rows; a longer list continues on a sheet named “…（续2）”. */
export const rowsPerSheet = 1_000_000;
