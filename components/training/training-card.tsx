import Link from 'next/link';
import type { CompletionCounts } from '@/lib/training/completion/queries';

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part * 100) / whole)}%`);

/** 工作台's training card: this cycle's completion across the actor's jurisdiction. */
export function TrainingCard({ totals }: { totals: CompletionCounts }) {
  const items: [string, number, string][] = [
    ['已达标', totals.complete, 'complete'],
    ['进度正常', totals.onTrack, 'onTrack'],
    ['进度滞后', totals.behind, 'behind'],
    ['周期将满未达标', totals.atRisk, 'atRisk'],
  ];
  return (
    <section aria-labelledby="training-card-title" className="card p-4" data-testid="training-card">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="training-card-title" className="text-sm font-semibold text-slate-700">
          培训学分完成情况
        </h2>
        <Link href="/training/completion" className="text-sm text-brand-700 hover:underline">
          查看明细
        </Link>
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {items.map(([label, value, status]) => (
          <Link key={status} href={`/training/completion?status=${status}`} className="rounded-md border border-slate-200 px-3 py-2 hover:border-brand-600">
            <p className="text-xs text-slate-500">{label}</p>
            <p className="text-xl font-semibold tabular-nums">
              {value.toLocaleString('zh-CN')}
              <span className="ml-1 text-xs font-normal text-slate-500">{percent(value, totals.teachers)}</span>
            </p>
          </Link>
        ))}
      </div>
    </section>
  );
}
