import { z } from 'zod';
import { encodeCondition, type QueryCondition } from '@/lib/statistics/query-builder';

/** Client-safe: a combined query as it is asked for (conditions as they travel in the URL), and what the page shows of a run. */
export const combinedQueryInputSchema = z.object({
  unitId: z.number().int().positive().max(2_147_483_647).optional(),
  scope: z.enum(['official', 'all']),
  cond: z.array(z.string().max(500, '条件过长')).min(1, '请至少填写一个条件').max(10, '条件最多 10 个'),
  /** 重新查询: a new run even when a kept result of the same request exists. */
  rerun: z.boolean().optional(),
});
export type CombinedQueryInput = z.infer<typeof combinedQueryInputSchema>;

export interface CombinedQueryRequest {
  unitId?: number;
  scope: 'official' | 'all';
  conditions: QueryCondition[];
}

/** The same request, however its conditions were ordered, has one key. */
export function paramsKeyOf(request: CombinedQueryRequest): string {
  return [request.unitId ?? '', request.scope, ...request.conditions.map(encodeCondition).sort()].join('|');
}

/**
 * Where the count comes from, said on the page: the pre-counted statistics (exact, kept in step with
 * every change), a direct count (a small jurisdiction), or a run in the background with its result kept.
 */
export type CountSource = 'aggregate' | 'direct' | 'run';

export const countSourceNotes: Record<CountSource, string> = {
  aggregate: '人数取自预汇总统计，随每次审核实时更新，与统计报表一致',
  direct: '人数为即时统计',
  run: '该组合条件无法由预汇总统计得出，在后台逐条查询，结果保留 24 小时',
};

export type QueryRunStatus = 'queued' | 'running' | 'done' | 'failed';

export const queryRunStatusNames: Record<QueryRunStatus, string> = {
  queued: '排队中',
  running: '正在查询',
  done: '已完成',
  failed: '失败',
};

export interface QueryRunView {
  id: string;
  status: QueryRunStatus;
  request: CombinedQueryRequest;
  /** Teachers scanned so far of the jurisdiction's total. */
  done: number;
  total: number;
  matched: number | null;
  message: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}
