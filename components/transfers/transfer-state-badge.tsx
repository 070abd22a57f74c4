import type { TransferState } from '@/lib/transfers/chain';
import { transferStateNames } from '@/lib/transfers/chain';

const tone: Record<TransferState, string> = {
  filed: 'bg-sky-100 text-sky-800',
  receiving_province: 'bg-sky-100 text-sky-800',
  sent: 'bg-amber-100 text-amber-900',
  sending_agreed: 'bg-amber-100 text-amber-900',
  sending_province: 'bg-amber-100 text-amber-900',
  awaiting_file: 'bg-indigo-100 text-indigo-800',
  completed: 'bg-emerald-100 text-emerald-800',
  rejected: 'bg-red-100 text-red-800',
  withdrawn: 'bg-slate-200 text-slate-700',
};

/** A transfer's state, with "超期" and "待本单位办理" beside it when they apply. */
export function TransferStateBadge({ state, overdue = false, mine = false }: { state: TransferState; overdue?: boolean; mine?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="transfer-state">
      <span className={`rounded px-1.5 py-0.5 text-xs ${tone[state]}`}>{transferStateNames[state]}</span>
      {mine && <span className="rounded bg-brand-600 px-1.5 py-0.5 text-xs text-white">待本单位办理</span>}
      {overdue && <span className="rounded bg-red-600 px-1.5 py-0.5 text-xs text-white">超期</span>}
    </span>
  );
}
