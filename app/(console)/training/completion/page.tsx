import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { PageTitle, StatCard } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { completionStatusNames, completionStatuses, getCompletion, listCompletionTeachers, type CompletionCounts } from '@/lib/training/completion/queries';
import { formatCredits } from '@/lib/training/rules';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '培训完成情况' };

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((part * 100) / whole).toFixed(1)}%`);

export default async function CompletionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('training.view');
  const params = parseSearchParams({ unit: idParam, status: z.enum(completionStatuses), after: idParam, list: z.literal('1') }, await searchParams);
  let data: Awaited<ReturnType<typeof getCompletion>>;
  try {
    data = await getCompletion(actor, params.unit);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const { unit, totals, rows } = data;
  const showTeachers = unit.kind === 'school' || params.list || params.status;
  const teachers = showTeachers ? await listCompletionTeachers(actor, { unitId: unit.id, status: params.status, after: params.after }) : null;
  const here = (extra: Record<string, string | undefined>) => `/training/completion?${new URLSearchParams(Object.entries({ unit: String(unit.id), ...extra }).filter((e): e is [string, string] => !!e[1]))}`;
  const cards: [keyof CompletionCounts, string][] = [
    ['teachers', '在岗教师'],
    ['complete', completionStatusNames.complete],
    ['onTrack', completionStatusNames.onTrack],
    ['behind', completionStatusNames.behind],
    ['atRisk', completionStatusNames.atRisk],
  ];
  return (
    <div className="space-y-4">
      <PageTitle title="培训完成情况" description={`${unit.name}：在岗教师本周期培训学时学分的完成情况。“进度正常”指完成比例不低于周期已过的比例；“周期将满未达标”指周期在 12 个月内结束而尚未达标。`}>
        <div className="flex flex-wrap gap-2">
          {unit.id !== actor.unitId && (
            <Link href="/training/completion" className="btn-secondary">
              返回本单位
            </Link>
          )}
          <a href={`/training/completion/export?${new URLSearchParams(Object.entries({ unit: String(unit.id), status: params.status }).filter((e): e is [string, string] => !!e[1]))}`} className="btn-secondary" download>
            导出教师名单
          </a>
        </div>
      </PageTitle>
      <section aria-label="完成情况" className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {cards.map(([key, label]) => (
          <Link key={key} href={key === 'teachers' ? here({ list: '1' }) : here({ status: key })} className="block rounded-lg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
            <StatCard label={key === 'teachers' ? label : `${label}（${percent(totals[key], totals.teachers)}）`} value={totals[key].toLocaleString('zh-CN')} testId={`completion-${key}`} />
          </Link>
        ))}
      </section>
      {rows.length > 0 && (
        <TableFrame label="学分完成情况">
          <table className="w-full text-sm" data-testid="completion-table">
            <thead className="table-head">
              <tr>
                <th className="px-3 py-2">单位</th>
                <th className="px-3 py-2 text-right">在岗教师</th>
                <th className="px-3 py-2 text-right">已达标</th>
                <th className="px-3 py-2 text-right">进度正常</th>
                <th className="px-3 py-2 text-right">进度滞后</th>
                <th className="px-3 py-2 text-right">周期将满未达标</th>
                <th className="px-3 py-2 text-right">达标率</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.unitId}>
                  <td className="px-3 py-2">
                    <Link href={`/training/completion?unit=${row.unitId}`} className="text-brand-700 hover:underline">
                      {row.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.teachers.toLocaleString('zh-CN')}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.complete.toLocaleString('zh-CN')}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.onTrack.toLocaleString('zh-CN')}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.behind.toLocaleString('zh-CN')}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.atRisk.toLocaleString('zh-CN')}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{percent(row.complete, row.teachers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      {teachers && (
        <section className="card space-y-2 p-4" aria-labelledby="completion-teachers-title">
          <h2 id="completion-teachers-title" className="text-sm font-semibold text-slate-700">
            教师名单{params.status ? `：${completionStatusNames[params.status]}` : ''}
          </h2>
          {teachers.rows.length === 0 ? (
            <p className="text-sm text-slate-500">没有符合条件的教师。</p>
          ) : (
            <TableFrame label="未达标教师" card={false}>
              <table className="w-full text-sm" data-testid="completion-teachers">
                <thead className="table-head">
                  <tr>
                    <th className="px-3 py-2">教师</th>
                    <th className="px-3 py-2">单位</th>
                    <th className="px-3 py-2">周期</th>
                    <th className="px-3 py-2 text-right">学时</th>
                    <th className="px-3 py-2 text-right">学分</th>
                    <th className="px-3 py-2 text-right">进度</th>
                    <th className="px-3 py-2">状态</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {teachers.rows.map((row) => (
                    <tr key={row.id}>
                      <td className="px-3 py-2">
                        <Link href={`/teachers/${row.id}`} className="text-brand-700 hover:underline">
                          {row.name}
                        </Link>
                        <span className="block text-xs text-slate-500">{row.idNumberMasked}</span>
                      </td>
                      <td className="px-3 py-2">{row.schoolName}</td>
                      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{row.cycle}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{row.hours}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{formatCredits(row.credits)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{Math.round(row.progressPermille / 10)}%</td>
                      <td className="px-3 py-2 text-xs">{completionStatusNames[row.status]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
          {teachers.hasMore && (
            <Link href={here({ status: params.status, list: params.list, after: String(teachers.rows.at(-1)!.id) })} className="text-sm text-brand-700 underline">
              下一页
            </Link>
          )}
        </section>
      )}
    </div>
  );
}
