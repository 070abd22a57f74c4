import type { Metadata } from 'next';
import Link from 'next/link';
import { QueryBuilder } from '@/components/statistics/query-builder';
import { QueryRunPanel } from '@/components/statistics/query-run-panel';
import { StartQueryRunButton } from '@/components/statistics/start-query-run-button';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { TeacherTable } from '@/components/teachers/teacher-table';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { getQueryRun, latestQueryRun, listQueryMatches, planCombinedQuery, queryRunPage, type CombinedQueryPlan } from '@/lib/combined-query/queries';
import { countSourceNotes, type CombinedQueryRequest, type QueryRunView } from '@/lib/combined-query/schemas';
import { NotFoundError } from '@/lib/errors';
import { parseId } from '@/lib/http/params';
import { describeCondition, encodeCondition, parseConditions } from '@/lib/statistics/query-builder';
import type { TeacherListRow } from '@/lib/teachers/queries';

export const metadata: Metadata = { title: '组合查询' };

function queryParams(request: CombinedQueryRequest, extra: [string, string][] = []): URLSearchParams {
  return new URLSearchParams([
    ...(request.unitId ? [['unit', String(request.unitId)]] : []),
    ...(request.scope === 'all' ? [['scope', 'all']] : []),
    ...request.conditions.map((c) => ['cond', encodeCondition(c)]),
    ...extra,
  ]);
}

/**
 * Managers and viewers combine conditions on indicators, see the count and the list, and export (audited, masked for
 * viewers). The count comes from the pre-counted statistics where they answer the conditions, directly in a small
 * jurisdiction, and otherwise from a run in the background whose result is kept; the page says which.
 */
export default async function QueryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === 'string' ? params[key] : undefined);
  const after = parseId(one('after')) ?? undefined;
  let request: CombinedQueryRequest = { unitId: parseId(one('unit')) ?? undefined, scope: one('scope') === 'all' ? 'all' : 'official', conditions: parseConditions(params.cond) };
  let run: QueryRunView | null = null;
  let plan: CombinedQueryPlan | null = null;
  let missing: string | null = null;
  try {
    if (one('run')) {
      run = await getQueryRun(actor, one('run')!);
      request = run.request;
    } else if (request.conditions.length) {
      plan = await planCombinedQuery(actor, request);
      if (!plan.listLive) run = await latestQueryRun(actor, request);
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    missing = error.message;
  }
  const asked = request.conditions.length > 0 && !missing;
  let list: { rows: TeacherListRow[]; hasMore: boolean; nextAfter?: number } | null = null;
  if (run?.status === 'done') list = await queryRunPage(actor, run.id, after);
  else if (!run && plan?.listLive && plan.count) list = await listQueryMatches(actor, request, after);
  const count = run ? (run.status === 'done' ? run.matched : null) : (plan?.count ?? null);
  const source = run ? 'run' : plan?.source;
  const cond = request.conditions.map(encodeCondition);
  const base = queryParams(request, run && one('run') ? [['run', run.id]] : []);
  const exportParams = queryParams(request, [['official', request.scope === 'official' ? '1' : '0']]);
  return (
    <div className="space-y-4">
      <PageTitle title="组合查询" description={`按基本信息指标组合条件查询${actor.unitName}${actor.unitKind === 'school' ? '' : '及所辖单位'}的教师。导出记入审计日志${actor.role === 'viewer' ? '，证件号码脱敏' : ''}。`}>
        <Link href="/statistics" className="btn-secondary">返回统计分析</Link>
      </PageTitle>
      <QueryBuilder key={cond.join('&') + request.scope} initial={request.conditions} scope={request.scope} unitId={request.unitId} />
      {missing && <p className="card p-4 text-sm text-slate-700" role="alert" data-testid="query-missing">{missing}</p>}
      {asked && (
        <section className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" data-testid="query-summary">
              {request.conditions.map(describeCondition).join('，且')}
              {count !== null && (
                <>
                  ：共 <strong data-testid="query-count">{count.toLocaleString('zh-CN')}</strong> 人
                </>
              )}
              （{request.scope === 'official' ? '正式数据' : '含草稿和已报送'}）
            </p>
            {count !== null && count > 0 && <Link href={`/teachers/export?${exportParams}`} className="btn-secondary" data-testid="query-export">导出 Excel</Link>}
          </div>
          {source && <p className="text-xs text-slate-500" data-testid="query-source" data-source={source}>{countSourceNotes[source]}{plan && !run && !plan.listLive ? '；符合条件的教师较少，名单需在后台查询' : ''}</p>}
          {run && <QueryRunPanel run={run} cond={cond} />}
          {!run && plan && !plan.listLive && (
            <div className="card flex flex-wrap items-center gap-3 p-3 text-sm" data-testid="query-run-offer">
              <span className="text-slate-700">{plan.source === 'aggregate' ? '名单需逐条查询各单位的教师记录，' : '需逐条查询各单位的教师记录，'}将在后台运行并显示进度。</span>
              <StartQueryRunButton input={{ unitId: request.unitId, scope: request.scope, cond }} label="开始后台查询" />
            </div>
          )}
          {list && (
            <>
              <TeacherTable rows={list.rows} testId="query-rows" />
              <KeysetPager firstHref={after ? `/statistics/query?${base}` : null} nextHref={list.hasMore && list.nextAfter ? `/statistics/query?${new URLSearchParams([...base, ['after', String(list.nextAfter)]])}` : null} />
            </>
          )}
        </section>
      )}
    </div>
  );
}
