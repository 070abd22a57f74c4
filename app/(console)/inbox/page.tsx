import type { Metadata } from 'next';
import { InboxList } from '@/components/collection/inbox-list';
import { PageTitle } from '@/components/ui/stat-card';
import { requireStaff } from '@/lib/auth/session';
import { getInbox } from '@/lib/inbox/queries';

export const metadata: Metadata = { title: '待办事项' };

export default async function InboxPage() {
  const actor = await requireStaff();
  const groups = await getInbox(actor);
  return (
    <div>
      <PageTitle title="待办事项" description="等待您处理的审核、退回、变更申请和上级催办，处理后自动移出。" />
      <InboxList groups={groups} />
    </div>
  );
}
