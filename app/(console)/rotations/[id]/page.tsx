import type { Metadata } from 'next';
import Link from 'next/link';
import { RotationStateBadge } from '@/components/rotations/rotation-state-badge';
import { RotationSteps } from '@/components/rotations/rotation-steps';
import { CaseTimeline } from '@/components/workflow/case-timeline';
import { CaseFacts, CaseHeader } from '@/components/workflow/case-header';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { rotationActionNames, rotationDueDays, rotationStateNames, type RotationAction, type RotationState } from '@/lib/rotations/chain';
import { getRotation } from '@/lib/rotations/queries';

export const metadata: Metadata = { title: '交流轮岗详情' };

export default async function RotationPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('rotation.view');
  const rotation = await loadOrNotFound(actor, 'rotation', (await params).id, (id) => getRotation(actor, id));
  const facts: [string, string][] = [
    ['交流轮岗类型', rotation.kindName],
    ['人事关系', '不变（人走关系留）'],
    ['派出学校', rotation.homeSchoolName],
    ['接收学校', rotation.hostSchoolName],
    ['开始年月', rotation.startMonth],
    ['计划结束年月', rotation.plannedEndMonth + (rotation.requestedEndMonth ? `（申请延期至 ${rotation.requestedEndMonth}）` : '')],
    ['实际结束年月', rotation.endMonth ? `${rotation.endMonth}${rotation.endKind === 'early' ? '（提前结束）' : ''}` : '—'],
    ['文号', rotation.documentNumber ?? '—'],
    ['申请人', `${rotation.filedByName}，${formatDateTime(rotation.filedAt)}`],
  ];
  return (
    <div className="space-y-4">
      <CaseHeader
        listHref="/rotations"
        listLabel="交流轮岗"
        caseLabel={`交流 #${rotation.id}`}
        teacherName={rotation.teacherName}
        teacherIdMasked={rotation.teacherIdMasked}
        teacherGender={rotation.teacherGender}
        status={
          <>
            <RotationStateBadge state={rotation.state} dueSoon={rotation.dueSoon} mine={rotation.actions.length > 0} />
            {rotation.dueSoon && <span className="text-xs text-amber-800">计划 {rotation.plannedEndMonth} 结束（{rotationDueDays} 天内到期），请派出学校办理返回、延期或提前结束</span>}
          </>
        }
        actions={
          rotation.recordHref && (
            <Link href={rotation.recordHref} className="btn-secondary">
              查看教师记录
            </Link>
          )
        }
      />
      {rotation.rejectionReason && (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="rotation-rejection">
          未通过原因：{rotation.rejectionReason}
        </p>
      )}
      <RotationSteps rotationId={rotation.id} actions={rotation.actions.map(({ action, label, requiresReason }) => ({ action, label, requiresReason }))} plannedEndMonth={rotation.plannedEndMonth} requestedEndMonth={rotation.requestedEndMonth} />
      <section className="card p-4">
        <h2 className="mb-2 font-semibold text-slate-900">交流信息</h2>
        <CaseFacts facts={facts} testId="rotation-facts">
          <div className="sm:col-span-2">
            <dt className="text-xs text-slate-500">交流说明</dt>
            <dd className="whitespace-pre-wrap">{rotation.reason}</dd>
          </div>
        </CaseFacts>
      </section>
      <section className="card p-4">
        <h2 className="mb-2 font-semibold text-slate-900">教师基本情况</h2>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4" data-testid="rotation-teacher-summary">
          {rotation.teacherSummary.map((item) => (
            <div key={item.label}>
              <dt className="text-xs text-slate-500">{item.label}</dt>
              <dd>{item.value}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-xs text-slate-500">教师信息由派出学校维护；接收学校只读，交流教师不计入接收学校的教职工人数。</p>
      </section>
      <CaseTimeline
        testId="rotation-timeline"
        events={rotation.events.map((event) => ({
          id: event.id,
          actionName: rotationActionNames[event.action as RotationAction | 'file'] ?? event.action,
          unitName: event.unitName,
          accountName: event.accountName,
          createdAt: event.createdAt,
          outcome: [rotationStateNames[event.toState as RotationState] ?? event.toState, event.detail?.month ? `${event.action === 'extend' ? '延期至' : '结束年月'} ${event.detail.month}` : ''].filter(Boolean).join(' · '),
          reason: event.reason,
        }))}
      />
    </div>
  );
}
