import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageTitle } from '@/components/ui/stat-card';
import { EditInstitutionForm, LinkInstitutionForm, RegisterInstitutionForm } from '@/components/training/institution-forms';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { institutionTypeNames } from '@/lib/training/schemas';
import { listInstitutions } from '@/lib/training/institutions/queries';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '培训机构' };

export default async function InstitutionsPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const actor = await requirePermission('training.view');
  if (actor.unitKind !== 'authority') notFound();
  const rows = await listInstitutions(actor);
  const manage = can(actor, 'training.manage');
  const issue = can(actor, 'credential.issue');
  const { edit } = await searchParams;
  const editing = manage ? rows.find((row) => row.ownedByActor && String(row.id) === edit) : undefined;
  return (
    <div className="space-y-4">
      <PageTitle title="培训机构" description="本单位登记或使用的培训机构。机构以其报送账号登录，只能看到承训项目的参训教师（姓名、脱敏证件号码、学校）并提交考核结果。">
        <div className="flex flex-wrap gap-2">
          {issue && (
            <Link href="/accounts/credentials" className="btn-secondary">
              发放机构账号密码
            </Link>
          )}
          <Link href="/training" className="btn-secondary">
            返回培训项目
          </Link>
        </div>
      </PageTitle>
      {editing && (
        <EditInstitutionForm
          key={editing.id}
          institution={{ id: editing.id, code: editing.code, name: editing.name, institutionType: editing.institutionType, contactName: editing.contactName, contactPhone: editing.contactPhone, status: editing.status }}
        />
      )}
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">本单位尚未登记培训机构。</p>
      ) : (
        <TableFrame label="培训机构">
          <table className="w-full text-sm" data-testid="institution-table">
            <thead className="table-head">
              <tr>
                <th className="px-3 py-2">机构</th>
                <th className="px-3 py-2">类型</th>
                <th className="px-3 py-2">联系人</th>
                <th className="px-3 py-2">登记单位</th>
                <th className="px-3 py-2">报送账号</th>
                <th className="px-3 py-2">状态</th>
                {manage && <th className="px-3 py-2"><span className="sr-only">操作</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-3 py-2">
                    {row.name}
                    <span className="block font-mono text-xs text-slate-500">{row.code}</span>
                  </td>
                  <td className="px-3 py-2">{institutionTypeNames[row.institutionType] ?? row.institutionType}</td>
                  <td className="px-3 py-2">
                    {row.contactName}
                    <span className="block text-xs text-slate-500">{row.contactPhone}</span>
                  </td>
                  <td className="px-3 py-2">{row.ownedByActor ? '本单位' : row.registeredByName}</td>
                  <td className="px-3 py-2">
                    <span className="font-mono text-xs">{row.accountUsername}</span>
                    <span className={`block text-xs ${row.passwordIssued ? 'text-green-700' : 'text-amber-700'}`}>{row.passwordIssued ? '已发放密码' : row.ownedByActor ? '待发放密码' : '由登记单位发放'}</span>
                  </td>
                  <td className={`px-3 py-2 ${row.status === 'active' ? '' : 'text-red-700'}`}>{row.status === 'active' ? '正常' : '已停用'}</td>
                  {manage && (
                    <td className="px-3 py-2 text-right">
                      {row.ownedByActor && (
                        <Link href={`/training/institutions?edit=${row.id}`} className="text-brand-700 underline" aria-label={`修改 ${row.name}`}>
                          修改
                        </Link>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      {manage && (
        <div className="grid items-start gap-4 lg:grid-cols-2">
          <RegisterInstitutionForm mayIssue={issue} />
          <LinkInstitutionForm />
        </div>
      )}
    </div>
  );
}
