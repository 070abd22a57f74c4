import { rotationStateNames, type RotationState } from '@/lib/rotations/chain';

const tone: Record<RotationState, string> = {
  filed: 'bg-sky-100 text-sky-800',
  active: 'bg-indigo-100 text-indigo-800',
  extending: 'bg-amber-100 text-amber-900',
  ended: 'bg-emerald-100 text-emerald-800',
  rejected: 'bg-red-100 text-red-800',
  withdrawn: 'bg-slate-200 text-slate-700',
};

/** A rotation's state, with "即将到期" and "待本单位办理" beside it when they apply. */
export function RotationStateBadge({ state, dueSoon = false, mine = false }: { state: RotationState; dueSoon?: boolean; mine?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="rotation-state">
      <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${tone[state]}`}>{rotationStateNames[state]}</span>
      {mine && <span className="whitespace-nowrap rounded bg-brand-600 px-1.5 py-0.5 text-xs text-white">待本单位办理</span>}
      {dueSoon && <span className="whitespace-nowrap rounded bg-amber-700 px-1.5 py-0.5 text-xs text-white">即将到期</span>}
    </span>
  );
}
