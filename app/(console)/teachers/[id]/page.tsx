import type { Metadata } from 'next';
import Link from 'next/link';
import { TeacherRecord } from '@/components/teachers/teacher-record';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { getTeacherRecord } from '@/lib/teachers/queries';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { RecordWorkflow } from '@/components/collection/record-workflow';
import { StatusPanel } from '@/components/mobility/status-panel';
import { getStatusPanel } from '@/lib/mobility/queries';
import { todayIso } from '@/lib/indicators/form-schema';
import { CreditLedger } from '@/components/training/credit-ledger';
import { getLedger } from '@/lib/training/ledger/queries';

export const metadata: Metadata = { title: '教师信息' };

export default async function TeacherRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('teacher.list');
  const [view, workflow, status, ledger] = await loadOrNotFound(actor, 'teacher.record', (await params).id, (id) => Promise.all([getTeacherRecord(actor, id), getRecordWorkflow(actor, id), getStatusPanel(actor, id), getLedger(actor, id)]));
  return (
    <div>
      <PageTitle title="教师信息" description="按本省选定的指标填报；带 * 的为必填项，报送前须填写完整。">
        <div className="flex gap-2">
          <Link href={`/teachers/${view.id}/history`} className="btn-secondary">版本与修改记录</Link>
          <Link href="/teachers" className="btn-secondary">返回列表</Link>
        </div>
      </PageTitle>
      <div className="space-y-4">
        {/* The page title's button is the one way to the history. */}
        <RecordWorkflow teacherId={view.id} workflow={workflow} />
        {workflow.recordState === 'effective' && <StatusPanel teacherId={view.id} panel={status} today={todayIso()} />}
        {ledger && <CreditLedger ledger={ledger} />}
        <TeacherRecord view={view} audience="staff" />
      </div>
    </div>
  );
}
