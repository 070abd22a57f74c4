import type { Metadata } from 'next';
import Link from 'next/link';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { listLeftTeachers } from '@/lib/mobility/queries';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '已离开人员' };

export default async function LeftTeachersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = parseSearchParams({ before: idParam }, await searchParams);
  const { rows, hasMore } = await listLeftTeachers(actor, { before: params.before });
  return (
    <div className="space-y-4">
      <PageTitle title="已离开人员" description="退休、离休、调出、辞职、离职、开除或死亡的人员。记录连同全部历史保留，学校及其上级可以查看；他们不再计入在职教职工，账号已关闭。" />
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">没有已离开的人员。</p>
      ) : (
        <TableFrame label="已离开教师">
          <table className="w-full text-sm" data-testid="left-table">
            <thead className="bg-slate-50 text-left text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">姓名</th>
                <th className="px-3 py-2 font-medium">原单位</th>
                <th className="px-3 py-2 font-medium">人员状态</th>
                <th className="px-3 py-2 font-medium">离开日期</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-3 py-2">
                    <Link href={`/teachers/${row.id}`} className="font-medium text-brand-700 hover:underline">
                      {row.name}
                    </Link>
                    <span className="block text-xs text-slate-500">{row.idNumberMasked}</span>
                  </td>
                  <td className="px-3 py-2">{row.unitName}</td>
                  <td className="px-3 py-2">{row.statusName}</td>
                  <td className="px-3 py-2 tabular-nums">{row.leftOn ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <KeysetPager firstHref={params.before ? '/teachers/left' : null} nextHref={hasMore ? `/teachers/left?before=${rows.at(-1)!.id}` : null} />
    </div>
  );
}
