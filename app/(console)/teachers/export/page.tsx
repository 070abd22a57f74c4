import type { Metadata } from 'next';
import Link from 'next/link';
import { FormAlert } from '@/components/forms/field';
import { PageTitle } from '@/components/ui/stat-card';
import { ExportJobs } from '@/components/teachers/export-jobs';
import { requirePermission } from '@/lib/auth/session';
import { holdsFullIdRight } from '@/lib/auth/personal-data';
import { nationalCatalogue } from '@/lib/indicators/catalogue';
import { describeCondition } from '@/lib/statistics/query-builder';
import { listExportJobs } from '@/lib/teacher-export/queries';
import { maxExportRows } from '@/lib/teacher-export/schemas';
import { parseTeacherFilters } from '@/lib/teachers/schemas';

export const metadata: Metadata = { title: '导出教师信息' };

const filterKeys = ['q', 'unit', 'stage', 'gender', 'status', 'state'] as const;

export default async function TeacherExportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === 'string' ? params[key] : undefined);
  const kept = filterKeys.filter((key) => one(key));
  const conditions = [params.cond ?? []].flat();
  const described = parseTeacherFilters(params).conditions.map(describeCondition);
  const mayReveal = holdsFullIdRight(actor);
  const jobs = await listExportJobs(actor);
  const backToList = new URLSearchParams(kept.map((k) => [k, one(k)!]));
  return (
    <div className="space-y-4">
      <PageTitle title="导出教师信息" description={`按教师列表或组合查询当前的筛选条件导出，每个信息集一个工作表，单次不超过 ${maxExportRows.toLocaleString('zh-CN')} 人。文件在后台生成，证件号码默认脱敏，每次导出和下载均记入审计日志。`}>
        <Link href={conditions.length ? `/statistics/query?${new URLSearchParams(conditions.map((c) => ['cond', c]))}` : `/teachers?${backToList}`} className="btn-secondary">
          {conditions.length ? '返回组合查询' : '返回列表'}
        </Link>
      </PageTitle>
      <FormAlert message={one('error')} />
      {one('job') && !one('error') && <p className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900" role="status">已提交导出，文件正在后台生成，完成后可在下方下载。</p>}
      <form action="/teachers/export/download" method="post" className="card space-y-4 p-4">
        {kept.map((key) => <input key={key} type="hidden" name={key} value={one(key)} />)}
        {conditions.map((condition) => <input key={condition} type="hidden" name="cond" value={condition} />)}
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-700">选择要导出的信息集</legend>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {nationalCatalogue.map((subset) => (
              <label key={subset.key} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="subset" value={subset.key} defaultChecked={subset.key === 'basic'} className="h-4 w-4" />
                {subset.label}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-700">数据口径</legend>
          <div className="space-y-1 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="official" value="1" defaultChecked={one('official') !== '0'} className="h-4 w-4" />
              正式数据：仅含主管部门审核生效的记录（用于统计和上报）
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="official" value="0" defaultChecked={one('official') === '0'} className="h-4 w-4" />
              工作数据：含草稿和已报送记录，标注记录状态（非正式数据）
            </label>
          </div>
        </fieldset>
        {mayReveal && (
          <fieldset className="rounded-md border border-amber-200 bg-amber-50 p-3">
            <legend className="px-1 text-sm font-medium text-amber-900">完整证件号码</legend>
            <label className="flex items-start gap-2 text-sm text-amber-900">
              <input type="checkbox" name="reveal" value="1" className="mt-0.5 h-4 w-4" />
              <span>导出完整身份证件号码。仅本校或其主管教育行政部门可见的教师给出完整号码，其余仍脱敏；用途与人数记入审计日志。</span>
            </label>
            <label htmlFor="purpose" className="mt-2 block text-xs text-amber-900">用途（勾选时必填）</label>
            <input id="purpose" name="purpose" maxLength={200} className="input mt-1" placeholder="例如：报送人社部门核对编制" />
          </fieldset>
        )}
        <p className="text-xs text-slate-500">
          筛选条件：{kept.length || described.length ? [...kept.map((k) => `${k}=${one(k)}`), ...described].join('，') : '本辖区全部教师'}
        </p>
        <button type="submit" className="btn-primary">生成导出文件</button>
      </form>
      <ExportJobs jobs={jobs} highlight={one('job')} />
    </div>
  );
}
