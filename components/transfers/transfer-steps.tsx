'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { takeTransferStepAction } from '@/lib/transfers/actions';
import type { TransferAction } from '@/lib/transfers/chain';
import { IssuedPasswordDialog } from '@/components/accounts/issued-password-dialog';
import { StepDialog } from '@/components/workflow/step-dialog';
import { firstMessages } from '@/components/forms/field-errors';

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
        setErrors(firstMessages(result.fieldErrors));
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
      <StepDialog
        title={open?.label ?? null}
        description={open?.action === 'reject' ? '请填写不同意的原因，调动各方都可以看到。' : open?.action === 'receive' ? '调档后教师的人事关系、统计口径和账号即转入本校，工作经历和进本校年月随之更新。' : '确认后进入下一环节。'}
        monthLabel={open && asksMonth(open) ? (open.action === 'agree' ? '离校年月 *' : '到岗年月 *') : undefined}
        month={month}
        onMonth={setMonth}
        reasonRequired={Boolean(open?.requiresReason)}
        reason={reason}
        onReason={setReason}
        errors={{ month: errors.leavingMonth ?? errors.arrivalMonth, reason: errors.reason }}
        message={message}
        pending={pending}
        danger={open?.action === 'reject' || open?.action === 'withdraw'}
        testIdPrefix="transfer"
        onSubmit={() => open && run(open)}
        onClose={() => setOpen(null)}
      />
    </div>
  );
}
