import { TableFrame } from '@/components/ui/table-frame';
import { formatFileSize } from '@/lib/format';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { exportJobStatusNames, type ExportJobView } from '@/lib/teacher-export/schemas';

const statusTone: Record<ExportJobView['status'], string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-sky-100 text-sky-800',
  done: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-rose-100 text-rose-800',
  expired: 'bg-slate-100 text-slate-600',
};

function when(date: Date): string {
  return date.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** The account's recent exports: progress while they run, the file when ready. Refreshes itself meanwhile. */
export function ExportJobs({ jobs, highlight }: { jobs: ExportJobView[]; highlight?: string }) {
  const active = jobs.some((job) => job.status === 'queued' || job.status === 'running');
  return (
    <section className="space-y-2" aria-labelledby="export-jobs-title">
      <AutoRefresh active={active} />
      <h2 id="export-jobs-title" className="text-base font-semibold text-slate-800">我的导出文件</h2>
      <p className="text-xs text-slate-500">文件在后台生成，可离开本页，稍后回来下载；生成完成的文件保留 24 小时，每次下载均记入审计日志。</p>
      {jobs.length === 0 ? (
        <p className="card p-4 text-sm text-slate-500">暂无导出记录</p>
      ) : (
        <>
        <ul className="space-y-2 sm:hidden">
          {jobs.map((job) => (
            <li key={job.id} className={`card p-3 text-sm ${job.id === highlight ? 'ring-1 ring-amber-300' : ''}`}>
              <div className="flex items-start justify-between gap-2">
                <span className="font-medium text-slate-800">{job.fileName}</span>
                <span className={`shrink-0 rounded px-2 py-0.5 text-xs ${statusTone[job.status]}`}>{exportJobStatusNames[job.status]}</span>
              </div>
              <p className="mt-1 text-xs text-slate-600">
                {when(job.createdAt)}
                {job.rows != null && ` · ${job.rows.toLocaleString('zh-CN')} 人`}
                {job.bytes ? ` · ${formatFileSize(job.bytes)}` : ''}
                {(job.status === 'running' || job.status === 'queued') && job.total ? ` · ${Math.min(100, Math.round((job.done / job.total) * 100))}%` : ''}
              </p>
              {job.message && <p className="mt-1 text-xs text-slate-600">{job.message}</p>}
              {job.status === 'done' && <a href={`/teachers/export/jobs/${job.id}`} className="mt-2 inline-block font-medium text-brand-700 hover:underline">下载文件</a>}
            </li>
          ))}
        </ul>
        <div className="hidden sm:block">
        <TableFrame label="我的导出文件" testId="export-jobs">
          <table className="w-full text-sm">
            <thead className="table-head">
              <tr>
                <th className="px-3 py-2">文件</th>
                <th className="px-3 py-2">状态</th>
                <th className="px-3 py-2">进度</th>
                <th className="px-3 py-2">人数</th>
                <th className="px-3 py-2">大小</th>
                <th className="px-3 py-2">提交时间</th>
                <th className="px-3 py-2">操作</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {jobs.map((job) => {
                const percent = job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
                return (
                  <tr key={job.id} data-testid={`export-job-${job.id}`} className={job.id === highlight ? 'bg-amber-50' : undefined}>
                    <td className="cell-wrap px-3 py-2">{job.fileName}</td>
                    <td className="px-3 py-2">
                      <span className={`rounded px-2 py-0.5 text-xs ${statusTone[job.status]}`} data-testid="export-job-status">{exportJobStatusNames[job.status]}</span>
                      {job.message && <span className="ml-2 text-xs text-slate-600">{job.message}</span>}
                    </td>
                    <td className="px-3 py-2">
                      {job.status === 'running' || job.status === 'queued' ? (
                        <div className="flex items-center gap-2">
                          <progress className="h-2 w-28" max={100} value={percent} aria-label={`${job.fileName} 生成进度`} />
                          <span className="text-xs tabular-nums text-slate-600">{percent}%</span>
                        </div>
                      ) : job.status === 'done' ? '100%' : ''}
                    </td>
                    <td className="px-3 py-2 tabular-nums">{job.rows?.toLocaleString('zh-CN') ?? (job.total ? `${job.done.toLocaleString('zh-CN')} / ${job.total.toLocaleString('zh-CN')}` : '')}{job.unmasked ? `（完整号码 ${job.unmasked.toLocaleString('zh-CN')} 人）` : ''}</td>
                    <td className="px-3 py-2 tabular-nums">{formatFileSize(job.bytes)}</td>
                    <td className="px-3 py-2 tabular-nums">{when(job.createdAt)}</td>
                    <td className="px-3 py-2">
                      {job.status === 'done' ? (
                        <a href={`/teachers/export/jobs/${job.id}`} className="font-medium text-brand-700 hover:underline" data-testid="export-job-download" title={job.expiresAt ? `保留至 ${when(job.expiresAt)}` : undefined}>下载</a>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableFrame>
        </div>
        </>
      )}
    </section>
  );
}
