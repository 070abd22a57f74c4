import type { Metadata } from 'next';
import { FileRotationForm } from '@/components/rotations/file-rotation-form';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { getRotationFilingChoices } from '@/lib/rotations/queries';

export const metadata: Metadata = { title: '申请交流轮岗' };

export default async function NewRotationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('rotation.file');
  const params = parseSearchParams({ teacher: idParam }, await searchParams);
  const choices = await getRotationFilingChoices(actor);
  return (
    <div className="space-y-4">
      <PageTitle
        title="申请交流轮岗"
        description={`人走关系留：由派出学校（${actor.unitName}）申请，经本校主管教育行政部门确认后生效。需要转移人事关系的交流，由接收学校在“教师调动”中按“交流轮岗（变更人事关系）”发起。`}
      />
      {choices.teachers.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">本校没有可以派出交流的教师（须记录已生效、在岗，且没有正在办理的调动、交流或在职情况变动）。</p>
      ) : (
        <FileRotationForm choices={choices} teacherId={params.teacher && choices.teachers.some((teacher) => teacher.id === params.teacher) ? params.teacher : undefined} />
      )}
    </div>
  );
}
