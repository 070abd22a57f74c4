import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { VersionHistory } from '@/components/collection/version-history';
import { requireActor } from '@/lib/auth/session';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { getOwnTeacherId } from '@/lib/teachers/queries';

export const metadata: Metadata = { title: '我的信息版本' };

/** The teacher's own history: every effective version with its diff, and every review decision. */
export default async function TeacherHistory() {
  const actor = await requireActor();
  if (actor.role !== 'teacher') redirect('/dashboard');
  const teacherId = await getOwnTeacherId(actor);
  if (!teacherId) redirect('/me');
  const workflow = await getRecordWorkflow(actor, teacherId);
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-3 py-4 sm:px-4">
      <header className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">我的信息版本与审核记录</h1>
        <Link href="/me" className="btn-secondary">返回</Link>
      </header>
      <VersionHistory workflow={workflow} />
    </main>
  );
}
