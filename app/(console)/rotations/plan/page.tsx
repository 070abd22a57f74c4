import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { RotationTargetsForm } from '@/components/rotations/rotation-targets-form';
import { PageTitle } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { todayIso } from '@/lib/indicators/form-schema';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { getRotationPlan, listPlanCounties } from '@/lib/rotations/queries';
import { formatPermille, schoolYearMonths, schoolYearOf, type RotationPlanFigures } from '@/lib/rotations/schemas';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '交流轮岗计划' };

function Verdict({ ok, testId }: { ok: boolean; testId?: string }) {
  return (
    <span data-testid={testId} className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${ok ? 'bg-emerald-100 text-emerald-800' : 'bg-red-100 text-red-800'}`}>
      {ok ? '达标' : '未达标'}
    </span>
  );
}

function Summary({ figures }: { figures: RotationPlanFigures }) {
  const cards: [string, string, React.ReactNode?][] = [
    ['应交流对象', figures.eligible.toLocaleString('zh-CN')],
    ['至少应交流', figures.required.toLocaleString('zh-CN')],
    ['本学年已安排', figures.planned.toLocaleString('zh-CN')],
    ['正在交流', figures.rotatingNow.toLocaleString('zh-CN')],
    ['交流比例', formatPermille(figures.sharePermille), <Verdict key="s" ok={figures.meetsShare} testId="plan-share-verdict" />],
    // Nobody arranged yet: no share of key teachers to judge (the exchange share above already says 未达标 if any is due).
    ['骨干教师占比', formatPermille(figures.keySharePermille), figures.keySharePermille !== null ? <Verdict key="k" ok={figures.meetsKeyShare} /> : undefined],
  ];
  return (
    <section aria-label="全县合计" className="grid grid-cols-2 gap-3 md:grid-cols-6" data-testid="plan-summary">
      {cards.map(([label, value, verdict]) => (
        <div key={label} className="card px-4 py-3">
          <p className="text-xs text-slate-500">{label}</p>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-2xl font-semibold tabular-nums text-slate-900">
            {value}
            {verdict}
          </p>
        </div>
      ))}
    </section>
  );
}

export default async function RotationPlanPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('rotation.plan');
  const thisYear = schoolYearOf(todayIso());
  const params = parseSearchParams({ county: idParam, year: z.coerce.number().int().min(thisYear - 5).max(thisYear + 1) }, await searchParams);
  const counties = await listPlanCounties(actor);
  const year = params.year ?? thisYear;
  const countyId = params.county ?? (counties.length === 1 ? counties[0].id : undefined);
  const plan = countyId ? await getRotationPlan(actor, { countyId, year }) : null;
  const mayEdit = plan !== null && can(actor, 'rotation.target') && plan.county.id === actor.unitId;
  const years = Array.from({ length: 7 }, (_, i) => thisYear + 1 - i);
  return (
    <div className="space-y-4">
      <PageTitle title="交流轮岗计划" description="县域内义务教育学校（小学、初中、九年一贯制、完全中学、十二年一贯制）教师交流轮岗：在本校任教满规定年限的教师为应交流对象，按年度目标安排交流；两种方式（人走关系留、人走关系走）都计入，按学年（9 月至次年 8 月）统计。">
        <Link href="/rotations" className="btn-secondary">
          交流轮岗名单
        </Link>
      </PageTitle>
      <form className="card flex flex-wrap items-end gap-3 p-3">
        {counties.length > 1 && (
          <label className="min-w-56 flex-1 text-xs text-slate-600 sm:flex-none">
            县（区）
            <select name="county" defaultValue={countyId ?? ''} className="input mt-1">
              <option value="">请选择县（区）</option>
              {counties.map((county) => (
                <option key={county.id} value={county.id}>
                  {county.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {counties.length === 1 && <input type="hidden" name="county" value={counties[0].id} />}
        <label className="text-xs text-slate-600">
          年度
          <select name="year" defaultValue={year} className="input mt-1">
            {years.map((value) => (
              <option key={value} value={value}>
                {value} 学年（{schoolYearMonths(value).from} 至 {schoolYearMonths(value).until}）
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary">
          查看
        </button>
      </form>
      {!plan ? (
        <p className="card p-6 text-center text-sm text-slate-500">{counties.length === 0 ? '本单位管辖范围内没有县级教育行政部门。' : '请选择要查看的县（区）。'}</p>
      ) : (
        <>
          <section className="card space-y-3 p-4">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <h2 className="font-semibold text-slate-900">
                  {plan.county.name} {plan.year} 学年目标
                </h2>
                <p className="mt-1 text-sm text-slate-700" data-testid="plan-targets">
                  在本校任教满 {plan.targets.eligibleYears} 年（{plan.joinedBy} 及以前进本校）的在职教师为应交流对象；本学年（{schoolYearMonths(plan.year).from} 至 {schoolYearMonths(plan.year).until} 开始的交流）不少于应交流对象的 {formatPermille(plan.targets.minSharePermille)}，其中骨干教师不少于交流人数的 {formatPermille(plan.targets.minKeySharePermille)}。
                </p>
                <p className="mt-1 text-xs text-slate-500">{plan.targetsSetBy ? `由 ${plan.targetsSetBy.name} 于 ${formatDateTime(plan.targetsSetBy.at)} 设置` : '本学年尚未设置，按国家规定的最低要求计算。'}</p>
              </div>
              <a href={`/rotations/plan/export?county=${plan.county.id}&year=${plan.year}`} className="btn-secondary" data-testid="plan-export">
                导出 Excel
              </a>
            </div>
            {mayEdit && <RotationTargetsForm key={`${plan.year}-${plan.targets.eligibleYears}-${plan.targets.minSharePermille}-${plan.targets.minKeySharePermille}`} year={plan.year} targets={plan.targets} />}
          </section>
          <Summary figures={plan.total} />
          {plan.schools.length === 0 ? (
            <p className="card p-6 text-center text-sm text-slate-500">本县（区）没有义务教育学校。</p>
          ) : (
            <>
              <ul className="space-y-2 md:hidden" data-testid="plan-cards">
                {plan.schools.map((school) => (
                  <li key={school.schoolId} className="card space-y-1 p-3 text-sm">
                    <p className="font-medium text-slate-900">{school.name}</p>
                    <p className="text-slate-700">
                      应交流对象{' '}
                      <Link href={`/rotations/plan/eligible?county=${plan.county.id}&year=${plan.year}&school=${school.schoolId}`} className="font-medium text-brand-700 underline">
                        {school.eligible}
                      </Link>{' '}
                      人 · 至少 {school.required} 人 · 已安排 {school.planned} 人（骨干 {school.plannedKey}）· 正在交流 {school.rotatingNow} 人
                    </p>
                    <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                      交流比例 {formatPermille(school.sharePermille)} <Verdict ok={school.meetsShare} /> 骨干占比 {formatPermille(school.keySharePermille)} {school.keySharePermille !== null && <Verdict ok={school.meetsKeyShare} />}
                    </p>
                  </li>
                ))}
              </ul>
              <TableFrame label="各校交流轮岗达标情况" className="hidden md:block">
                <table className="w-full text-sm" data-testid="plan-table">
                  <thead className="bg-slate-50 text-left text-xs text-slate-500">
                    <tr>
                      <th className="px-3 py-2 font-medium">学校</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">应交流对象</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">至少应交流</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">本学年已安排</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">其中骨干</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">正在交流</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">交流比例</th>
                      <th className="whitespace-nowrap px-3 py-2 text-right font-medium">骨干占比</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {plan.schools.map((school) => (
                      <tr key={school.schoolId} data-testid="plan-row">
                        <td className="px-3 py-2">
                          {school.name}
                          <span className="block text-xs text-slate-500">{school.code}</span>
                        </td>
                        <td className="px-3 py-2 text-right tabular-nums">
                          <Link href={`/rotations/plan/eligible?county=${plan.county.id}&year=${plan.year}&school=${school.schoolId}`} className="text-brand-700 underline" data-testid="plan-eligible-link">
                            {school.eligible}
                          </Link>
                        </td>
                        <td className="px-3 py-2 text-right tabular-nums">{school.required}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{school.planned}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{school.plannedKey}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{school.rotatingNow}</td>
                        <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                          {formatPermille(school.sharePermille)} <Verdict ok={school.meetsShare} />
                        </td>
                        <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                          {formatPermille(school.keySharePermille)} {school.keySharePermille !== null && <Verdict ok={school.meetsKeyShare} />}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot className="bg-slate-50 font-semibold">
                    <tr>
                      <td className="px-3 py-2">
                        全县合计{' '}
                        <Link href={`/rotations/plan/eligible?county=${plan.county.id}&year=${plan.year}`} className="text-xs font-normal text-brand-700 underline">
                          查看全部应交流对象
                        </Link>
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">{plan.total.eligible}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{plan.total.required}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{plan.total.planned}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{plan.total.plannedKey}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{plan.total.rotatingNow}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{formatPermille(plan.total.sharePermille)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{formatPermille(plan.total.keySharePermille)}</td>
                    </tr>
                  </tfoot>
                </table>
              </TableFrame>
            </>
          )}
        </>
      )}
    </div>
  );
}
