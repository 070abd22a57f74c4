'use client';

import { useState, useTransition } from 'react';
import { resetAccountPasswordAction, resetSecondFactorAction, setAccountStatusAction, unlockAccountAction } from '@/lib/accounts/actions';
import { IssuedPasswordDialog } from './issued-password-dialog';

export function AccountRowActions({ accountId, username, throttled, totpEnabled, status, isSelf }: { accountId: number; username: string; throttled: boolean; totpEnabled: boolean; status: 'active' | 'disabled'; isSelf: boolean }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);

  const run = (confirmText: string | null, task: () => Promise<{ ok: boolean; message?: string }>) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await task();
      if (!result.ok) setMessage(result.message ?? '操作失败');
    });
  };

  if (isSelf) return <span className="text-xs text-slate-500">当前账号</span>;
  return (
    <div className="flex flex-wrap items-center gap-1">
      {throttled && (
        <button type="button" className="btn-secondary px-2 py-1 text-xs" disabled={pending} onClick={() => run(null, () => unlockAccountAction({ accountId }))}>
          解除登录限制
        </button>
      )}
      {totpEnabled && (
        <button type="button" className="btn-secondary px-2 py-1 text-xs" disabled={pending} onClick={() => run(`确定重置 ${username} 的双因素认证吗？其下次登录时须重新绑定身份验证器。`, () => resetSecondFactorAction({ accountId }))}>
          重置双因素
        </button>
      )}
      <button
        type="button"
        className="btn-secondary px-2 py-1 text-xs"
        disabled={pending}
        onClick={() =>
          run(`确定重置 ${username} 的密码吗？原密码将立即失效。`, async () => {
            const result = await resetAccountPasswordAction({ accountId });
            if (result.ok) setIssued({ username: result.data.username, password: result.data.password });
            return result;
          })
        }
      >
        重置密码
      </button>
      {status === 'active' ? (
        <button type="button" className="btn-danger px-2 py-1 text-xs" disabled={pending} onClick={() => run(`确定停用 ${username} 吗？该账号将立即无法使用。`, () => setAccountStatusAction({ accountId, status: 'disabled' }))}>
          停用
        </button>
      ) : (
        <button type="button" className="btn-secondary px-2 py-1 text-xs" disabled={pending} onClick={() => run(null, () => setAccountStatusAction({ accountId, status: 'active' }))}>
          启用
        </button>
      )}
      {message && <span role="alert" className="text-xs text-red-600">{message}</span>}
      <IssuedPasswordDialog credential={issued} onClose={() => setIssued(null)} />
    </div>
  );
}
