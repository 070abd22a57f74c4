'use client';

import * as Dialog from '@radix-ui/react-dialog';

/** Shows a freshly issued password exactly once. */
export function IssuedPasswordDialog({ credential, onClose }: { credential: { username: string; password: string } | null; onClose: () => void }) {
  return (
    <Dialog.Root open={!!credential} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[92vw] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-base font-semibold">初始密码已生成</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">密码只显示这一次，关闭后无法再次查看。对方首次登录时须修改密码。</Dialog.Description>
          {credential && (
            <dl className="mt-4 space-y-2 rounded-md bg-slate-50 p-3 text-sm">
              <div className="flex justify-between gap-3">
                <dt className="text-slate-500">账号</dt>
                <dd className="font-mono" data-testid="issued-username">{credential.username}</dd>
              </div>
              <div className="flex justify-between gap-3">
                <dt className="text-slate-500">初始密码</dt>
                <dd className="select-all font-mono text-base font-semibold" data-testid="issued-password">{credential.password}</dd>
              </div>
            </dl>
          )}
          <Dialog.Close className="btn-primary mt-4 w-full">我已记录，关闭</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
