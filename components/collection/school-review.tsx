'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { submitRecordsAction } from '@/lib/collection/actions';
import { describeProblem } from '@/lib/teachers/completeness';
import type { SubmitOutcome } from '@/lib/collection/schemas';
import { useSelection } from './use-selection';
import { TableFrame } from '@/components/ui/table-frame';

interface Row {
  id: number;
  name: string;
  complete: boolean;
  returnReason: string | null;
  updatedAt: string;
}

/** Drafts with a checkbox each: the completeness check runs on report, and failures are listed with reasons. */
export function SchoolReview({ rows }: { rows: Row[] }) {
  const router = useRouter();
  const { selected, allSelected, toggle, toggleAll, replace } = useSelection(rows.map((row) => row.id));
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SubmitOutcome | null>(null);

  const submit = () => {
    setError(null);
    setOutcome(null);
    startTransition(async () => {
      const result = await submitRecordsAction({ teacherIds: [...selected] });
      if (!result.ok) {
        setError(result.fieldErrors?.teacherIds?.[0] ?? result.message);
        return;
      }
      setOutcome(result.data);
      // Failed rows are listed above with their reasons; reporting them again before a fix would fail again.
      replace([]);
      router.refresh();
    });
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" disabled={pending || selected.size === 0} onClick={submit} data-testid="submit-selected">
          {pending ? '正在检测并上报…' : `完整性检测并上报所选（${selected.size}）`}
        </button>
        <span className="text-xs text-slate-500">未通过检测的记录不会上报，并在下方列出原因。</span>
      </div>
      <FormAlert message={error} />
      {outcome && (
        <div className="space-y-2" data-testid="submit-outcome">
          {outcome.submitted.length > 0 && <FormAlert tone="success" message={`已上报 ${outcome.submitted.length} 条记录，等待主管教育行政部门审核。`} />}
          {outcome.refused.map((r) => <FormAlert key={r.teacherId} tone="info" message={`${r.name}：${r.reason}`} />)}
          {outcome.failed.length > 0 && (
            <div className="card overflow-hidden border-red-200" data-testid="completeness-failures">
              <p className="bg-red-50 px-3 py-2 text-sm font-medium text-red-800">{outcome.failed.length} 条记录未通过完整性检测，未上报：</p>
              <ul className="divide-y divide-slate-100 text-sm">
                {outcome.failed.map((f) => (
                  <li key={f.teacherId} className="px-3 py-2">
                    <Link href={`/teachers/${f.teacherId}`} className="font-medium text-brand-700 hover:underline">{f.name}</Link>
                    <ul className="mt-1 list-disc pl-5 text-slate-700">
                      {f.problems.slice(0, 8).map((p, i) => <li key={i}>{describeProblem(p)}</li>)}
                      {f.problems.length > 8 && <li>另有 {f.problems.length - 8} 处问题</li>}
                    </ul>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">没有符合条件的草稿记录。</p>
      ) : (
        <TableFrame label="本校待报送教师" sticky={2}>
          <table className="w-full text-sm">
            <thead className="table-head">
              <tr>
                <th className="w-10 px-3 py-2">
                  <input type="checkbox" aria-label="全选本页" checked={allSelected} onChange={toggleAll} />
                </th>
                <th className="px-3 py-2">姓名</th>
                <th className="px-3 py-2">完整性</th>
                <th className="px-3 py-2">退回原因</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id} data-testid="draft-row">
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`选择 ${row.name}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                  </td>
                  <td className="px-3 py-2">
                    <Link href={`/teachers/${row.id}`} className="text-brand-700 hover:underline">{row.name}</Link>
                  </td>
                  <td className="px-3 py-2">{row.complete ? <span className="text-green-700">完整</span> : <span className="text-amber-700">不完整</span>}</td>
                  <td className="cell-wrap px-3 py-2 text-red-700">{row.returnReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </div>
  );
}
