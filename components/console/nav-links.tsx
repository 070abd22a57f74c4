'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { NavItem } from './nav-items';

export function NavLinks({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="主导航" className="space-y-1">
      {items.map((item) => {
        const active = pathname === item.href || (item.href !== '/dashboard' && pathname.startsWith(`${item.href}/`) && !items.some((o) => o.href !== item.href && o.href.startsWith(item.href) && pathname.startsWith(o.href)));
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? 'page' : undefined}
            className={`flex items-center justify-between rounded-md px-3 py-2 text-sm ${active ? 'bg-brand-600 font-medium text-white' : 'text-slate-200 hover:bg-white/10'}`}
          >
            {item.label}
            {item.badge ? (
              <span className="ml-2 min-w-5 rounded-full bg-red-600 px-1.5 text-center text-xs font-semibold text-white" data-testid="nav-badge" aria-label={`${item.badge} 项待办`}>
                {item.badge > 999 ? '999+' : item.badge}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
