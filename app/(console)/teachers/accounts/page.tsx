import type { Metadata } from 'next';
import { CredentialSheets } from '@/components/accounts/credential-sheets';
import { TeacherAccounts } from '@/components/teachers/teacher-accounts';
import { listCredentialSheets } from '@/lib/accounts/credential-sheets/service';
import { FormAlert } from '@/components/forms/field';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { countTeachersWithoutPassword } from '@/lib/teachers/queries';

export const metadata: Metadata = { title: '教师账号' };

export default async function TeacherAccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.create');
  const { error } = await searchParams;
  const [pending, sheets] = await Promise.all([countTeachersWithoutPassword(actor), listCredentialSheets(actor, 'teachers')]);
  return (
    <div>
      <PageTitle title="批量创建与初始密码" description="教师账号为本人身份证件号码；初始密码只在分发表中出现一次，首次登录须修改。单个教师的密码重置在“账号管理”中办理。" />
      <FormAlert message={typeof error === 'string' ? error : undefined} />
      <TeacherAccounts pending={pending}>
        <CredentialSheets jobs={sheets} returnTo="/teachers/accounts" />
      </TeacherAccounts>
    </div>
  );
}
