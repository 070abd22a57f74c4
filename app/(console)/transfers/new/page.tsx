import type { Metadata } from 'next';
import { FileTransferForm } from '@/components/transfers/file-transfer-form';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: '发起调动申请' };

export default async function NewTransferPage() {
  const actor = await requirePermission('transfer.file');
  return (
    <div className="space-y-4">
      <PageTitle title="发起调动申请" description={`由调入学校（${actor.unitName}）发起，经本校主管教育行政部门确认后发往调出学校。已生效、无待审批新增或变更的记录才能调动。`} />
      <FileTransferForm />
    </div>
  );
}
