import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { ViewTabs } from '@/components/workflow/view-tabs';
import { PageTitle } from '@/components/ui/stat-card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { TransferStateBadge } from '@/components/transfers/transfer-state-badge';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { overdueDays, transferStateNames } from '@/lib/transfers/chain';
import { listTransfers } from '@/lib/transfers/queries';
import { transferViewNames, transferViews, type TransferView } from '@/lib/transfers/schemas';
import type { TransferState } from '@/lib/transfers/chain';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '教师调动' };

// A real calendar day (2024-02-30 is dropped like any other bad value), as PostgreSQL will read it.
const dateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().slice(0, 10) === value);
const stateFilters = ['open', 'overdue', ...(Object.keys(transferStateNames) as TransferState[])] as const;

export default async function TransfersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('transfer.view');
  const params = parseSearchParams({ view: z.enum(transferViews), state: z.enum(stateFilters), from: dateParam, to: dateParam, before: idParam }, await searchParams);
  const view: TransferView = params.view ?? (can(actor, 'transfer.act') ? 'waiting' : 'all');
  const { rows, hasMore } = await listTransfers(actor, { view, state: params.state, filedFrom: params.from, filedTo: params.to, before: params.before });
  const keep = (extra: Record<string, string | undefined>) => {
    const query = new URLSearchParams(Object.entries({ view, state: params.state, from: params.from, to: params.to, ...extra }).filter((e): e is [string, string] => !!e[1]));
    return `/transfers?${query}`;
  };
  return (
    <div className="space-y-4">
      <PageTitle title="教师调动" description={`调入校发起申请，经主管部门确认发出，调出校及其主管部门确认后，调入校调档完成调动；跨省调动还须两省教育行政部门确认。单个环节超过 ${overdueDays} 天未办理的标为超期，上级可见。`}>
        {can(actor, 'transfer.file') && (
          <Link href="/transfers/new" className="btn-primary" data-testid="transfer-new">
            发起调动申请
          </Link>
        )}
      </PageTitle>
      <ViewTabs label="调动视图" views={transferViews} names={transferViewNames} current={view} hrefOf={(key) => `/transfers?view=${key}`} />
      <form className="card grid grid-cols-2 gap-3 p-3 sm:grid-cols-4 sm:items-end">
        <input type="hidden" name="view" value={view} />
        <label className="col-span-2 text-xs text-slate-600 sm:col-span-1">
          状态
          <select name="state" defaultValue={params.state ?? ''} className="input mt-1">
            <option value="">全部状态</option>
            <option value="open">办理中</option>
            <option value="overdue">已超期</option>
            {Object.entries(transferStateNames).map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          申请日期从
          <input type="date" name="from" defaultValue={params.from ?? ''} className="input mt-1" />
        </label>
        <label className="text-xs text-slate-600">
          至
          <input type="date" name="to" defaultValue={params.to ?? ''} className="input mt-1" />
        </label>
        <button type="submit" className="btn-primary">
          筛选
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">{view === 'waiting' ? '没有等待本单位办理的调动。' : '没有符合条件的调动。'}</p>
      ) : (
        <>
          <ul className="space-y-2 md:hidden" data-testid="transfer-cards">
            {rows.map((row) => (
              <li key={row.id} className="card p-3">
                <Link href={`/transfers/${row.id}`} className="font-medium text-brand-700 hover:underline">
                  {row.teacherName}
                </Link>
                <span className="ml-2 text-xs text-slate-500">{row.teacherIdMasked}</span>
                <p className="mt-1 text-sm text-slate-700">
                  {row.sendingSchoolName} → {row.receivingSchoolName}
                </p>
                <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  <TransferStateBadge state={row.state} overdue={row.overdue} mine={row.mine} />
                  {row.daysWaiting > 0 && <span>本环节已等待 {row.daysWaiting} 天</span>}
                </p>
              </li>
            ))}
          </ul>
          <TableFrame label="调动" className="hidden md:block">
            <table className="w-full text-sm" data-testid="transfer-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-3 py-2 font-medium">教师</th>
                  <th className="px-3 py-2 font-medium">调出学校</th>
                  <th className="px-3 py-2 font-medium">调入学校</th>
                  <th className="px-3 py-2 font-medium">状态</th>
                  <th className="px-3 py-2 text-right font-medium">本环节等待</th>
                  <th className="px-3 py-2 font-medium">申请时间</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id} className={row.overdue ? 'bg-red-50/40' : undefined}>
                    <td className="px-3 py-2">
                      <Link href={`/transfers/${row.id}`} className="font-medium text-brand-700 hover:underline">
                        {row.teacherName}
                      </Link>
                      <span className="block text-xs text-slate-500">{row.teacherIdMasked}</span>
                    </td>
                    <td className="px-3 py-2">{row.sendingSchoolName}</td>
                    <td className="px-3 py-2">
                      {row.receivingSchoolName}
                      {row.crossProvince && <span className="ml-1 rounded bg-violet-100 px-1 text-xs text-violet-800">跨省</span>}
                    </td>
                    <td className="px-3 py-2">
                      <TransferStateBadge state={row.state} overdue={row.overdue} mine={row.mine} />
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.daysWaiting > 0 ? `${row.daysWaiting} 天` : '—'}</td>
                    <td className="px-3 py-2 text-xs text-slate-600">{formatDateTime(row.filedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </>
      )}
      <KeysetPager firstHref={params.before ? keep({}) : null} nextHref={hasMore ? keep({ before: String(rows.at(-1)!.id) }) : null} />
    </div>
  );
}
