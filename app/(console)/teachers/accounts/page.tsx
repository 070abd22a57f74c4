import type { Metadata } from 'next';
import { TeacherAccounts } from '@/components/teachers/teacher-accounts';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { countTeachersWithoutPassword } from '@/lib/teachers/queries';

export const metadata: Metadata = { title: '教师账号' };

export default async function TeacherAccountsPage() {
  const actor = await requirePermission('teacher.create');
  return (
    <div>
      <PageTitle title="批量创建与初始密码" description="教师账号为本人身份证件号码；初始密码只在分发表中出现一次，首次登录须修改。单个教师的密码重置在“账号管理”中办理。" />
      <TeacherAccounts pending={await countTeachersWithoutPassword(actor)} />
    </div>
  );
}
