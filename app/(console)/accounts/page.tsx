import type { Metadata } from 'next';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { AccountRowActions } from '@/components/accounts/account-row-actions';
import { formatDateTime } from '@/lib/format';
import { PageTitle } from '@/components/ui/stat-card';
import { accountPageSize, listManagedAccounts } from '@/lib/accounts/queries';
import { roleNames } from '@/lib/auth/actor';
import { requirePermission } from '@/lib/auth/session';
import { signinWindowMinutes, slowdownAfterFailures } from '@/lib/signin/policy';
import { parseSearchParams, textParam } from '@/lib/http/params';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '账号管理' };

export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('account.manage');
  const { q, after } = parseSearchParams({ q: textParam(50), after: textParam(64) }, await searchParams);
  const fetched = await listManagedAccounts(actor, { q, after });
  const hasMore = fetched.length > accountPageSize;
  const rows = fetched.slice(0, accountPageSize);
  const last = rows.at(-1);
  return (
    <div className="space-y-4">
      <PageTitle title="账号管理" description="本单位的全部账号，以及直属下级单位的系统管理员账号。" />
      <form className="flex gap-2" role="search">
        <label htmlFor="account-search" className="sr-only">搜索账号</label>
        <input id="account-search" name="q" defaultValue={q} placeholder="账号、单位名称或使用人" className="input min-w-0 max-w-xs flex-1" />
        <button type="submit" className="btn-secondary shrink-0">搜索</button>
      </form>
      <TableFrame label="账号">
        <table className="w-full text-sm">
          <thead className="table-head">
            <tr>
              <th className="px-3 py-2">账号</th>
              <th className="px-3 py-2">单位</th>
              <th className="px-3 py-2">角色</th>
              <th className="px-3 py-2">状态</th>
              <th className="px-3 py-2">最近登录</th>
              <th className="px-3 py-2">操作</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} data-testid={`account-row-${row.username}`}>
                <td className="px-3 py-2">
                  <p className="font-mono text-xs">{row.loginLabel}</p>
                  <p className="text-xs text-slate-500">{row.displayName}</p>
                </td>
                <td className="px-3 py-2 text-slate-700">{row.isOwnUnit ? '本单位' : row.unitName}</td>
                <td className="px-3 py-2">{roleNames[row.role]}</td>
                <td className="px-3 py-2 text-xs">
                  {row.status === 'disabled' ? (
                    <span className="rounded bg-slate-200 px-1.5 py-0.5 text-slate-700">已停用</span>
                  ) : row.recentFailures >= slowdownAfterFailures ? (
                    <span className="rounded bg-red-100 px-1.5 py-0.5 text-red-700">登录受限：近 {signinWindowMinutes} 分钟失败 {row.recentFailures} 次</span>
                  ) : !row.hasPassword ? (
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-600">未发放密码</span>
                  ) : row.mustChangePassword && !row.isDemo ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-800">待首次登录改密</span>
                  ) : (
                    <span className="rounded bg-green-100 px-1.5 py-0.5 text-green-800">正常</span>
                  )}
                  {row.totpEnabled && <span className="ml-1 rounded bg-blue-50 px-1.5 py-0.5 text-blue-700">双因素</span>}
                  {row.isDemo && <span className="ml-1 rounded bg-amber-50 px-1.5 py-0.5 text-amber-700">演示</span>}
                </td>
                <td className="px-3 py-2 text-xs text-slate-600">{formatDateTime(row.lastLoginAt)}</td>
                <td className="px-3 py-2">
                  <AccountRowActions accountId={row.id} username={row.loginLabel} throttled={row.recentFailures > 0} totpEnabled={row.totpEnabled} status={row.status} isSelf={row.id === actor.accountId} />
                </td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">没有符合条件的账号</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableFrame>
      <KeysetPager
        firstHref={after ? `/accounts${q ? `?${new URLSearchParams({ q })}` : ''}` : null}
        nextHref={hasMore && last ? `/accounts?${new URLSearchParams({ ...(q ? { q } : {}), after: last.username })}` : null}
      />
    </div>
  );
}
