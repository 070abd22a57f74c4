import type { Metadata } from 'next';
import Link from 'next/link';
import { QueryBuilder } from '@/components/statistics/query-builder';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { TeacherTable } from '@/components/teachers/teacher-table';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { describeCondition, encodeCondition } from '@/lib/statistics/query-builder';
import { countTeachers, listTeachers } from '@/lib/teachers/queries';
import { parseTeacherFilters } from '@/lib/teachers/schemas';

export const metadata: Metadata = { title: '组合查询' };

/** Managers and viewers combine conditions on indicators, see the count and the list, and export (audited, masked for viewers). */
export default async function QueryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const scope = params.scope === 'all' ? 'all' : 'official';
  const filters = { ...parseTeacherFilters(params), state: scope === 'official' ? 'effective' : undefined };
  const asked = filters.conditions.length > 0;
  const [count, { rows, hasMore }] = asked ? await Promise.all([countTeachers(actor, filters), listTeachers(actor, filters)]) : [0, { rows: [], hasMore: false }];
  const base = new URLSearchParams([...(filters.unitId ? [['unit', String(filters.unitId)]] : []), ...(scope === 'all' ? [['scope', 'all']] : []), ...filters.conditions.map((c) => ['cond', encodeCondition(c)])]);
  const exportParams = new URLSearchParams([...base, ['official', scope === 'official' ? '1' : '0']]);
  return (
    <div className="space-y-4">
      <PageTitle title="组合查询" description={`按基本信息指标组合条件查询${actor.unitName}${actor.unitKind === 'school' ? '' : '及所辖单位'}的教师。导出记入审计日志${actor.role === 'viewer' ? '，证件号码脱敏' : ''}。`}>
        <Link href="/statistics" className="btn-secondary">返回统计分析</Link>
      </PageTitle>
      <QueryBuilder initial={filters.conditions} scope={scope} unitId={filters.unitId} />
      {asked && (
        <section className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" data-testid="query-summary">
              {filters.conditions.map(describeCondition).join('，且')}：共 <strong data-testid="query-count">{count.toLocaleString('zh-CN')}</strong> 人（{scope === 'official' ? '正式数据' : '含草稿和已报送'}）
            </p>
            {count > 0 && <Link href={`/teachers/export?${exportParams}`} className="btn-secondary" data-testid="query-export">导出 Excel</Link>}
          </div>
          <TeacherTable rows={rows} testId="query-rows" />
          <KeysetPager firstHref={filters.after ? `/statistics/query?${base}` : null} nextHref={hasMore ? `/statistics/query?${new URLSearchParams([...base, ['after', String(rows.at(-1)!.id)]])}` : null} />
        </section>
      )}
    </div>
  );
}
