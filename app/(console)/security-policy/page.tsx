import type { Metadata } from 'next';
import { PageTitle } from '@/components/ui/stat-card';
import { PasswordPolicyForm } from '@/components/accounts/password-policy-form';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getPasswordPolicy } from '@/lib/password-policy/queries';
import { policyKeyNames, policyKeysByScope } from '@/lib/password-policy/schemas';

export const metadata: Metadata = { title: '密码有效期' };

export default async function PasswordPolicyPage() {
  const actor = await requirePermission('security.configure');
  const policy = await getPasswordPolicy(actor);
  const keys = policyKeysByScope[actor.unitTier as keyof typeof policyKeysByScope];
  return (
    <div className="space-y-4">
      <PageTitle
        title="密码有效期"
        description={`${actor.unitTier === 'central' ? '教育部本级账号' : '本省各级账号和教师账号'}的密码使用期限。超过期限的账号在下次操作时须先修改密码；留空表示不限期。演示账号不受限制。`}
      />
      <PasswordPolicyForm
        fields={keys.map((key) => ({ key, label: policyKeyNames[key], days: policy.maxAgeDays[key] ?? null }))}
        updatedAt={policy.updatedAt ? formatDateTime(policy.updatedAt) : null}
      />
    </div>
  );
}
