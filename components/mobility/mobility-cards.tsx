import Link from 'next/link';
import { StatCard } from '@/components/ui/stat-card';
import type { MobilityTotals } from '@/lib/mobility/queries';
import type { RotationTotals } from '@/lib/rotations/queries';

/** 人员流动 for the jurisdiction: rotating now, leavers by reason this year, retiring in the next 12 months. */
export function MobilityCards({ mobility, rotations }: { mobility: MobilityTotals; rotations: RotationTotals | null }) {
  const year = new Date().getFullYear();
  const leavers = mobility.leaversThisYear.reduce((sum, row) => sum + row.count, 0);
  return (
    <section aria-label="人员流动" className="space-y-2" data-testid="mobility-cards">
      <h2 className="flex items-baseline justify-between text-sm font-semibold text-slate-700">
        <span>人员流动</span>
        <span className="flex gap-3 text-xs font-normal">
          <Link href="/teachers/retiring" className="text-brand-700 hover:underline">
            即将退休
          </Link>
          <Link href="/teachers/left" className="text-brand-700 hover:underline">
            已离开
          </Link>
          {rotations && (
            <Link href="/rotations?view=all&state=away" className="text-brand-700 hover:underline">
              交流轮岗
            </Link>
          )}
        </span>
      </h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {rotations && <StatCard label="正在交流（派出）" value={rotations.awayNow} testId="rotating-now" />}
        {rotations && <StatCard label="交流来校" value={rotations.hostedNow} testId="rotating-hosted" />}
        <StatCard label="12 个月内退休" value={mobility.retiringWithinYear} testId="retiring-within-year" />
        <div className="card px-4 py-3">
          <p className="text-xs text-slate-500">{year} 年离开本单位</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="leavers-this-year">
            {leavers.toLocaleString('zh-CN')}
          </p>
          {mobility.leaversThisYear.length > 0 && (
            <ul className="mt-1 space-y-0.5 text-xs text-slate-600" data-testid="leavers-by-reason">
              {mobility.leaversThisYear.map((row) => (
                <li key={row.code} className="flex justify-between gap-2">
                  <span>{row.name}</span>
                  <span className="tabular-nums">{row.count.toLocaleString('zh-CN')}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
