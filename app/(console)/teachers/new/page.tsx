import type { Metadata } from 'next';
import { CreateTeacherForm } from '@/components/teachers/create-teacher-form';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: '新增教师' };

export default async function NewTeacherPage() {
  const actor = await requirePermission('teacher.create');
  return (
    <div>
      <PageTitle title="新增教师" description={`为${actor.unitName}登记教师并生成教师账号。账号为证件号码，初始密码只显示一次，首次登录须修改。`} />
      <CreateTeacherForm />
    </div>
  );
}
