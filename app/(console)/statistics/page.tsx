import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BarChartCard, genderColors, PieChartCard, PyramidCard } from '@/components/statistics/charts';
import { StatFiltersForm } from '@/components/statistics/filters-form';
import { PageTitle, StatCard } from '@/components/ui/stat-card';
import { PrintHeading, PrintOrPdfButton } from '@/components/ui/print-heading';
import { requirePermission } from '@/lib/auth/session';
import { countsOf } from '@/lib/collection/queries';
import { percent } from '@/lib/collection/schemas';
import { NotFoundError } from '@/lib/errors';
import { breakdownNames, schoolLevelNames, schoolTypes, stageNames } from '@/lib/reference/school-types';
import { getDashboard } from '@/lib/statistics/queries';
import {
  educationNames,
  establishmentNames,
  ethnicNames,
  genderNames,
  ownershipNames,
  parseStatFilters,
  personnelStatusNames,
  statQuery,
  titleLevelNames,
} from '@/lib/statistics/schemas';

export const metadata: Metadata = { title: '统计分析' };

export default async function StatisticsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const filters = parseStatFilters(await searchParams);
  const dashboard = await getDashboard(actor, filters).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const progress = await countsOf(dashboard.unit.id);
  const label = (names: Record<string, string>) => (slice: { key: string; count: number }) => ({ label: names[slice.key] ?? slice.key, count: slice.count });
  const official = filters.scope === 'official';
  const drill = (id: number) => `/statistics?${statQuery(filters, { unitId: id })}`;
  // Authorities by division code; schools directly below (the ministry's universities) apart.
  const authorities = dashboard.children.filter((child) => child.kind !== 'school');
  const directSchools = dashboard.children.filter((child) => child.kind === 'school');
  const filterText = [filters.level ? schoolLevelNames[filters.level] : filters.stage && stageNames[filters.stage], filters.schoolType && schoolTypes.get(filters.schoolType)?.name, filters.ownership && ownershipNames[filters.ownership]].filter(Boolean).join(' · ');
  return (
    <div className="space-y-4">
      <PrintHeading unitName={dashboard.unit.name} title="教师队伍统计分析" official={official} filterText={[filterText, filters.staff === 'all' ? '含已离开人员' : '在职人员'].filter(Boolean).join(' · ')} printedBy={actor.loginLabel} />
      <PageTitle title="统计分析" description={`${dashboard.unit.name}${dashboard.unit.kind === 'school' ? '' : '及所辖单位'}的教师队伍情况。年龄按 ${dashboard.statisticsYear} 年减出生年份计算。`}>
        <div className="flex gap-2">
          <PrintOrPdfButton />
          <Link href={`/statistics/reports?${statQuery(filters)}`} className="btn-secondary">标准报表</Link>
          <Link href="/statistics/query" className="btn-secondary">组合查询</Link>
        </div>
      </PageTitle>
      <nav aria-label="单位层级" className="flex flex-wrap items-center gap-1 text-sm text-slate-600" data-testid="stat-trail">
        {dashboard.trail.map((unit, i) => (
          <span key={unit.id} className="flex items-center gap-1">
            {i > 0 && <span aria-hidden="true">/</span>}
            {unit.id === dashboard.unit.id ? <span className="font-medium text-slate-900">{unit.name}</span> : <Link href={drill(unit.id)} className="text-brand-600 hover:underline">{unit.name}</Link>}
          </span>
        ))}
      </nav>
      <StatFiltersForm filters={filters} />
      <div className={`rounded-md border px-3 py-2 text-sm ${official ? 'border-green-200 bg-green-50 text-green-900' : 'border-amber-300 bg-amber-50 text-amber-900'}`} data-testid="stat-scope">
        {official ? '正式数据：仅统计主管部门审核生效的记录。' : '含草稿和已报送的工作数据：未经审核，不是正式统计数据。'}
        <span className="ml-1" data-testid="stat-staff">{filters.staff === 'all' ? '含已离开人员（退休、调出、离职等）。' : '只统计在职人员（含暂未在岗），不含已离开人员。'}</span>
        {filterText && <span className="ml-2">筛选：{filterText}</span>}
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <StatCard label={official ? '教师（已生效）' : '教师（全部状态）'} value={dashboard.total} testId="stat-total" />
        <StatCard label="女教师占比" value={`${percent(dashboard.gender.find((g) => g.key === '2')?.count ?? 0, dashboard.total)}%`} />
        <StatCard label="少数民族占比" value={`${percent(dashboard.ethnic.find((g) => g.key === 'minority')?.count ?? 0, dashboard.total)}%`} />
        <StatCard label="采集已生效" value={`${percent(progress.effective, progress.teachers)}%`} testId="stat-progress" />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {authorities.length > 0 ? (
          <div className="lg:col-span-2">
            <BarChartCard
              title={`各下级${dashboard.unit.tier === 'central' ? '省份' : '单位'}教师数（按行政区划代码排列，点击查看下级）`}
              testId="chart-children"
              horizontal
              labelWidth={170}
              data={authorities.map((child) => ({ label: child.name, count: child.count, href: drill(child.id) }))}
            />
          </div>
        ) : (
          directSchools.length > 0 && (
            <div className="lg:col-span-2">
              <BarChartCard title="各学校教师数（点击查看）" testId="chart-children" horizontal labelWidth={170} data={directSchools.map((child) => ({ label: child.name, count: child.count, href: drill(child.id) }))} />
            </div>
          )
        )}
        {authorities.length > 0 && directSchools.length > 0 && (
          <div className="lg:col-span-2">
            <BarChartCard
              title={dashboard.unit.tier === 'central' ? '部属高校教师数' : '直属学校教师数'}
              testId="chart-direct-schools"
              horizontal
              labelWidth={170}
              data={directSchools.map((child) => ({ label: child.name, count: child.count, href: drill(child.id) }))}
            />
          </div>
        )}
        <BarChartCard title="学段分布（中小学校分小学、初中、高中）" testId="chart-stage" data={dashboard.byStage.map((s) => ({ label: breakdownNames[s.key as keyof typeof breakdownNames] ?? '其他', count: s.count }))} />
        <PieChartCard title="性别" testId="chart-gender" data={dashboard.gender.map(label(genderNames))} colors={genderColors} />
        <PyramidCard rows={dashboard.pyramid} />
        <BarChartCard title="最高学历" testId="chart-education" data={dashboard.education.map(label(educationNames))} />
        <BarChartCard title="专业技术职务" testId="chart-title" data={dashboard.title.map(label(titleLevelNames))} />
        <PieChartCard title="民族" testId="chart-ethnic" data={dashboard.ethnic.map(label(ethnicNames))} />
        <PieChartCard title="编制情况" testId="chart-establishment" data={dashboard.establishment.map(label(establishmentNames))} />
        <BarChartCard title="人员状态" testId="chart-status" data={dashboard.status.map(label(personnelStatusNames))} />
        <BarChartCard
          title="采集进度（全部登记教师）"
          testId="chart-progress"
          data={[
            { label: '已登记', count: progress.teachers },
            { label: '记录完整', count: progress.complete },
            { label: '已报送', count: progress.submitted + progress.effective },
            { label: '已生效', count: progress.effective },
            { label: '被退回', count: progress.returned },
          ]}
        />
      </div>
    </div>
  );
}
