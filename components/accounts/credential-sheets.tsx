import { AutoRefresh } from '@/components/ui/auto-refresh';
import { CredentialDownloadButton } from './credential-download-button';
import { credentialSheetDownloadedMessage } from '@/lib/accounts/schemas';
import { formatDateTime, formatFileSize } from '@/lib/format';
import type { ExportJobView } from '@/lib/teacher-export/schemas';

function statusOf(job: ExportJobView): { label: string; tone: string } {
  if (job.status === 'queued') return { label: '排队中', tone: 'bg-slate-100 text-slate-700' };
  if (job.status === 'running') return { label: '正在生成', tone: 'bg-sky-100 text-sky-800' };
  if (job.status === 'done') return { label: '待下载', tone: 'bg-emerald-100 text-emerald-800' };
  if (job.status === 'failed') return { label: '失败', tone: 'bg-rose-100 text-rose-800' };
  return { label: job.message === credentialSheetDownloadedMessage ? '已下载' : '已过期删除', tone: 'bg-slate-100 text-slate-600' };
}

/** The account's recent credential sheets: progress while the passwords are made, one download when ready. */
export function CredentialSheets({ jobs, returnTo }: { jobs: ExportJobView[]; returnTo: '/accounts/credentials' | '/teachers/accounts' }) {
  const active = jobs.some((job) => job.status === 'queued' || job.status === 'running');
  return (
    <section className="space-y-2" aria-labelledby="credential-sheets-title">
      <AutoRefresh active={active} />
      <h2 id="credential-sheets-title" className="text-base font-semibold text-slate-800">我的分发表</h2>
      <p className="text-xs text-slate-500">分发表在后台生成，可离开本页，稍后回来下载。下载时新密码才生效：每份分发表只能下载一次，下载后即从系统删除；24 小时内未下载的自动删除，原密码不变，届时请重新生成。</p>
      {jobs.length === 0 ? (
        <p className="card p-4 text-sm text-slate-500">暂无分发表</p>
      ) : (
        <ul className="space-y-2" data-testid="credential-sheets">
          {jobs.map((job) => {
            const status = statusOf(job);
            const running = job.status === 'queued' || job.status === 'running';
            const percent = job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
            return (
              <li key={job.id} data-testid={`credential-sheet-${job.id}`} className="card flex flex-wrap items-center gap-x-4 gap-y-2 p-3 text-sm">
                <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
                  <p className="break-all font-medium text-slate-800">{job.fileName}</p>
                  <p className="mt-0.5 text-xs text-slate-600">
                    提交于 {formatDateTime(job.createdAt)} · {(job.rows ?? job.total).toLocaleString('zh-CN')} 个账号
                    {job.bytes ? ` · ${formatFileSize(job.bytes)}` : ''}
                  </p>
                  {job.message && job.status !== 'expired' && <p className="mt-0.5 text-xs text-slate-600">{job.message}</p>}
                </div>
                <span className={`shrink-0 rounded px-2 py-0.5 text-xs ${status.tone}`} data-testid="credential-sheet-status">{status.label}</span>
                {running && (
                  <span className="flex items-center gap-2">
                    <progress className="h-2 w-28" max={100} value={percent} aria-label={`${job.fileName} 生成进度`} />
                    <span className="text-xs tabular-nums text-slate-600">{percent}%</span>
                  </span>
                )}
                {job.status === 'done' && (
                  <CredentialDownloadButton jobId={job.id} returnTo={returnTo} title={job.expiresAt ? `保留至 ${formatDateTime(job.expiresAt)}` : undefined} />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
