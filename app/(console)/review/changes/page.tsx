import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DecisionButtons } from '@/components/collection/decision-buttons';
import { DiffTable } from '@/components/collection/diff-table';
import { PageTitle } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listPendingChanges } from '@/lib/collection/queries';
import { listPendingStatusChanges } from '@/lib/mobility/queries';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: '新增与变更审核' };

export default async function ChangesReviewPage() {
  const actor = await requireStaff();
  const atSchool = can(actor, 'record.submit');
  if (!atSchool && !can(actor, 'record.review')) notFound();
  const [{ additions, changeRequests }, statusChanges] = await Promise.all([listPendingChanges(actor), listPendingStatusChanges(actor)]);
  return (
    <div className="space-y-6">
      <PageTitle
        title="新增与变更审核"
        description={atSchool ? '教师或本校提交的新增信息，学校审核后报主管教育行政部门审批，审批后生效。' : '所属学校报来的在职情况变动（离开本单位）、审核过的新增信息和变更申请。确认或批准后生成新的版本，原版本保留。'}
      />
      <section className="space-y-3">
        <h2 className="font-semibold text-slate-900">新增信息（{additions.length}）</h2>
        {additions.length === 0 && <p className="card p-4 text-sm text-slate-500">暂无待审核的新增信息。</p>}
        {additions.map((addition) => (
          <article key={addition.id} className="card space-y-3 p-4" data-testid="pending-addition">
            <header className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="font-medium">
                <Link href={`/teachers/${addition.teacherId}`} className="text-brand-700 hover:underline">{addition.teacherName}</Link>
                <span className="ml-2 text-sm text-slate-500">{addition.unitName} · 新增{addition.subsetLabel}</span>
              </p>
              <p className="text-xs text-slate-500">
                {addition.filedByName} 于 {formatDateTime(addition.filedAt)} 提交{addition.schoolReviewedByName ? `；学校 ${addition.schoolReviewedByName} 已审核` : ''}
              </p>
            </header>
            <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
              {addition.described.map((item) => (
                <div key={item.label}>
                  <dt className="text-xs text-slate-500">{item.label}</dt>
                  <dd>{item.text}</dd>
                </div>
              ))}
            </dl>
            <DecisionButtons kind="addition" id={addition.id} approveLabel={atSchool ? '审核通过，报主管部门' : '审批通过并生效'} returnLabel="退回" />
          </article>
        ))}
      </section>
      {!atSchool && (
        <section className="space-y-3">
          <h2 className="font-semibold text-slate-900">在职情况变动（{statusChanges.length}）</h2>
          {statusChanges.length === 0 && <p className="card p-4 text-sm text-slate-500">暂无待确认的在职情况变动。</p>}
          {statusChanges.map((change) => (
            <article key={change.id} className="card space-y-2 p-4" data-testid="pending-status">
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-medium">
                  <Link href={`/teachers/${change.teacherId}`} className="text-brand-700 hover:underline">{change.teacherName}</Link>
                  <span className="ml-2 text-sm text-slate-500">{change.unitName} · {change.fromName} → {change.toName}</span>
                </p>
                <p className="text-xs text-slate-500">
                  {change.filedByName} 于 {formatDateTime(change.filedAt)} 提交
                </p>
              </header>
              <p className="text-sm text-slate-700">
                生效日期 {change.effectiveDate}{change.documentNumber ? ` · 文号 ${change.documentNumber}` : ''} · 原因：{change.reason}
              </p>
              <DecisionButtons kind="status" id={change.id} approveLabel="确认变动" returnLabel="不同意" />
            </article>
          ))}
        </section>
      )}
      {(!atSchool || changeRequests.length > 0) && (
        <section className="space-y-3">
          <h2 className="font-semibold text-slate-900">{atSchool ? '教师本人的变更申请' : '变更申请'}（{changeRequests.length}）</h2>
          {changeRequests.length === 0 && <p className="card p-4 text-sm text-slate-500">暂无待审批的变更申请。</p>}
          {changeRequests.map((request) => (
            <article key={request.id} className="card space-y-3 p-4" data-testid="pending-change">
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-medium">
                  <Link href={`/teachers/${request.teacherId}`} className="text-brand-700 hover:underline">{request.teacherName}</Link>
                  <span className="ml-2 text-sm text-slate-500">
                    {request.unitName} · {request.kind === 'delete' ? '删除' : '变更'}{request.subsetLabel}
                  </span>
                </p>
                <p className="text-xs text-slate-500">
                  {request.filedByName} 于 {formatDateTime(request.filedAt)} 申请{request.schoolReviewedByName ? `，${request.schoolReviewedByName} 审核通过` : ''}
                </p>
              </header>
              <p className="text-sm text-slate-700">申请原因：{request.reason}</p>
              <div className="overflow-x-auto">
                <DiffTable changes={request.described} testId="change-diff" />
              </div>
              {request.state === 'pending_school' ? <DecisionButtons kind="change" id={request.id} approveLabel="审核通过，报主管部门" returnLabel="退回" /> : <DecisionButtons kind="change" id={request.id} approveLabel="批准变更" returnLabel="驳回" />}
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
