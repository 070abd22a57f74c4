'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, useTransition } from 'react';
import { confirmTeacherImportAction, getTeacherImportJobAction, startTeacherImportAction } from '@/lib/teacher-import/actions';
import { FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { RowErrorsTable } from '@/components/ui/row-errors-table';
import { importJobStatusNames, type ImportJobView } from '@/lib/teacher-import/schemas';

/**
 * Upload → background validation with progress → errors and a marked copy, or a confirm button →
 * background import with progress. The job id sits in the URL, so the page can be left and resumed.
 */
export function TeacherImport({ initialJob }: { initialJob: ImportJobView | null }) {
  const router = useRouter();
  const [job, setJob] = useState<ImportJobView | null>(initialJob);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const running = job?.status === 'validating' || job?.status === 'importing';

  const refresh = useCallback(async (jobId: string) => {
    const result = await getTeacherImportJobAction({ jobId });
    if (!result.ok) {
      setMessage(result.message);
      return null;
    }
    setJob(result.data);
    // Finished: let the server parts of the page (the recent-imports list) catch up.
    if (result.data.status !== 'validating' && result.data.status !== 'importing') router.refresh();
    return result.data;
  }, [router]);

  useEffect(() => {
    if (!job || !running) return;
    const timer = setTimeout(() => void refresh(job.id), 800);
    return () => clearTimeout(timer);
  }, [job, running, refresh]);

  const upload = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setMessage(null);
    startTransition(async () => {
      const result = await uploadWith(startTeacherImportAction, data);
      if (!result.ok) {
        setMessage(result.fieldErrors?.file?.[0] ?? result.message);
        return;
      }
      router.replace(`/teachers/import?job=${result.data.jobId}`);
      await refresh(result.data.jobId);
    });
  };

  const confirm = () => {
    if (!job) return;
    setMessage(null);
    startTransition(async () => {
      const result = await confirmTeacherImportAction({ jobId: job.id });
      if (!result.ok) setMessage(result.message);
      await refresh(job.id);
    });
  };

  const percent = job?.progress && job.progress.total > 0 ? Math.min(100, Math.round((job.progress.done / job.progress.total) * 100)) : 0;
  const summary = job?.summary;

  return (
    <div className="space-y-4">
      <form onSubmit={upload} className="card flex flex-col gap-3 p-4 sm:flex-row sm:items-end">
        <div className="flex-1 space-y-1">
          <label htmlFor="teacher-file" className="block text-sm font-medium text-slate-700">教师信息文件（按模板填写的 .xlsx）</label>
          <input id="teacher-file" name="file" type="file" accept=".xlsx" required className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" />
        </div>
        <button type="submit" className="btn-primary" disabled={pending || running}>
          {pending && !job ? '正在上传…' : '上传并校验'}
        </button>
      </form>
      <FormAlert message={message} />

      {job && (
        <section className="card space-y-3 p-4" data-testid="import-job">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm">
              <span className="font-medium">{job.fileName}</span>
              <span className="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs" data-testid="import-status">{importJobStatusNames[job.status]}</span>
            </p>
            {job.message && <p className="text-sm text-slate-600" data-testid="import-message">{job.message}</p>}
          </div>
          {running && job.progress && (
            <div>
              <div className="mb-1 flex justify-between text-xs text-slate-600">
                <span>{job.progress.phase}</span>
                {job.progress.total > 1 && <span className="tabular-nums">{job.progress.done.toLocaleString('zh-CN')} / {job.progress.total.toLocaleString('zh-CN')}</span>}
              </div>
              <div className="h-2 overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="处理进度">
                <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
              </div>
              <p className="mt-1 text-xs text-slate-500">可以离开本页，稍后回到“教师信息导入”查看结果。</p>
            </div>
          )}
          {summary && job.status !== 'invalid' && (
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
              <div><dt className="text-xs text-slate-500">数据行</dt><dd className="tabular-nums">{summary.rows}</dd></div>
              <div><dt className="text-xs text-slate-500">{job.status === 'done' ? '新增教师' : '将新增教师'}</dt><dd className="tabular-nums" data-testid="import-create">{job.status === 'done' ? summary.created : summary.toCreate}</dd></div>
              <div><dt className="text-xs text-slate-500">{job.status === 'done' ? '更新教师' : '将更新教师'}</dt><dd className="tabular-nums">{job.status === 'done' ? summary.updated : summary.toUpdate}</dd></div>
              <div><dt className="text-xs text-slate-500">多条记录</dt><dd className="tabular-nums">{summary.entries}</dd></div>
              {summary.sheets.map((sheet) => (
                <div key={sheet.name}><dt className="text-xs text-slate-500">{sheet.name}</dt><dd className="tabular-nums">{sheet.rows} 行</dd></div>
              ))}
            </dl>
          )}
          {summary && job.status === 'invalid' && (
            <p className="text-sm text-slate-600">
              共 {summary.rows} 行数据（{summary.sheets.map((sheet) => `${sheet.name} ${sheet.rows} 行`).join('，')}）。
            </p>
          )}
          {job.status === 'valid' && (
            <button type="button" className="btn-primary" onClick={confirm} disabled={pending}>
              确认导入
            </button>
          )}
          {job.status === 'done' && summary?.seconds !== undefined && <p className="text-xs text-slate-500">用时 {summary.seconds} 秒。新增教师的初始密码由学校系统管理员在“批量创建与初始密码”中发放。</p>}
          {job.hasErrorFile && (
            <a href={`/teachers/import/${job.id}/errors`} className="btn-secondary" data-testid="error-file">下载标注错误的文件</a>
          )}
          {summary?.issues && summary.issues.length > 0 && (
            <div className="rounded border border-slate-200">
              <RowErrorsTable errors={summary.issues} testId="import-issues" />
              {(summary.totalIssues ?? 0) > summary.issues.length && <p className="p-2 text-xs text-slate-500">共 {summary.totalIssues} 处错误，此处列出前 {summary.issues.length} 处，完整内容见错误文件。</p>}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
