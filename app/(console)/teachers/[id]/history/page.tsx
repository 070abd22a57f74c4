import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FieldHistory } from '@/components/teachers/field-history';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { getTeacherRecord, listFieldChanges } from '@/lib/teachers/queries';

export const metadata: Metadata = { title: '修改记录' };

export default async function TeacherHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('teacher.list');
  const { id } = await params;
  if (!/^\d{1,10}$/.test(id)) notFound();
  const [view, changes] = await Promise.all([getTeacherRecord(actor, Number(id)), listFieldChanges(actor, Number(id), 300)]).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <div>
      <PageTitle title={`${view.name} 的修改记录`} description="每次保存逐项记录修改人、时间和修改前后的内容（最近 300 条）。">
        <Link href={`/teachers/${view.id}`} className="btn-secondary">返回教师信息</Link>
      </PageTitle>
      <FieldHistory changes={changes} catalogue={view.catalogue} />
    </div>
  );
}
