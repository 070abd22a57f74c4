import Link from 'next/link';
import { MobileNav } from '@/components/console/mobile-nav';
import { SigninWarning } from '@/components/console/signin-warning';
import { formatDateTime } from '@/lib/format';
import { navItemsFor } from '@/components/console/nav-items';
import { NavLinks } from '@/components/console/nav-links';
import { NoticeHost } from '@/components/ui/notice';
import { roleNames, tierNames } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/session';
import { signOutAction } from '@/lib/auth/sign-out-action';
import { getOwnUnitTrail } from '@/lib/units/queries';
import { inboxCount } from '@/lib/inbox/queries';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireStaff();
  const [trail, waiting] = await Promise.all([getOwnUnitTrail(actor), inboxCount(actor)]);
  const items = navItemsFor(actor, waiting);
  return (
    <div className="min-h-screen lg:pl-60 print:pl-0">
      <aside className="fixed inset-y-0 left-0 hidden w-60 flex-col bg-brand-900 p-4 lg:flex print:hidden">
        <Link href="/dashboard" className="mb-6 block text-white">
          <span className="text-xl font-bold">师管</span>
          <span className="ml-2 text-xs text-slate-300">教师管理信息系统</span>
        </Link>
        <NavLinks items={items} />
      </aside>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur print:hidden">
        <div className="flex items-center gap-2 px-3 py-2 sm:px-6">
          <MobileNav items={items} unitName={actor.unitName} />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-semibold text-slate-900" data-testid="header-unit">
              {actor.unitName}
              <span className="ml-2 hidden rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600 sm:inline">
                {actor.unitKind === 'institution' ? '培训机构' : tierNames[actor.unitTier]}·{roleNames[actor.role]}
              </span>
              {actor.isDemo && <span className="ml-1 hidden rounded bg-amber-100 px-1.5 py-0.5 text-xs font-normal text-amber-800 sm:inline">演示账号</span>}
            </p>
            <nav aria-label="单位路径" className="hidden truncate text-xs text-slate-500 sm:block" data-testid="header-breadcrumb">
              {trail.join(' / ')}
            </nav>
          </div>
          <Link href="/inbox" className="relative rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100" data-testid="header-inbox">
            待办
            {waiting > 0 && <span className="ml-1 rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white">{waiting > 999 ? '999+' : waiting}</span>}
          </Link>
          <details className="relative">
            <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
              <span className="hidden sm:inline">{actor.loginLabel}</span>
              <span className="sm:hidden" aria-label="账号菜单">账号 ▾</span>
            </summary>
            <div className="absolute right-0 mt-1 w-48 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
              <p className="truncate px-3 py-1 text-xs text-slate-500">{actor.displayName}</p>
              <Link href="/change-password" className="block px-3 py-2 hover:bg-slate-50">
                修改密码
              </Link>
              <Link href="/security/two-factor" className="block px-3 py-2 hover:bg-slate-50">
                双因素认证{actor.totpEnabled ? '（已启用）' : ''}
              </Link>
              <form action={signOutAction} data-testid="sign-out-form">
                <button type="submit" className="w-full px-3 py-2 text-left text-red-700 hover:bg-slate-50">
                  退出登录
                </button>
              </form>
            </div>
          </details>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-3 py-4 sm:px-6 sm:py-6 print:max-w-none print:p-0">
        {actor.signinWarning && <SigninWarning count={actor.signinWarning.count} lastAt={actor.signinWarning.lastAt ? formatDateTime(actor.signinWarning.lastAt) : null} lastIp={actor.signinWarning.lastIp} />}
        {children}
      </main>
      <NoticeHost />
    </div>
  );
}
