import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { RotationStateBadge } from '@/components/rotations/rotation-state-badge';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { ViewTabs } from '@/components/workflow/view-tabs';
import { PageTitle } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { codeName } from '@/lib/indicators/code-tables';
import { rotationDueDays, rotationStateNames, type RotationState } from '@/lib/rotations/chain';
import { listRotations } from '@/lib/rotations/queries';
import { rotationViewNames, rotationViews, type RotationView } from '@/lib/rotations/schemas';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '交流轮岗' };

const stateFilters = ['open', 'away', 'due', ...(Object.keys(rotationStateNames) as RotationState[])] as const;

export default async function RotationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('rotation.view');
  const params = parseSearchParams({ view: z.enum(rotationViews), state: z.enum(stateFilters), before: idParam }, await searchParams);
  const view: RotationView = params.view ?? (can(actor, 'rotation.act') ? 'waiting' : 'all');
  const { rows, hasMore } = await listRotations(actor, { view, state: params.state, before: params.before });
  const keep = (extra: Record<string, string | undefined>) => {
    const query: Record<string, string | undefined> = { view, state: params.state, ...extra };
    return `/rotations?${new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]))}`;
  };
  const incoming = view === 'incoming';
  return (
    <div className="space-y-4">
      <PageTitle title="交流轮岗" description={`人走关系留：派出学校申请，主管教育行政部门确认；交流期间教师仍是派出学校的教职工（人员状态“交流轮岗”），接收学校在“交流来校”中查看。计划结束前 ${rotationDueDays} 天，两校都会收到待办提醒。`}>
        <div className="flex flex-wrap gap-2">
          {can(actor, 'rotation.plan') && (
            <Link href="/rotations/plan" className="btn-secondary">
              交流轮岗计划
            </Link>
          )}
          {can(actor, 'rotation.file') && (
            <Link href="/rotations/new" className="btn-primary" data-testid="rotation-new">
              申请交流轮岗
            </Link>
          )}
        </div>
      </PageTitle>
      <ViewTabs label="交流轮岗视图" views={rotationViews} names={rotationViewNames} current={view} hrefOf={(key) => `/rotations?view=${key}`} />
      <form className="card flex flex-wrap items-end gap-3 p-3">
        <input type="hidden" name="view" value={view} />
        <label className="min-w-48 flex-1 text-xs text-slate-600 sm:flex-none">
          状态
          <select name="state" defaultValue={params.state ?? ''} className="input mt-1">
            <option value="">全部状态</option>
            <option value="open">办理中或交流中</option>
            <option value="away">交流中（含延期待确认）</option>
            <option value="due">{rotationDueDays} 天内到期</option>
            {Object.entries(rotationStateNames).map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary">
          筛选
        </button>
      </form>
      {incoming && <p className="text-xs text-slate-500">交流来校的教师不计入本单位教职工人数，其信息由派出学校维护，这里只读。</p>}
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">{view === 'waiting' ? '没有等待本单位办理的交流轮岗。' : incoming ? '目前没有到本单位交流的教师。' : '没有符合条件的交流轮岗。'}</p>
      ) : (
        <>
          <ul className="space-y-2 md:hidden" data-testid="rotation-cards">
            {rows.map((row) => (
              <li key={row.id} className="card p-3">
                <Link href={`/rotations/${row.id}`} className="font-medium text-brand-700 hover:underline">
                  {row.teacherName}
                </Link>
                <span className="ml-2 text-xs text-slate-500">
                  {row.teacherIdMasked} · {row.teacherGender}
                </span>
                <p className="mt-1 text-sm text-slate-700">
                  {row.homeSchoolName} → {row.hostSchoolName}
                </p>
                <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  <RotationStateBadge state={row.state} dueSoon={row.dueSoon} mine={row.mine} />
                  <span>
                    {codeName('rotationKind', row.kind)} · {row.startMonth} 至 {row.endMonth ?? row.plannedEndMonth}
                  </span>
                </p>
              </li>
            ))}
          </ul>
          <TableFrame label="交流轮岗" className="hidden md:block">
            <table className="w-full text-sm" data-testid="rotation-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-3 py-2 font-medium">教师</th>
                  <th className="px-3 py-2 font-medium">类型</th>
                  <th className="px-3 py-2 font-medium">派出学校</th>
                  <th className="px-3 py-2 font-medium">接收学校</th>
                  <th className="whitespace-nowrap px-3 py-2 font-medium">起止年月</th>
                  <th className="px-3 py-2 font-medium">状态</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id} className={row.dueSoon ? 'bg-amber-50/50' : undefined}>
                    <td className="px-3 py-2">
                      <Link href={`/rotations/${row.id}`} className="font-medium text-brand-700 hover:underline">
                        {row.teacherName}
                      </Link>
                      <span className="block whitespace-nowrap text-xs text-slate-500">
                        {row.teacherIdMasked} · {row.teacherGender}
                      </span>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">{codeName('rotationKind', row.kind)}</td>
                    <td className="px-3 py-2">{row.homeSchoolName}</td>
                    <td className="px-3 py-2">{row.hostSchoolName}</td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                      {row.startMonth} 至 {row.endMonth ?? row.plannedEndMonth}
                    </td>
                    <td className="px-3 py-2">
                      <RotationStateBadge state={row.state} dueSoon={row.dueSoon} mine={row.mine} />
                    </td>
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
