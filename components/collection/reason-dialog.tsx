'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';

/** Asks for the reason of a return or rejection; the reason is required and shown to the school and the teacher. */
export function ReasonDialog({ open, title, description, confirmLabel, pending, error, onConfirm, onClose }: { open: boolean; title: string; description: string; confirmLabel: string; pending: boolean; error: string | null; onConfirm: (reason: string) => void; onClose: () => void }) {
  const [reason, setReason] = useState('');
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(32rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
          <Dialog.Title className="text-base font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">{description}</Dialog.Description>
          <form
            className="mt-3 space-y-3"
            onSubmit={(event) => {
              event.preventDefault();
              onConfirm(reason);
            }}
          >
            <label htmlFor="decision-reason" className="block text-sm font-medium text-slate-700">
              原因 <span className="text-red-600">*</span>
            </label>
            <textarea id="decision-reason" className="input min-h-24" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} aria-invalid={Boolean(error)} aria-describedby={error ? 'decision-reason-error' : undefined} />
            {error && (
              <p id="decision-reason-error" role="alert" className="text-xs text-red-600">
                {error}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close className="btn-secondary" type="button">取消</Dialog.Close>
              <button type="submit" className="btn-danger" disabled={pending} data-testid="reason-confirm">
                {pending ? '处理中…' : confirmLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
