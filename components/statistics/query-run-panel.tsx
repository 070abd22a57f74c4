import { AutoRefresh } from '@/components/ui/auto-refresh';
import { queryRunStatusNames, type QueryRunView } from '@/lib/combined-query/schemas';
import { StartQueryRunButton } from './start-query-run-button';

function when(date: Date): string {
  return date.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A run in the background: its progress while it runs (the page refreshes itself), its outcome when it ends. */
export function QueryRunPanel({ run, cond }: { run: QueryRunView; cond: string[] }) {
  const active = run.status === 'queued' || run.status === 'running';
  const percent = run.total ? Math.min(100, Math.floor((run.done / run.total) * 100)) : 0;
  const again = { unitId: run.request.unitId, scope: run.request.scope, cond, rerun: true };
  return (
    <div className="card space-y-2 p-3 text-sm" data-testid="query-run-panel" data-status={run.status}>
      <AutoRefresh active={active} intervalMs={1500} />
      <div className="flex flex-wrap items-center gap-3">
        <span className="rounded bg-sky-100 px-2 py-0.5 text-xs text-sky-800" data-testid="query-run-status">后台查询 · {queryRunStatusNames[run.status]}</span>
        {active && (
          <span className="flex items-center gap-2">
            <progress className="h-2 w-40" max={100} value={percent} aria-label="后台查询进度" />
            <span className="tabular-nums text-slate-600" data-testid="query-run-progress">
              {percent}%（已查 {run.done.toLocaleString('zh-CN')} / {run.total ? run.total.toLocaleString('zh-CN') : '…'} 人）
            </span>
          </span>
        )}
        {run.status === 'done' && run.finishedAt && <span className="text-slate-600">结果生成于 {when(run.finishedAt)}，名单中的信息为当前值</span>}
        {(run.status === 'done' || run.status === 'failed') && <StartQueryRunButton input={again} label="重新查询" />}
      </div>
      {active && <p className="text-xs text-slate-500">可离开本页，查询在后台继续；24 小时内再次打开相同条件的查询会直接显示结果。</p>}
      {run.message && <p className="text-slate-700" role={run.status === 'failed' ? 'alert' : undefined}>{run.message}</p>}
    </div>
  );
}
