import { projectStateNames } from '@/lib/training/schemas';

const tones = { pending: 'bg-amber-100 text-amber-800', rejected: 'bg-red-100 text-red-700', registered: 'bg-green-100 text-green-800', cancelled: 'bg-slate-100 text-slate-600' } as const;

export function ProjectStateBadge({ state }: { state: keyof typeof projectStateNames }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${tones[state]}`}>{projectStateNames[state]}</span>;
}
