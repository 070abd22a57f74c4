import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FieldHistory } from '@/components/teachers/field-history';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { getTeacherRecord, listFieldChanges } from '@/lib/teachers/queries';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { VersionHistory } from '@/components/collection/version-history';

export const metadata: Metadata = { title: '版本与修改记录' };

export default async function TeacherHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('teacher.list');
  const { id } = await params;
  if (!/^\d{1,10}$/.test(id)) notFound();
  const [view, changes, workflow] = await Promise.all([getTeacherRecord(actor, Number(id)), listFieldChanges(actor, Number(id), 300), getRecordWorkflow(actor, Number(id))]).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <div>
      <PageTitle title={`${view.name} 的版本与修改记录`} description="每次审核通过生成一个版本并保留逐项差异；草稿阶段的每次保存也逐项记录（最近 300 条）。">
        <Link href={`/teachers/${view.id}`} className="btn-secondary">返回教师信息</Link>
      </PageTitle>
      <div className="space-y-6">
        <VersionHistory workflow={workflow} />
        <section className="space-y-3">
          <h2 className="font-semibold text-slate-900">逐项修改记录</h2>
          <FieldHistory changes={changes} catalogue={view.catalogue} />
        </section>
      </div>
    </div>
  );
}
