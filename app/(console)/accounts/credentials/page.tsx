import type { Metadata } from 'next';
import { CredentialIssuer } from '@/components/accounts/credential-issuer';
import { CredentialSheets } from '@/components/accounts/credential-sheets';
import { FormAlert } from '@/components/forms/field';
import { listCredentialSheets } from '@/lib/accounts/credential-sheets/service';
import { formatDateTime } from '@/lib/format';
import { PageTitle } from '@/components/ui/stat-card';
import { listIssuableUnits } from '@/lib/accounts/queries';
import { requirePermission } from '@/lib/auth/session';
import { unitKindNames } from '@/lib/units/defaults';

export const metadata: Metadata = { title: '下级账号分发' };

export default async function CredentialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('credential.issue');
  const params = await searchParams;
  const [units, sheets] = await Promise.all([listIssuableUnits(actor), listCredentialSheets(actor, 'subordinates')]);
  return (
    <div className="space-y-4">
      <PageTitle
        title="下级账号分发"
        description="为直属下级单位的系统管理员（培训机构为其报送账号）批量生成初始密码，下载账号分发表后逐级分发。分发表在后台生成，只能下载一次，下载时新密码生效；首次登录须修改初始密码。"
      />
      <FormAlert message={typeof params.error === 'string' ? params.error : undefined} />
      <CredentialSheets jobs={sheets} returnTo="/accounts/credentials" />
      <CredentialIssuer
        units={units.map((u) => ({
          unitId: u.unitId,
          code: u.code,
          name: u.name,
          kindLabel: u.kind === 'authority' ? '' : unitKindNames[u.kind],
          username: u.username,
          issuedAt: u.passwordIssuedAt ? formatDateTime(u.passwordIssuedAt) : '未发放',
          lastLoginAt: formatDateTime(u.lastLoginAt),
        }))}
      />
    </div>
  );
}
