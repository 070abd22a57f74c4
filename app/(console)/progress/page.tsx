import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeadlineForm } from '@/components/collection/deadline-form';
import { ProgressTable } from '@/components/collection/progress-table';
import { PageTitle, StatCard } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { getProgress } from '@/lib/collection/queries';
import { parseProgressParams, progressSortKeys, type ProgressSortKey } from '@/lib/collection/schemas';
import { NotFoundError } from '@/lib/errors';

export const metadata: Metadata = { title: '采集进度' };

export default async function ProgressPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('progress.view');
  const params = parseProgressParams(await searchParams);
  const view = await getProgress(actor, params).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const sort = params.sort ?? 'status';
  const dir = params.dir ?? 'asc';
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...(params.unitId ? { unit: String(params.unitId) } : {}), ...extra }).toString();
  const sortLinks = Object.fromEntries(progressSortKeys.map((key) => [key, `/progress?${query({ sort: key, dir: key === sort && dir === 'asc' ? 'desc' : 'asc' })}`])) as Record<ProgressSortKey, string>;
  const own = view.unit.id === actor.unitId;
  const steer = can(actor, 'collection.steer');
  const due = [view.deadline.own, view.deadline.inherited?.deadline].filter(Boolean).sort()[0];
  return (
    <div className="space-y-4">
      <PageTitle title="采集进度" description="各直属下级单位的教师信息采集、报送和审核情况，按整个下级范围统计，随每次审核实时更新。">
        <a href={`/progress/export?${query({ sort, dir })}`} className="btn-secondary" data-testid="progress-export">导出 Excel</a>
      </PageTitle>
      <nav aria-label="单位层级" className="flex flex-wrap items-center gap-1 text-sm text-slate-600" data-testid="progress-trail">
        {view.trail.map((unit, i) => (
          <span key={unit.id} className="flex items-center gap-1">
            {i > 0 && <span aria-hidden="true">/</span>}
            {unit.id === view.unit.id ? <span className="font-medium text-slate-900">{unit.name}</span> : <Link href={`/progress?unit=${unit.id}`} className="text-brand-600 hover:underline">{unit.name}</Link>}
          </span>
        ))}
      </nav>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <StatCard label="登记教师" value={view.total.teachers} testId="progress-teachers" />
        <StatCard label="记录完整" value={`${view.total.completePct}%`} />
        <StatCard label="已报送" value={`${view.total.reportedPct}%`} />
        <StatCard label="已生效" value={`${view.total.effectivePct}%`} testId="progress-effective" />
        <StatCard label="截止日期" value={due ?? '未设定'} />
      </div>
      {own && steer && (
        <div className="card p-3">
          <DeadlineForm own={view.deadline.own} latest={view.deadline.inherited} />
        </div>
      )}
      <ProgressTable rows={view.rows} total={view.total} sortLinks={sortLinks} sort={sort} dir={dir} canRemind={steer} />
      <p className="text-xs text-slate-500">
        已报送含已生效的记录。逾期：已过截止日期且未全部生效；临期：距截止 7 天内且尚未全部报送。点击单位名称可逐级查看，学校可查看其教师名单。
      </p>
    </div>
  );
}
