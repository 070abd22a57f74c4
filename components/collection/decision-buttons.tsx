'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { decideAdditionAction, decideChangeRequestAction } from '@/lib/collection/actions';
import { decideStatusChangeAction } from '@/lib/mobility/actions';
import { announce } from '@/components/ui/notice';
import { ReasonDialog } from './reason-dialog';

/** What the decider is told once the card has gone. */
function decidedMessage(kind: 'addition' | 'change' | 'status', outcome: { state: string; version?: number }): string {
  if (kind === 'addition') return outcome.state === 'pending_authority' ? '已审核通过，已报主管部门审核' : outcome.state === 'effective' ? '已审核通过，新增信息已生效' : '已退回，提交人可看到退回原因';
  if (kind === 'change' && outcome.state === 'pending') return '已审核通过，已报主管部门审批';
  if (kind === 'change') return outcome.state === 'approved' ? `已批准变更，记录已更新${outcome.version ? `为第 ${outcome.version} 版` : ''}` : '已驳回变更申请，提交人可看到原因';
  return outcome.state === 'effective' ? '已确认人员状态变动，记录已更新' : '已退回人员状态变动';
}

/** Approve, or return / reject with a reason, one addition or change request. */
export function DecisionButtons({ kind, id, approveLabel, returnLabel }: { kind: 'addition' | 'change' | 'status'; id: number; approveLabel: string; returnLabel: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const decide = kind === 'addition' ? decideAdditionAction : kind === 'status' ? decideStatusChangeAction : decideChangeRequestAction;

  const run = (decision: 'approve' | 'return', comment = '') =>
    startTransition(async () => {
      setError(null);
      setReasonError(null);
      const result = await decide({ id, decision, comment });
      if (!result.ok) {
        if (decision === 'return') setReasonError(result.fieldErrors?.comment?.[0] ?? result.message);
        else setError(result.message);
        return;
      }
      setAsking(false);
      announce(decidedMessage(kind, result.data));
      router.refresh();
    });

  return (
    <div className="flex flex-col items-start gap-1">
      <div className="flex gap-2">
        <button type="button" className="btn-primary" disabled={pending} onClick={() => run('approve')} data-testid={`${kind}-approve`}>
          {approveLabel}
        </button>
        <button type="button" className="btn-danger" disabled={pending} onClick={() => setAsking(true)} data-testid={`${kind}-return`}>
          {returnLabel}
        </button>
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <ReasonDialog open={asking} title={returnLabel} description="请填写原因，提交人可以看到。" confirmLabel={`确认${returnLabel}`} pending={pending} error={reasonError} onConfirm={(reason) => run('return', reason)} onClose={() => setAsking(false)} />
    </div>
  );
}
