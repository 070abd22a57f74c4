import type { Metadata } from 'next';
import Link from 'next/link';
import { PageTitle } from '@/components/ui/stat-card';
import { ProjectForm } from '@/components/training/project-form';
import { levelName } from '@/components/training/labels';
import { requirePermission } from '@/lib/auth/session';
import { todayIso } from '@/lib/indicators/form-schema';
import { usableInstitutions } from '@/lib/training/projects/queries';

export const metadata: Metadata = { title: '登记培训项目' };

const levelOfTier = { central: '1', province: '2', city: '3', county: '4', school: '5' } as const;

export default async function NewTrainingProjectPage() {
  const actor = await requirePermission('training.manage');
  const school = actor.unitKind === 'school';
  const institutions = await usableInstitutions(actor);
  return (
    <div className="space-y-4">
      <PageTitle title={school ? '申报校本研修项目' : '登记培训项目'} description={actor.unitName}>
        <Link href="/training" className="btn-secondary">
          返回培训项目
        </Link>
      </PageTitle>
      <ProjectForm institutions={institutions} school={school} levelName={levelName(levelOfTier[actor.unitTier])} year={Number(todayIso().slice(0, 4))} />
    </div>
  );
}
