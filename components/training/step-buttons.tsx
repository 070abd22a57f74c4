'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { StepDialog } from '@/components/workflow/step-dialog';
import { announce } from '@/components/ui/notice';
import type { ActionResult } from '@/lib/result';

export interface StepButton {
  action: string;
  label: string;
  requiresReason: boolean;
}

/**
 * A case's step buttons with the shared step dialog: `run` takes the action and the reason. Steps
 * with a danger tone (rejections, returns) need a reason.
 */
export function StepButtons({ steps, description, run, testIdPrefix, disabled }: { steps: StepButton[]; description: string; run: (action: string, reason: string) => Promise<ActionResult<unknown>>; testIdPrefix: string; disabled?: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState<StepButton | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ reason?: string }>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (steps.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {steps.map((step) => (
        <button
          key={step.action}
          type="button"
          className={step.requiresReason ? 'btn-danger' : 'btn-primary'}
          disabled={disabled}
          data-testid={`${testIdPrefix}-${step.action}`}
          onClick={() => {
            setOpen(step);
            setReason('');
            setErrors({});
            setMessage(null);
          }}
        >
          {step.label}
        </button>
      ))}
      <StepDialog
        title={open?.label ?? null}
        description={description}
        month=""
        onMonth={() => undefined}
        reasonRequired={open?.requiresReason ?? false}
        reason={reason}
        onReason={setReason}
        errors={errors}
        message={message}
        pending={pending}
        danger={open?.requiresReason ?? false}
        testIdPrefix={testIdPrefix}
        onClose={() => setOpen(null)}
        onSubmit={() => {
          if (!open) return;
          if (open.requiresReason && reason.trim().length < 2) return setErrors({ reason: '请填写原因（至少 2 个字）' });
          startTransition(async () => {
            const result = await run(open.action, reason);
            if (!result.ok) {
              setErrors({ reason: result.fieldErrors?.reason?.[0] });
              setMessage(result.message);
              return;
            }
            announce(`已办理：${open.label}`);
            setOpen(null);
            router.refresh();
          });
        }}
      />
    </div>
  );
}
