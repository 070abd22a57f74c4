import type { Metadata } from 'next';
import Link from 'next/link';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle, StatCard } from '@/components/ui/stat-card';
import { requireStaff } from '@/lib/auth/session';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { textParam } from '@/lib/http/params';
import { ownershipNames, unitKindNames, unitStatusNames } from '@/lib/units/defaults';
import { getUnitDetail, listChildrenWithCounts, searchUnits, type UnitCursor, type UnitSummary } from '@/lib/units/queries';
import { TableFrame } from '@/components/ui/table-frame';
import { divisionAncestry } from '@/lib/reference/divisions';

export const metadata: Metadata = { title: '单位浏览' };

const pageSize = 50;

function parseCursor(value: string | undefined): UnitCursor | undefined {
  const match = value?.match(/^(authority|school|institution):(\w{1,16})$/);
  return match ? { kind: match[1] as UnitCursor['kind'], code: match[2] } : undefined;
}

export default async function UnitPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ q?: string; after?: string }> }) {
  const actor = await requireStaff();
  const { id } = await params;
  const { q, after } = await searchParams;
  const detail = await loadOrNotFound(actor, 'unit.detail', id, (unitId) => getUnitDetail(actor, unitId));
  const query = textParam(50).safeParse(q ?? '').data ?? '';
  const searchResults = query ? await searchUnits(actor, query) : null;
  const children = searchResults ? [] : await listChildrenWithCounts(detail, { after: parseCursor(after), limit: pageSize + 1 });
  const hasMore = children.length > pageSize;
  const pageRows = children.slice(0, pageSize);
  const last = pageRows.at(-1);

  return (
    <div className="space-y-5">
      <nav aria-label="单位层级" className="flex flex-wrap items-center gap-1 text-sm text-slate-500" data-testid="unit-breadcrumb">
        {detail.breadcrumb.map((crumb, i) => (
          <span key={crumb.id} className="flex items-center gap-1">
            {i > 0 && <span aria-hidden="true">/</span>}
            {crumb.inScope && crumb.id !== detail.id ? (
              <Link href={`/units/${crumb.id}`} className="text-brand-600 hover:underline">
                {crumb.name}
              </Link>
            ) : (
              <span className={crumb.id === detail.id ? 'font-medium text-slate-800' : ''}>{crumb.name}</span>
            )}
          </span>
        ))}
      </nav>
      <PageTitle title={detail.name} description={`${unitKindNames[detail.kind]} · 代码 ${detail.code}${detail.status === 'closed' ? ' · 已撤销' : ''}`} />

      {detail.kind === 'school' ? (
        <dl className="card grid grid-cols-1 gap-x-6 gap-y-3 p-4 text-sm sm:grid-cols-2">
          <Item label="学校标识码" value={detail.code} />
          <Item label="办学类型" value={detail.schoolTypeName ? `${detail.schoolTypeName}（${detail.stageName}）` : '—'} />
          <Item label="所在地行政区划" value={detail.divisionCode ? `${divisionAncestry(detail.divisionCode).reverse().map((division) => division.name).join('') || '未知区划'}（${detail.divisionCode}）` : '—'} />
          <Item label="办学性质" value={detail.ownership ? ownershipNames[detail.ownership] : '—'} />
          <Item label="状态" value={unitStatusNames[detail.status]} />
          <Item label="用户账号" value={String(detail.counts.accounts)} />
        </dl>
      ) : (
        <section aria-label="下级统计" className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <StatCard label="下级教育行政部门" value={detail.counts.authorities} testId="unit-count-authorities" />
          <StatCard label="学校（在办）" value={detail.counts.activeSchools} testId="unit-count-schools" />
          <StatCard label="已撤销学校" value={detail.counts.closedSchools} />
          <StatCard label="用户账号" value={detail.counts.accounts} testId="unit-count-accounts" />
        </section>
      )}

      {detail.kind !== 'school' && (
        <section className="card">
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 p-3">
            <h2 className="text-sm font-semibold text-slate-700">{searchResults ? `搜索“${query}”的结果` : '直属下级单位'}</h2>
            <form className="flex w-full gap-2 sm:w-auto" role="search">
              <label htmlFor="unit-search" className="sr-only">
                按名称或代码搜索管辖范围内的单位
              </label>
              <input id="unit-search" name="q" defaultValue={query} placeholder="名称或代码" className="input sm:w-56" />
              <button type="submit" className="btn-secondary shrink-0">
                搜索
              </button>
              {searchResults && (
                <Link href={`/units/${detail.id}`} className="btn-secondary shrink-0">
                  清除
                </Link>
              )}
            </form>
          </div>
          <UnitTable rows={searchResults ?? pageRows} withCounts={!searchResults} />
          {!searchResults && (
            <div className="border-t border-slate-200 p-3 empty:hidden">
              <KeysetPager
                firstHref={after ? `/units/${detail.id}` : null}
                nextHref={hasMore && last ? `/units/${detail.id}?after=${last.kind}:${last.code}` : null}
              />
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{value}</dd>
    </div>
  );
}

function UnitTable({ rows, withCounts }: { rows: (UnitSummary & { schoolCount?: number; authorityCount?: number; accountCount?: number })[]; withCounts: boolean }) {
  if (rows.length === 0) return <p className="p-6 text-center text-sm text-slate-500">没有符合条件的单位</p>;
  return (
    <TableFrame label="下级单位" card={false}>
      <table className="w-full text-sm">
        <thead className="table-head">
          <tr>
            <th className="px-3 py-2">代码</th>
            <th className="px-3 py-2">名称</th>
            <th className="hidden px-3 py-2 sm:table-cell">类别</th>
            {withCounts && <th className="px-3 py-2 text-right">下级部门</th>}
            {withCounts && <th className="px-3 py-2 text-right">学校</th>}
            {withCounts && <th className="px-3 py-2 text-right">账号</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} className={row.status === 'closed' ? 'text-slate-500' : ''}>
              <td className="px-3 py-2 font-mono text-xs">{row.code}</td>
              <td className="px-3 py-2">
                <Link href={`/units/${row.id}`} className="text-brand-600 hover:underline">
                  {row.name}
                </Link>
                {row.status === 'closed' && <span className="ml-1 text-xs">（已撤销）</span>}
                <span className="block text-xs text-slate-500 sm:hidden">{row.kind === 'school' ? (row.schoolTypeName ?? '学校') : unitKindNames[row.kind]}</span>
              </td>
              <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{row.kind === 'school' ? (row.schoolTypeName ?? '学校') : unitKindNames[row.kind]}</td>
              {withCounts && <td className="px-3 py-2 text-right tabular-nums">{row.authorityCount ?? 0}</td>}
              {withCounts && <td className="px-3 py-2 text-right tabular-nums">{row.schoolCount ?? 0}</td>}
              {withCounts && <td className="px-3 py-2 text-right tabular-nums">{row.accountCount ?? 0}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
