'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import type { NavItem } from './nav-items';
import { NavLinks } from './nav-links';

/** Below the lg breakpoint the sidebar becomes a drawer. */
export function MobileNav({ items, unitName }: { items: NavItem[]; unitName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className="rounded-md p-2 text-slate-700 hover:bg-slate-100 lg:hidden" aria-label="打开导航菜单">
          <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
            <path d="M4 6h16M4 12h16M4 18h16" />
          </svg>
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto bg-brand-900 p-4 shadow-xl" aria-describedby={undefined}>
          <div className="mb-4 flex items-center justify-between">
            <Dialog.Title className="text-lg font-bold text-white">师管</Dialog.Title>
            <Dialog.Close className="rounded p-1 text-slate-200 hover:bg-white/10" aria-label="关闭导航菜单">
              ✕
            </Dialog.Close>
          </div>
          <p className="mb-3 text-xs text-slate-300">{unitName}</p>
          <NavLinks items={items} onNavigate={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
