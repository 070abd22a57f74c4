import type { TransferState } from '@/lib/transfers/chain';
import { transferChain } from '@/lib/transfers/chain';

/**
 * The chain as a row of steps: done, current, to come. `stoppedAt` is the step a rejected or
 * withdrawn transfer stopped at (marked as such); a completed one shows every step done.
 */
export function TransferRoute({ route, state, stoppedAt }: { route: TransferState[]; state: TransferState; stoppedAt?: string | null }) {
  const steps = [{ key: 'file', label: '调入校申请' }, ...route.map((s) => ({ key: s, label: transferChain[s]!.label.replace(/^待/, '') }))];
  const at = state === 'completed' ? steps.length : route.indexOf((route.includes(state) ? state : stoppedAt) as TransferState) + 1;
  const stopped = state === 'rejected' || state === 'withdrawn';
  return (
    <ol className="flex flex-wrap gap-x-1 gap-y-2 text-xs" aria-label="办理进度" data-testid="transfer-route">
      {steps.map((step, i) => {
        const done = i < at;
        const current = i === at;
        const tone = done ? 'bg-emerald-100 text-emerald-800' : current ? (stopped ? 'bg-red-100 text-red-800' : 'bg-brand-600 text-white') : 'bg-slate-100 text-slate-600';
        return (
          <li key={step.key} className="flex items-center gap-1">
            <span className={`rounded-full px-2 py-1 ${tone}`} aria-current={current && !stopped ? 'step' : undefined}>
              {done ? '✓ ' : current && stopped ? '✕ ' : ''}
              {step.label}
            </span>
            {i < steps.length - 1 && (
              <span aria-hidden="true" className="text-slate-400">
                →
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
