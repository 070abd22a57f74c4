'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useSelection } from '@/components/collection/use-selection';
import { FormAlert } from '@/components/forms/field';
import { markPendingRetirementAction } from '@/lib/mobility/actions';
import type { RetiringRow } from '@/lib/mobility/queries';
import { TableFrame } from '@/components/ui/table-frame';

/** 即将退休 with the school's bulk step: the chosen teachers become 209 待退休, each its own status change. */
export function RetiringTable({ rows }: { rows: RetiringRow[] }) {
  const router = useRouter();
  const markable = rows.filter((row) => row.mayMark).map((row) => row.id);
  const selection = useSelection(markable);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const mark = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await markPendingRetirementAction({ teacherIds: [...selection.selected] });
      if (!result.ok) return setMessage({ tone: 'error', text: result.message });
      const refused = result.data.refused.map((r) => `${r.name}（${r.reason}）`).join('、');
      setMessage({ tone: 'success', text: `已将 ${result.data.marked.length} 名教师设为待退休${refused ? `；未处理：${refused}` : ''}` });
      selection.replace([]);
      router.refresh();
    });

  return (
    <div className="space-y-3">
      {markable.length > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn-primary" disabled={pending || selection.selected.size === 0} onClick={mark} data-testid="retiring-mark">
            {pending ? '处理中…' : `将所选 ${selection.selected.size} 人设为待退休`}
          </button>
          <span className="text-xs text-slate-500">设为“暂未在本单位任职-待退休”（209），立即生效并生成新版本。</span>
        </div>
      )}
      {message && <FormAlert message={message.text} tone={message.tone} />}
      <TableFrame label="即将退休教师" sticky={markable.length > 0 ? 2 : 1}>
        <table className="w-full text-sm" data-testid="retiring-table">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              {markable.length > 0 && (
                <th className="w-8 px-3 py-2">
                  <input type="checkbox" aria-label="全选可设为待退休的教师" checked={selection.allSelected} onChange={selection.toggleAll} />
                </th>
              )}
              <th className="px-3 py-2 font-medium">姓名</th>
              <th className="px-3 py-2 font-medium">单位</th>
              <th className="px-3 py-2 font-medium">出生日期</th>
              <th className="px-3 py-2 font-medium">退休年月</th>
              <th className="px-3 py-2 font-medium">退休年龄</th>
              <th className="px-3 py-2 font-medium">人员状态</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} data-testid="retiring-row">
                {markable.length > 0 && (
                  <td className="px-3 py-2">{row.mayMark && <input type="checkbox" aria-label={`选择 ${row.name}`} checked={selection.selected.has(row.id)} onChange={() => selection.toggle(row.id)} />}</td>
                )}
                <td className="px-3 py-2">
                  <Link href={`/teachers/${row.id}`} className="font-medium text-brand-700 hover:underline">
                    {row.name}
                  </Link>
                  <span className="block text-xs text-slate-500">
                    {row.idNumberMasked} · {row.gender}
                  </span>
                </td>
                <td className="px-3 py-2">{row.unitName}</td>
                <td className="px-3 py-2 tabular-nums">{row.birthDate}</td>
                <td className="px-3 py-2 font-medium tabular-nums">{row.retirementMonth}</td>
                <td className="px-3 py-2">{row.retirementAge}</td>
                <td className="px-3 py-2">{row.statusName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </div>
  );
}
