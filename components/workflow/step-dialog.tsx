'use client';

import * as Dialog from '@radix-ui/react-dialog';

export interface StepDialogProps {
  /** The step being taken; null keeps the dialog closed. */
  title: string | null;
  description: string;
  /** A month the step records (离校年月, 返回年月 …), when it asks for one. */
  monthLabel?: string;
  month: string;
  onMonth: (value: string) => void;
  reasonRequired: boolean;
  reason: string;
  onReason: (value: string) => void;
  errors: { month?: string; reason?: string };
  message: string | null;
  pending: boolean;
  danger: boolean;
  testIdPrefix: string;
  onSubmit: () => void;
  onClose: () => void;
}

/** A workflow step's dialog, a bottom sheet on phones: the month it records if any, the reason, the confirmation. */
export function StepDialog(props: StepDialogProps) {
  const { title, month, reason, errors } = props;
  return (
    <Dialog.Root open={title !== null} onOpenChange={(next) => !next && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(32rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
          <Dialog.Title className="text-base font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">{props.description}</Dialog.Description>
          <form
            className="mt-3 space-y-3"
            onSubmit={(event) => {
              event.preventDefault();
              props.onSubmit();
            }}
          >
            {props.monthLabel && (
              <div className="space-y-1">
                <label htmlFor="step-month" className="block text-sm font-medium text-slate-700">
                  {props.monthLabel}
                </label>
                <input id="step-month" type="month" lang="zh-CN" className="input" value={month} onChange={(e) => props.onMonth(e.target.value)} aria-invalid={Boolean(errors.month) || undefined} aria-describedby={errors.month ? 'step-month-error' : undefined} />
                {errors.month && (
                  <p id="step-month-error" className="text-xs text-red-600">
                    {errors.month}
                  </p>
                )}
              </div>
            )}
            <div className="space-y-1">
              <label htmlFor="step-reason" className="block text-sm font-medium text-slate-700">
                {props.reasonRequired ? '原因 *' : '意见（可选）'}
              </label>
              <textarea id="step-reason" className="input min-h-20" maxLength={500} value={reason} onChange={(e) => props.onReason(e.target.value)} aria-invalid={Boolean(errors.reason) || undefined} aria-describedby={errors.reason ? 'step-reason-error' : undefined} />
              {errors.reason && (
                <p id="step-reason-error" className="text-xs text-red-600">
                  {errors.reason}
                </p>
              )}
            </div>
            {props.message && (
              <p role="alert" className="text-sm text-red-600">
                {props.message}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close className="btn-secondary" type="button">
                取消
              </Dialog.Close>
              <button type="submit" className={props.danger ? 'btn-danger' : 'btn-primary'} disabled={props.pending} data-testid={`${props.testIdPrefix}-step-confirm`}>
                {props.pending ? '处理中…' : `确认${title ?? ''}`}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
