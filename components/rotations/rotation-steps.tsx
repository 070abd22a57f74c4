'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { takeRotationStepAction } from '@/lib/rotations/actions';
import type { RotationAction } from '@/lib/rotations/chain';
import { StepDialog } from '@/components/workflow/step-dialog';
import { firstMessages } from '@/components/forms/field-errors';

interface StepButton {
  action: RotationAction;
  label: string;
  requiresReason: boolean;
}

const monthLabels: Partial<Record<RotationAction, string>> = { return: '返回年月 *', endEarly: '结束年月 *', extend: '延期后的结束年月 *' };
const explanations: Partial<Record<RotationAction, string>> = {
  confirm: '确认后即生效。',
  reject: '请填写原因，派出学校可以看到。',
  withdraw: '撤回后可以重新申请。',
  cancel: '交流尚未开始：取消后教师恢复“在本单位任职”，记录中的这条交流轮岗随之删除。须说明原因。',
  return: '教师回到本校任职：人员状态恢复为“在本单位任职”，交流轮岗记录写入结束年月，生成新版本。',
  endEarly: '在计划结束前结束交流，须说明原因；教师回到本校任职。',
  extend: '延期须经主管教育行政部门确认；确认前按原计划执行。',
};
const danger = (action: RotationAction) => action === 'reject' || action === 'withdraw' || action === 'cancel' || action === 'endEarly';

/** The steps the actor may take now, as the chain says (the same test the service runs). */
export function RotationSteps({ rotationId, actions, plannedEndMonth, requestedEndMonth }: { rotationId: number; actions: StepButton[]; plannedEndMonth: string; requestedEndMonth: string | null }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState<StepButton | null>(null);
  const [reason, setReason] = useState('');
  const [month, setMonth] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  if (actions.length === 0) return null;

  const start = (step: StepButton) => {
    setReason('');
    const thisMonth = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    setMonth(step.action === 'return' ? plannedEndMonth : step.action === 'endEarly' ? thisMonth : '');
    setErrors({});
    setMessage(null);
    setOpen(step);
  };
  const run = (step: StepButton) =>
    startTransition(async () => {
      setErrors({});
      setMessage(null);
      const result = await takeRotationStepAction({ id: rotationId, action: step.action, reason, month: monthLabels[step.action] ? month : '' });
      if (!result.ok) {
        setErrors(firstMessages(result.fieldErrors));
        setMessage(result.message);
        return;
      }
      setOpen(null);
      router.refresh();
    });

  return (
    <div className="card space-y-2 p-4" data-testid="rotation-steps">
      <h2 className="font-semibold text-slate-900">待本单位办理</h2>
      {requestedEndMonth && <p className="text-sm text-slate-700">派出学校申请延期至 {requestedEndMonth}（原计划 {plannedEndMonth} 结束）。</p>}
      <div className="flex flex-wrap gap-2">
        {actions.map((step) => (
          <button key={step.action} type="button" className={danger(step.action) ? 'btn-danger' : 'btn-primary'} disabled={pending} onClick={() => start(step)} data-testid={`rotation-${step.action}`}>
            {step.label}
          </button>
        ))}
      </div>
      <StepDialog
        title={open?.label ?? null}
        description={open ? (explanations[open.action] ?? '') : ''}
        monthLabel={open ? monthLabels[open.action] : undefined}
        month={month}
        onMonth={setMonth}
        reasonRequired={Boolean(open?.requiresReason)}
        reason={reason}
        onReason={setReason}
        errors={errors}
        message={message}
        pending={pending}
        danger={open ? danger(open.action) : false}
        testIdPrefix="rotation"
        onSubmit={() => open && run(open)}
        onClose={() => setOpen(null)}
      />
    </div>
  );
}
