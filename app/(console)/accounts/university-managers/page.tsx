import type { Metadata } from 'next';
import { UniversityManagerForm } from '@/components/accounts/university-manager-form';
import { PageTitle } from '@/components/ui/stat-card';
import { listUniversities } from '@/lib/accounts/queries';
import { requirePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: '高校信息管理员' };

export default async function UniversityManagersPage() {
  const actor = await requirePermission('account.addUniversityManager');
  const universities = await listUniversities(actor);
  return (
    <div className="max-w-2xl space-y-4">
      <PageTitle title="增设高校信息管理员" description="省级教育行政部门可根据需要为本省高等学校增设信息管理员账号。新账号的初始密码只显示一次。" />
      {universities.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600">管辖范围内暂无高等学校。请先导入学校名单。</p>
      ) : (
        <UniversityManagerForm universities={universities} />
      )}
    </div>
  );
}
