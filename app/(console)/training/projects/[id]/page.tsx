import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { PageTitle } from '@/components/ui/stat-card';
import { CaseFacts } from '@/components/workflow/case-header';
import { CaseTimeline } from '@/components/workflow/case-timeline';
import { EnrolPanel } from '@/components/training/enrol-panel';
import { ProjectDecision } from '@/components/training/project-decision';
import { ProjectStateBadge } from '@/components/training/project-state-badge';
import { ResultsPanel } from '@/components/training/results-panel';
import { ReviewPanel } from '@/components/training/review-panel';
import { NominatePanel } from '@/components/training/nominate-panel';
import { categoryName, hoursText, levelName } from '@/components/training/labels';
import { requireStaff } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { formatCredits } from '@/lib/training/rules';
import { codeName } from '@/lib/indicators/code-tables';
import { todayIso } from '@/lib/indicators/form-schema';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { getProject, listParticipants, listSchoolTeacherChoices, type ProjectDetail } from '@/lib/training/projects/queries';
import { participantStateNames, projectStateNames, submissionStateNames } from '@/lib/training/schemas';
import { TableFrame } from '@/components/ui/table-frame';

/** The cards count people in each state of the results: headcounts, not credits. */
const participantCardLabels = { enrolled: '待提交结果', submitted: '结果待确认', returned: '已退回机构', confirmed: '学分已确认' } as const;

export const metadata: Metadata = { title: '培训项目' };

const actionNames: Record<string, Record<string, string>> = {
  'training.project': { file: '登记', approve: '同意登记', reject: '不同意', withdraw: '撤回' },
  'training.submission': { file: '提交考核结果', confirm: '全部确认', confirmSome: '确认所选，其余退回', return: '全部退回', resubmit: '重新提交考核结果' },
};
const stateNames: Record<string, string> = { ...projectStateNames, ...submissionStateNames };

