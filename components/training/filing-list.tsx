import type { FilingRow } from '@/lib/training/filings/queries';
import { filingStateNames } from '@/lib/training/schemas';
import { formatCredits } from '@/lib/training/rules';
import { categoryName } from './labels';
import { FilingSteps } from './filing-steps';

/** Filings as cards (phone and desktop alike): what, how long, the evidence, where it stands, and the steps the actor may take. */
export function FilingList({ rows, showTeacher }: { rows: FilingRow[]; showTeacher: boolean }) {
  return (
    <ul className="space-y-2" data-testid="filing-list">
      {rows.map((row) => (
        <li key={row.id} className="card space-y-1 p-3 text-sm">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="font-medium">
              {showTeacher && (
                <span className="mr-2">
                  {row.teacherName}
                  <span className="ml-1 text-xs font-normal text-slate-500">{row.teacherIdMasked}</span>
                </span>
              )}
              {row.title}
            </p>
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs" data-testid="filing-state">
              {filingStateNames[row.state]}
            </span>
          </div>
          <p className="text-xs text-slate-500">
            {categoryName(row.category)} · {row.hours} 学时 · {row.startDate} 至 {row.endDate}
            {showTeacher ? ` · ${row.schoolName}` : ''}
            {row.credits !== null ? ` · ${formatCredits(row.credits)}` : ''}
          </p>
          {row.description && <p className="text-xs text-slate-600">{row.description}</p>}
          {row.rejectionReason && row.state === 'rejected' && <p className="text-xs text-red-700">未通过原因：{row.rejectionReason}</p>}
          <a href={`/training/filings/${row.id}/attachment`} className="text-xs text-brand-700 underline">
            证明材料：{row.attachmentName}
          </a>
          <FilingSteps id={row.id} steps={row.actions} />
        </li>
      ))}
    </ul>
  );
}
