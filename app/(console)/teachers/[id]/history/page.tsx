import type { Metadata } from 'next';
import Link from 'next/link';
import { FieldHistory } from '@/components/teachers/field-history';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { getTeacherRecord, listFieldChanges } from '@/lib/teachers/queries';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { VersionHistory } from '@/components/collection/version-history';

export const metadata: Metadata = { title: '版本与修改记录' };

export default async function TeacherHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('teacher.list');
  const [view, changes, workflow] = await loadOrNotFound(actor, 'teacher.history', (await params).id, (id) =>
    Promise.all([getTeacherRecord(actor, id), listFieldChanges(actor, id, 300), getRecordWorkflow(actor, id)]),
  );
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
