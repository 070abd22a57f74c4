import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { PageTitle } from '@/components/ui/stat-card';
import { PublishPlanButton } from '@/components/training/publish-plan-button';
import { categoryName, levelName } from '@/components/training/labels';
import { formatDateTime } from '@/lib/format';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { getPlan, listPlansAbove } from '@/lib/training/plans/queries';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '培训计划' };

export default async function TrainingPlanPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('training.view');
  const params = parseSearchParams({ owner: idParam, year: z.coerce.number().int().min(2000).max(2100) }, await searchParams);
  const year = params.year ?? Number(todayIso().slice(0, 4));
  const ownerId = params.owner ?? (actor.unitKind === 'authority' ? actor.unitId : undefined);
  const above = await listPlansAbove(actor);
  let plan: Awaited<ReturnType<typeof getPlan>> | null = null;
  if (ownerId) {
    try {
      plan = await getPlan(actor, { ownerUnitId: ownerId, year });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      if (params.owner) notFound();
    }
  }
  const sum = (key: 'projects' | 'places' | 'personHours') => plan?.totals.reduce((total, t) => total + t[key], 0) ?? 0;
  return (
    <div className="space-y-4">
      <PageTitle title="培训计划" description="教育行政部门一个年度登记的培训项目，按级别和类别汇总计划人数与人学时；发布后下级单位可以查看（学校只看到面向本学段的项目）。">
        <form className="flex items-end gap-2">
          {params.owner && <input type="hidden" name="owner" value={params.owner} />}
          <label className="text-xs text-slate-600">
            年度
            <input name="year" type="number" min={2000} max={2100} defaultValue={year} className="input mt-1 w-28" />
          </label>
          <button type="submit" className="btn-secondary">
            查看
          </button>
        </form>
      </PageTitle>
      {above.length > 0 && (
        <section className="card p-4 text-sm" aria-labelledby="plans-above-title">
          <h2 id="plans-above-title" className="mb-2 font-semibold text-slate-700">
            上级发布的培训计划
          </h2>
          <ul className="flex flex-wrap gap-2">
            {above.map((p) => (
              <li key={`${p.ownerUnitId}-${p.year}`}>
                <Link href={`/training/plan?owner=${p.ownerUnitId}&year=${p.year}`} className="rounded-md border border-slate-200 px-2 py-1 text-brand-700 hover:border-brand-600">
                  {p.ownerName} {p.year} 年
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!plan ? (
        <p className="card p-6 text-center text-sm text-slate-500">{actor.unitKind === 'authority' ? '该年度培训计划尚未发布。' : '请选择上级发布的培训计划。'}</p>
      ) : (
        <>
          <section className="card flex flex-wrap items-start justify-between gap-3 p-4">
            <div>
              <h2 className="font-semibold" data-testid="plan-title">
                {plan.owner.name} {plan.year} 年培训计划
              </h2>
              <p className="mt-1 text-sm text-slate-600">
                {plan.published ? `已于 ${formatDateTime(plan.published.at)} 由${plan.published.byName}发布` : '尚未发布：下级单位还看不到'} · 共 {sum('projects')} 个项目，计划 {sum('places').toLocaleString('zh-CN')} 人次、{sum('personHours').toLocaleString('zh-CN')} 人学时
              </p>
            </div>
            <div className="flex flex-wrap items-start gap-2">
              <a href={`/training/plan/export?owner=${plan.owner.id}&year=${plan.year}`} className="btn-secondary" download>
                导出
              </a>
              {plan.mayPublish && <PublishPlanButton year={plan.year} published={Boolean(plan.published)} />}
            </div>
          </section>
          {plan.totals.length > 0 && (
            <TableFrame label="学分汇总">
              <table className="w-full text-sm" data-testid="plan-totals">
                <thead className="table-head">
                  <tr>
                    <th className="px-3 py-2">级别</th>
                    <th className="px-3 py-2">类别</th>
                    <th className="px-3 py-2 text-right">项目数</th>
                    <th className="px-3 py-2 text-right">计划人数</th>
                    <th className="px-3 py-2 text-right">计划人学时</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {plan.totals.map((t) => (
                    <tr key={`${t.level}-${t.category}`}>
                      <td className="px-3 py-2">{levelName(t.level)}</td>
                      <td className="px-3 py-2">{categoryName(t.category)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{t.projects}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{t.places.toLocaleString('zh-CN')}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{t.personHours.toLocaleString('zh-CN')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
          <ul className="space-y-2" data-testid="plan-projects">
            {plan.projects.map((p) => (
              <li key={p.id} className="card flex flex-wrap items-baseline justify-between gap-2 p-3 text-sm">
                <Link href={`/training/projects/${p.id}`} className="font-medium text-brand-700 hover:underline">
                  {p.name}
                </Link>
                <span className="text-xs text-slate-500">
                  {levelName(p.level)}·{categoryName(p.category)} · {p.startDate} 至 {p.endDate} · {p.plannedHours} 学时 · {p.capacity} 人{p.nominationOpen ? ' · 开放学校推荐' : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
