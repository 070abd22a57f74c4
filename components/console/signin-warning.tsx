'use client';

import { useState, useTransition } from 'react';
import { acknowledgeFailedSigninsAction } from '@/lib/signin/actions';

/** Tells the owner, once, that someone failed to sign in to their account since they last looked. */
export function SigninWarning({ count, lastAt, lastIp }: { count: number; lastAt: string | null; lastIp: string | null }) {
  const [open, setOpen] = useState(true);
  const [pending, startTransition] = useTransition();
  if (!open) return null;
  return (
    <div role="status" data-testid="signin-warning" className="mb-4 flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <span className="flex-1">
        自您上次查看以来，您的账号有 {count} 次失败的登录尝试{lastAt ? `，最近一次在 ${lastAt}` : ''}{lastIp ? `（来源 ${lastIp}）` : ''}。如不是您本人操作，请尽快修改密码并告知系统管理员。
      </span>
      <button
        type="button"
        className="btn-secondary px-2 py-1 text-xs"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await acknowledgeFailedSigninsAction({});
            if (result.ok) setOpen(false);
          })
        }
      >
        我知道了
      </button>
    </div>
  );
}
