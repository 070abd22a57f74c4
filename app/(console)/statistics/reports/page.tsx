import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { StatFiltersForm } from '@/components/statistics/filters-form';
import { ReportTableView } from '@/components/statistics/report-table';
import { PageTitle } from '@/components/ui/stat-card';
import { PrintHeading, PrintOrPdfButton } from '@/components/ui/print-heading';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { getReport } from '@/lib/statistics/queries';
import { reportKinds, reportTitles, type ReportKind } from '@/lib/statistics/reports';
import { parseStatFilters, statQuery } from '@/lib/statistics/schemas';

export const metadata: Metadata = { title: '标准报表' };

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const filters = parseStatFilters(params);
  const kind = (reportKinds as readonly string[]).includes(params.report ?? '') ? (params.report as ReportKind) : 'education-stage';
  const report = await getReport(actor, kind, filters).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const query = (extra: Record<string, string>) => `${statQuery(filters)}${statQuery(filters) ? '&' : ''}${new URLSearchParams(extra)}`;
  return (
    <div className="space-y-4">
      <PrintHeading unitName={report.unitName} title={report.title} official={report.official} filterText={filters.staff === 'all' ? '含已离开人员' : '在职人员'} printedBy={actor.loginLabel} />
      <PageTitle title="标准报表" description={`${report.unitName}：${report.official ? '正式数据，仅统计审核生效的记录' : '含草稿和已报送的工作数据（非正式）'}。`}>
        <div className="flex gap-2">
          <a href={`/statistics/reports/export?${query({ report: kind })}`} className="btn-primary" data-testid="report-download">下载 Excel</a>
          <PrintOrPdfButton />
          <Link href={`/statistics?${statQuery(filters)}`} className="btn-secondary">返回统计分析</Link>
        </div>
      </PageTitle>
      <nav className="flex flex-wrap gap-2 text-sm" aria-label="报表">
        {reportKinds.map((k) => (
          <Link key={k} href={`/statistics/reports?${query({ report: k })}`} aria-current={k === kind ? 'page' : undefined} className={`rounded-full border px-3 py-1 ${k === kind ? 'border-brand-600 bg-brand-50 text-brand-700' : 'border-slate-200 bg-white text-slate-700'}`}>
            {reportTitles[k]}
          </Link>
        ))}
      </nav>
      <StatFiltersForm filters={filters} action="/statistics/reports" hidden={{ report: kind }} />
      <ReportTableView report={report} />
    </div>
  );
}
