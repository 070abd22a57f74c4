import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { ViewTabs } from '@/components/workflow/view-tabs';
import { PageTitle } from '@/components/ui/stat-card';
import { ProjectStateBadge } from '@/components/training/project-state-badge';
import { categoryName, hoursText, levelName } from '@/components/training/labels';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { notFound } from 'next/navigation';
import { listProjects, projectViews, type ProjectView } from '@/lib/training/projects/queries';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '培训学分' };

const viewNames: Record<ProjectView, string> = { own: '本单位项目', waiting: '待我审核', below: '下级单位项目', above: '上级培训项目', institution: '承训项目' };

export default async function TrainingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireStaff();
  const institution = actor.role === 'institution';
  if (!institution && !can(actor, 'training.view')) notFound();
  const views: ProjectView[] = institution ? ['institution'] : actor.unitKind === 'school' ? ['own', 'above'] : actor.unitTier === 'central' ? ['own', 'below'] : ['own', 'waiting', 'below', 'above'];
  const params = parseSearchParams({ view: z.enum(projectViews), year: z.coerce.number().int().min(2000).max(2100), before: idParam }, await searchParams);
  const view = params.view && views.includes(params.view) ? params.view : views[0];
  const { rows, hasMore } = await listProjects(actor, { view, year: params.year, before: params.before });
  const keep = (extra: Record<string, string | undefined>) => `/training?${new URLSearchParams(Object.entries({ view, year: params.year ? String(params.year) : undefined, ...extra }).filter((e): e is [string, string] => !!e[1]))}`;
  const description = institution
    ? '本机构承训的培训项目：项目结束后填报或导入每位参训教师的考核结果，提交后由教育行政部门确认学分。'
    : '培训项目登记、参训报名、考核结果确认与教师学分。确认后的学分按教师所在省份的学时学分转化规则计算，写入教师的“培训研修”信息。';
  return (
    <div className="space-y-4">
      <PageTitle title={institution ? '培训项目与考核结果' : '培训学分'} description={description}>
        {!institution && (
          <div className="flex flex-wrap gap-2">
            <Link href="/training/plan" className="btn-secondary">
              培训计划
            </Link>
            <Link href="/training/filings" className="btn-secondary">
              校本与自主研修
            </Link>
            <Link href="/training/completion" className="btn-secondary">
              完成情况
            </Link>
            {actor.unitKind === 'authority' && (
              <Link href="/training/institutions" className="btn-secondary">
                培训机构
              </Link>
            )}
            {can(actor, 'training.rules') && (
              <Link href="/training/rules" className="btn-secondary">
                转化规则
              </Link>
            )}
            {can(actor, 'training.manage') && (
              <Link href="/training/projects/new" className="btn-primary" data-testid="training-project-new">
                {actor.unitKind === 'school' ? '申报校本研修项目' : '登记培训项目'}
              </Link>
            )}
          </div>
        )}
      </PageTitle>
      {views.length > 1 && <ViewTabs label="培训项目视图" views={views} names={viewNames} current={view} hrefOf={(key) => `/training?view=${key}`} />}
      <form className="card flex flex-wrap items-end gap-3 p-3">
        <input type="hidden" name="view" value={view} />
        <label className="text-xs text-slate-600">
          项目年度
          <input name="year" type="number" min={2000} max={2100} defaultValue={params.year ?? ''} placeholder="全部" className="input mt-1 w-32" />
        </label>
        <button type="submit" className="btn-primary">
          筛选
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">{view === 'waiting' ? '没有等待本单位审核的校本研修项目。' : '没有符合条件的培训项目。'}</p>
      ) : (
        <>
          <ul className="space-y-2 md:hidden" data-testid="training-project-cards">
            {rows.map((row) => (
              <li key={row.id} className="card p-3">
                <Link href={`/training/projects/${row.id}`} className="font-medium text-brand-700 hover:underline">
                  {row.name}
                </Link>
                <p className="mt-1 text-xs text-slate-500">
                  {row.code} · {levelName(row.level)} · {categoryName(row.category)} · {row.ownerName}
                </p>
                <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                  <ProjectStateBadge state={row.state} />
                  <span>
                    {row.startDate} 至 {row.endDate} · {hoursText(row.plannedHours)} · 报名 {row.enrolled}/{row.capacity} · 已确认 {row.confirmed}
                  </span>
                </p>
              </li>
            ))}
          </ul>
          <TableFrame label="培训项目" className="hidden md:block">
            <table className="w-full text-sm" data-testid="training-project-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-3 py-2 font-medium">项目</th>
                  <th className="px-3 py-2 font-medium">级别·类别</th>
                  <th className="px-3 py-2 font-medium">登记单位</th>
                  <th className="whitespace-nowrap px-3 py-2 font-medium">培训时间</th>
                  <th className="px-3 py-2 text-right font-medium">学时</th>
                  <th className="px-3 py-2 text-right font-medium">报名/计划</th>
                  <th className="px-3 py-2 text-right font-medium">已确认</th>
                  <th className="px-3 py-2 font-medium">状态</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td className="px-3 py-2">
                      <Link href={`/training/projects/${row.id}`} className="font-medium text-brand-700 hover:underline">
                        {row.name}
                      </Link>
                      <span className="block font-mono text-xs text-slate-500">{row.code}</span>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">
                      {levelName(row.level)}·{categoryName(row.category)}
                    </td>
                    <td className="px-3 py-2">{row.ownerName}</td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                      {row.startDate} 至 {row.endDate}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.plannedHours}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {row.enrolled}/{row.capacity}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.confirmed}</td>
                    <td className="px-3 py-2">
                      <ProjectStateBadge state={row.state} />
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
