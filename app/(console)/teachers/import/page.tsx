import type { Metadata } from 'next';
import Link from 'next/link';
import { TeacherImport } from '@/components/teachers/teacher-import';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getImportJob, listImportJobs } from '@/lib/teacher-import/queries';
import { importJobStatusNames } from '@/lib/teacher-import/schemas';
import { maxImportRows } from '@/lib/teacher-import/workbook';

export const metadata: Metadata = { title: '教师信息导入' };

export default async function TeacherImportPage({ searchParams }: { searchParams: Promise<{ job?: string }> }) {
  const actor = await requirePermission('teacher.import');
  const { job: jobId } = await searchParams;
  const [job, recent] = await Promise.all([jobId ? getImportJob(actor, jobId).catch(() => null) : Promise.resolve(null), listImportJobs(actor)]);
  return (
    <div className="space-y-4">
      <PageTitle title="教师信息导入" description={`按本省指标生成的模板填写，每个信息集一个工作表。先逐行校验，全部无误后再确认导入；单个文件不超过 ${maxImportRows().toLocaleString('zh-CN')} 行。`}>
        <a href="/teachers/import/template" className="btn-secondary">下载导入模板</a>
      </PageTitle>
      <TeacherImport key={job?.id ?? 'new'} initialJob={job} />
      {recent.length > 0 && (
        <section className="card p-4">
          <h2 className="mb-2 text-sm font-semibold">最近的导入</h2>
          <ul className="divide-y divide-slate-100 text-sm">
            {recent.map((item) => (
              <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <Link href={`/teachers/import?job=${item.id}`} className="text-brand-600 hover:underline">{item.fileName}</Link>
                <span className="text-xs text-slate-500">{formatDateTime(item.createdAt)} · {importJobStatusNames[item.status]}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
