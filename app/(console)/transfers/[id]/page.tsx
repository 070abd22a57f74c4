import type { Metadata } from 'next';
import Link from 'next/link';
import { TransferRoute } from '@/components/transfers/transfer-route';
import { TransferStateBadge } from '@/components/transfers/transfer-state-badge';
import { TransferSteps } from '@/components/transfers/transfer-steps';
import { CaseTimeline } from '@/components/workflow/case-timeline';
import { CaseFacts, CaseHeader } from '@/components/workflow/case-header';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { overdueDays, transferKindNames, transferStateNames } from '@/lib/transfers/chain';
import { getTransfer } from '@/lib/transfers/queries';
import type { TransferState } from '@/lib/transfers/chain';

export const metadata: Metadata = { title: '调动详情' };

const actionNames: Record<string, string> = { file: '提交申请', confirm: '确认', agree: '同意调出', reject: '不同意', withdraw: '撤回申请', receive: '调档，完成调动' };

export default async function TransferPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('transfer.view');
  const transfer = await loadOrNotFound(actor, 'transfer', (await params).id, (id) => getTransfer(actor, id));
  const stoppedAt = transfer.events.findLast((event) => event.toState === 'rejected' || event.toState === 'withdrawn')?.fromState ?? null;
  const facts: [string, string][] = [
    ['类型', transferKindNames[transfer.kind]],
    ['调出学校', transfer.sendingSchoolName],
    ['调入学校', transfer.receivingSchoolName + (transfer.crossProvince ? '（跨省）' : '')],
    ['拟任岗位', [transfer.postCategoryName, transfer.postTitle].filter(Boolean).join(' · ')],
    ['拟到岗年月', transfer.plannedArrivalMonth],
    ['离校年月', transfer.leavingMonth ?? '—'],
    ['到岗年月', transfer.arrivalMonth ?? '—'],
    ['申请人', `${transfer.filedByName}，${formatDateTime(transfer.filedAt)}`],
  ];
  return (
    <div className="space-y-4">
      <CaseHeader
        listHref="/transfers"
        listLabel="教师调动"
        caseLabel={`调动 #${transfer.id}`}
        teacherName={transfer.teacherName}
        teacherIdMasked={transfer.teacherIdMasked}
        teacherGender={transfer.teacherGender}
        status={
          <>
            <TransferStateBadge state={transfer.state} overdue={transfer.overdue} mine={transfer.actions.length > 0} />
            {transfer.daysWaiting > 0 && (
              <span className={`text-xs ${transfer.overdue ? 'text-red-700' : 'text-slate-500'}`}>
                本环节已等待 {transfer.daysWaiting} 天{transfer.overdue ? `（超过 ${overdueDays} 天）` : ''}
              </span>
            )}
          </>
        }
        actions={
          <>
            {transfer.recordHref && (
              <Link href={transfer.recordHref} className="btn-secondary">
                查看教师记录
              </Link>
            )}
            <Link href={`/transfers/${transfer.id}/print`} className="btn-secondary" data-testid="transfer-print">
              打印审批表
            </Link>
          </>
        }
      />
      <section className="card space-y-3 p-4">
        <TransferRoute route={transfer.route} state={transfer.state} stoppedAt={stoppedAt} />
        {transfer.rejectionReason && (
          <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="transfer-rejection">
            未通过原因：{transfer.rejectionReason}
          </p>
        )}
      </section>
      <TransferSteps transferId={transfer.id} actions={transfer.actions.map(({ action, label, requiresReason }) => ({ action, label, requiresReason }))} plannedArrivalMonth={transfer.plannedArrivalMonth} />
      <section className="card p-4">
        <h2 className="mb-2 font-semibold text-slate-900">调动信息</h2>
        <CaseFacts facts={facts}>
          <div className="sm:col-span-2">
            <dt className="text-xs text-slate-500">调动原因</dt>
            <dd className="whitespace-pre-wrap">{transfer.reason}</dd>
          </div>
          {transfer.attachment && (
            <div className="sm:col-span-2">
              <dt className="text-xs text-slate-500">附件</dt>
              <dd>
                <a href={`/transfers/${transfer.id}/attachment`} className="text-brand-700 hover:underline">
                  {transfer.attachment.fileName}
                </a>
                <span className="ml-1 text-xs text-slate-500">（{Math.ceil(transfer.attachment.byteSize / 1024)} KB）</span>
              </dd>
            </div>
          )}
        </CaseFacts>
      </section>
      <section className="card p-4">
        <h2 className="mb-2 font-semibold text-slate-900">教师基本情况</h2>
        {transfer.teacherSummary ? (
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4" data-testid="transfer-teacher-summary">
            {transfer.teacherSummary.map((item) => (
              <div key={item.label}>
                <dt className="text-xs text-slate-500">{item.label}</dt>
                <dd>{item.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-sm text-slate-500">调出学校同意前，调入方只能看到姓名、证件号码（部分隐藏）、性别和现任职学校。</p>
        )}
      </section>
      <CaseTimeline
        testId="transfer-timeline"
        events={transfer.events.map((event) => ({
          id: event.id,
          actionName: actionNames[event.action] ?? event.action,
          unitName: event.unitName,
          accountName: event.accountName,
          createdAt: event.createdAt,
          outcome: [transferStateNames[event.toState as TransferState] ?? event.toState, event.detail?.leavingMonth ? `离校年月 ${event.detail.leavingMonth}` : '', event.detail?.arrivalMonth ? `到岗年月 ${event.detail.arrivalMonth}` : ''].filter(Boolean).join(' · '),
          reason: event.reason,
        }))}
      />
    </div>
  );
}
