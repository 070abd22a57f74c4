'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { takeTransferStepAction } from '@/lib/transfers/actions';
import type { TransferAction } from '@/lib/transfers/chain';
import { IssuedPasswordDialog } from '@/components/accounts/issued-password-dialog';

interface StepButton {
  action: TransferAction;
  label: string;
  requiresReason: boolean;
}

/**
 * The steps the actor may take now, as the chain says (the same test the service runs). Rejecting asks
 * for a reason; agreeing asks for the leaving month; receiving the file for the arrival month.
 */
export function TransferSteps({ transferId, actions, plannedArrivalMonth }: { transferId: number; actions: StepButton[]; plannedArrivalMonth: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState<StepButton | null>(null);
  const [reason, setReason] = useState('');
  const [month, setMonth] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);
  if (actions.length === 0 && !issued) return null;

  const asksMonth = (step: StepButton) => step.action === 'agree' || step.action === 'receive';
  const run = (step: StepButton) =>
    startTransition(async () => {
      setErrors({});
      setMessage(null);
      const result = await takeTransferStepAction({
        id: transferId,
        action: step.action,
        reason,
        leavingMonth: step.action === 'agree' ? month : '',
        arrivalMonth: step.action === 'receive' ? month : '',
      });
      if (!result.ok) {
        setErrors(Object.fromEntries(Object.entries(result.fieldErrors ?? {}).map(([key, list]) => [key, list[0]])));
        setMessage(result.message);
        return;
      }
      setOpen(null);
      // 重新入职: the login reopens with an initial password, shown this once.
      if (result.data.credential) setIssued({ username: result.data.credential.username, password: result.data.credential.password });
      else router.refresh();
    });

  const start = (step: StepButton) => {
    setReason('');
    const thisMonth = new Date().toISOString().slice(0, 7);
    setMonth(step.action === 'receive' ? (plannedArrivalMonth < thisMonth ? plannedArrivalMonth : thisMonth) : '');
    setErrors({});
    setMessage(null);
    setOpen(step);
  };

  return (
    <div className="card space-y-2 p-4" data-testid="transfer-steps">
      <h2 className="font-semibold text-slate-900">待本单位办理</h2>
      <div className="flex flex-wrap gap-2">
        {actions.map((step) => (
          <button key={step.action} type="button" className={step.action === 'reject' || step.action === 'withdraw' ? 'btn-danger' : 'btn-primary'} disabled={pending} onClick={() => start(step)} data-testid={`transfer-${step.action}`}>
            {step.label}
          </button>
        ))}
      </div>
      {message && !open && (
        <p role="alert" className="text-sm text-red-600">
          {message}
        </p>
      )}
      <IssuedPasswordDialog
        credential={issued}
        onClose={() => {
          setIssued(null);
          router.refresh();
        }}
      />
      <Dialog.Root open={open !== null} onOpenChange={(next) => !next && setOpen(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(32rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
            <Dialog.Title className="text-base font-semibold">{open?.label}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-600">
              {open?.action === 'reject' ? '请填写不同意的原因，调动各方都可以看到。' : open?.action === 'receive' ? '调档后教师的人事关系、统计口径和账号即转入本校，工作经历和进本校年月随之更新。' : '确认后进入下一环节。'}
            </Dialog.Description>
            <form
              className="mt-3 space-y-3"
              onSubmit={(event) => {
                event.preventDefault();
                if (open) run(open);
              }}
            >
              {open && asksMonth(open) && (
                <div className="space-y-1">
                  <label htmlFor="step-month" className="block text-sm font-medium text-slate-700">
                    {open.action === 'agree' ? '离校年月 *' : '到岗年月 *'}
                  </label>
                  <input id="step-month" type="month" className="input" value={month} onChange={(e) => setMonth(e.target.value)} aria-invalid={Boolean(errors.leavingMonth || errors.arrivalMonth) || undefined} aria-describedby={errors.leavingMonth || errors.arrivalMonth ? 'step-month-error' : undefined} />
                  {(errors.leavingMonth || errors.arrivalMonth) && (
                    <p id="step-month-error" className="text-xs text-red-600">
                      {errors.leavingMonth ?? errors.arrivalMonth}
                    </p>
                  )}
                </div>
              )}
              <div className="space-y-1">
                <label htmlFor="step-reason" className="block text-sm font-medium text-slate-700">
                  {open?.requiresReason ? '原因 *' : '意见（可选）'}
                </label>
                <textarea id="step-reason" className="input min-h-20" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors.reason) || undefined} aria-describedby={errors.reason ? 'step-reason-error' : undefined} />
                {errors.reason && (
                  <p id="step-reason-error" className="text-xs text-red-600">
                    {errors.reason}
                  </p>
                )}
              </div>
              {message && (
                <p role="alert" className="text-sm text-red-600">
                  {message}
                </p>
              )}
              <div className="flex justify-end gap-2">
                <Dialog.Close className="btn-secondary" type="button">
                  取消
                </Dialog.Close>
                <button type="submit" className={open?.action === 'reject' || open?.action === 'withdraw' ? 'btn-danger' : 'btn-primary'} disabled={pending} data-testid="transfer-step-confirm">
                  {pending ? '处理中…' : `确认${open?.label ?? ''}`}
                </button>
              </div>
            </form>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