async function load(actor: Awaited<ReturnType<typeof requireStaff>>, id: number): Promise<ProjectDetail> {
  try {
    return await getProject(actor, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function TrainingProjectPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireStaff();
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  const query = parseSearchParams({ sample: z.literal('1'), after: idParam }, await searchParams);
  const project = await load(actor, id.data);
  const ended = project.endDate <= todayIso();
  const reviewable = project.submissions.filter((s) => s.state === 'submitted' && s.actions.length > 0);
  const [participants, openRows, reviews, nominees] = await Promise.all([
    listParticipants(actor, project.id, { after: query.after }),
    project.may.results ? listParticipants(actor, project.id, { state: ['enrolled', 'returned'], limit: 500 }) : null,
    Promise.all(reviewable.map(async (s) => ({ submission: s, rows: (await listParticipants(actor, project.id, { state: 'submitted', confirmUnitId: s.confirmUnitId, sample: query.sample ? 20 : undefined, limit: 200 })).rows }))),
    project.may.nominate ? listSchoolTeacherChoices(actor) : null,
  ]);
  const facts: [string, string][] = [
    ['项目编号', project.code],
    ['登记单位', project.ownerName],
    ['项目级别', levelName(project.level)],
    ['培训类别', categoryName(project.category)],
    ['项目年度', String(project.year)],
    ['培训时间', `${project.startDate} 至 ${project.endDate}`],
    ['计划学时', hoursText(project.plannedHours)],
    ['计划人数', `${project.capacity} 人`],
    ['面向学段', project.stages.length ? project.stages.map((code) => codeName('teachingStage', code)).join('、') : '所有学段'],
    ['面向学科', project.subjects.length ? project.subjects.join('、') : '所有学科'],
    ['承训机构', project.institutions.map((i) => i.name).join('、') || '学校自行组织'],
    ['校长培训', project.forPrincipals ? '是' : '否'],
  ];
  return (
    <div className="space-y-4">
      <PageTitle title={project.name} description={`${levelName(project.level)}${categoryName(project.category)} · ${project.ownerName}`}>
        <Link href="/training" className="btn-secondary">
          返回培训项目
        </Link>
      </PageTitle>
      <section className="card space-y-3 p-4">
        <div className="flex flex-wrap items-center gap-2">
          <ProjectStateBadge state={project.state} />
          {project.rejectionReason && <span className="text-sm text-red-700">未通过原因：{project.rejectionReason}</span>}
        </div>
        <CaseFacts facts={facts} testId="training-project-facts" />
        {project.description && <p className="text-sm text-slate-700">{project.description}</p>}
        <ProjectDecision projectId={project.id} steps={project.may.decide} />
      </section>

      <section aria-label="参训情况" className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <div className="card p-3">
          <p className="text-xs text-slate-500">参训人数</p>
          <p className="text-xl font-semibold tabular-nums" data-testid="participants-total">
            {project.enrolled}
          </p>
        </div>
        {(Object.keys(participantCardLabels) as (keyof typeof participantCardLabels)[]).map((state) => (
          <div key={state} className="card p-3">
            <p className="text-xs text-slate-500">{participantCardLabels[state]}</p>
            <p className="text-xl font-semibold tabular-nums" data-testid={`participants-${state}`}>
              {project.counts[state]}
            </p>
          </div>
        ))}
      </section>

      {nominees && <NominatePanel projectId={project.id} teachers={nominees} />}
      {project.may.enrol && <EnrolPanel projectId={project.id} room={Math.max(0, project.capacity - project.enrolled)} />}
      {openRows && <ResultsPanel projectId={project.id} projectCode={project.code} rows={openRows.rows} ended={ended} endDate={project.endDate} ready={project.readyToSubmit} />}

      {project.submissions.length > 0 && (
        <section className="card space-y-3 p-4" aria-labelledby="submissions-title">
          <h2 id="submissions-title" className="text-sm font-semibold text-slate-700">
            考核结果与学分确认
          </h2>
          <ul className="divide-y divide-slate-100 text-sm" data-testid="training-submissions">
            {project.submissions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {s.confirmUnitName} · {s.participants} 人
                  {s.returnReason && s.state === 'returned' && <span className="ml-2 text-amber-800">退回原因：{s.returnReason}</span>}
                </span>
                <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{submissionStateNames[s.state]}</span>
              </li>
            ))}
          </ul>
          {reviews.map(({ submission, rows }) => (
            <div key={submission.id} className="space-y-2 border-t border-slate-100 pt-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="text-sm font-medium">待本单位确认的考核结果</h3>
                <Link href={query.sample ? `/training/projects/${project.id}` : `/training/projects/${project.id}?sample=1`} className="text-sm text-brand-700 underline">
                  {query.sample ? '显示全部' : '随机抽查 20 条'}
                </Link>
              </div>
              <ReviewPanel projectId={project.id} submissionId={submission.id} rows={rows.map((r) => ({ ...r }))} total={project.counts.submitted} steps={submission.actions} sampled={Boolean(query.sample)} />
            </div>
          ))}
        </section>
      )}

      <section className="card space-y-2 p-4" aria-labelledby="participants-title">
        <h2 id="participants-title" className="text-sm font-semibold text-slate-700">
          参训教师
        </h2>
        {participants.rows.length === 0 ? (
          <p className="text-sm text-slate-500">尚无参训教师。</p>
        ) : (
          <TableFrame label="参训教师" card={false}>
            <table className="w-full text-sm" data-testid="participants-table">
              <thead className="table-head">
                <tr>
                  <th className="px-3 py-2">参训编号</th>
                  <th className="px-3 py-2">教师</th>
                  <th className="px-3 py-2">学校</th>
                  <th className="px-3 py-2 text-right">实际学时</th>
                  <th className="px-3 py-2">考核</th>
                  <th className="px-3 py-2 text-right">学分</th>
                  <th className="px-3 py-2">状态</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {participants.rows.map((row) => (
                  <tr key={row.id}>
                    <td className="px-3 py-2 font-mono text-xs">{row.id}</td>
                    <td className="px-3 py-2">
                      {row.teacherName}
                      <span className="block text-xs text-slate-500">{row.teacherIdMasked}</span>
                    </td>
                    <td className="px-3 py-2">{row.schoolName}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{hoursText(row.attendedHours)}</td>
                    <td className="px-3 py-2">{row.passed === null ? '—' : row.passed ? '合格' : '不合格'}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.credits === null ? '—' : formatCredits(row.credits)}</td>
                    <td className="px-3 py-2 text-xs">{participantStateNames[row.state]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        )}
        {participants.hasMore && (
          <Link href={`/training/projects/${project.id}?after=${participants.rows.at(-1)!.id}`} className="text-sm text-brand-700 underline">
            下一页
          </Link>
        )}
      </section>

      {project.timeline.length > 0 && (
        <CaseTimeline
          testId="training-project-timeline"
          events={project.timeline.map((event) => ({ id: event.id, actionName: actionNames[event.flow]?.[event.action] ?? event.action, unitName: event.unitName, accountName: event.accountName, createdAt: event.createdAt, outcome: stateNames[event.toState] ?? event.toState, reason: event.reason }))}
        />
      )}
    </div>
  );
}
