import Link from 'next/link';
import { StatCard } from '@/components/ui/stat-card';
import type { TransferYearTotals } from '@/lib/transfers/queries';

/** This year's transfers for the jurisdiction: in, out, within, and those still open (overdue among them). */
export function TransferYearCards({ totals }: { totals: TransferYearTotals }) {
  const year = new Date().getFullYear();
  return (
    <section aria-label={`${year} 年教师调动`} className="space-y-2">
      <h2 className="flex items-baseline justify-between text-sm font-semibold text-slate-700">
        <span>{year} 年教师调动</span>
        <Link href="/transfers?view=all&state=open" className="text-xs font-normal text-brand-700 hover:underline">
          调动管理
        </Link>
      </h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <StatCard label="调入（已完成）" value={totals.incoming} testId="transfers-in" />
        <StatCard label="调出（已完成）" value={totals.outgoing} testId="transfers-out" />
        <StatCard label="辖区内调动（已完成）" value={totals.internal} testId="transfers-internal" />
        <StatCard label={totals.overdue ? `办理中（超期 ${totals.overdue}）` : '办理中'} value={totals.open} testId="transfers-open" />
      </div>
    </section>
  );
}
