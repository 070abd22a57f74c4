'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { approveRecordsAction, returnRecordsAction } from '@/lib/collection/actions';
import type { RefusedRecord } from '@/lib/collection/schemas';
import { ReasonDialog } from './reason-dialog';
import { useSelection } from './use-selection';
import { TableFrame } from '@/components/ui/table-frame';

interface Row {
  id: number;
  name: string;
  unitName: string;
  stageName: string;
  submitted: string;
}

/**
 * The authority's queue: open records to sample them (they open in a new tab), then approve the
 * selection in bulk, or return it with a reason.
 */
export function ReviewQueue({ rows }: { rows: Row[] }) {
  const router = useRouter();
  const { selected, allSelected, toggle, toggleAll, replace } = useSelection(rows.map((row) => row.id));
  const [sampled, setSampled] = useState<Set<number>>(new Set());
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [refused, setRefused] = useState<RefusedRecord[]>([]);
  const [returning, setReturning] = useState(false);
  const [returnError, setReturnError] = useState<string | null>(null);
  const sampledInSelection = [...selected].filter((id) => sampled.has(id));

  const approve = () => {
    setMessage(null);
    setRefused([]);
    if (selected.size > 1 && sampledInSelection.length === 0) {
      setMessage({ tone: 'error', text: '批量审核通过前，请至少打开所选记录中的一条进行抽查。' });
      return;
    }
    startTransition(async () => {
      const result = await approveRecordsAction({ teacherIds: [...selected], sampled: sampledInSelection });
      if (!result.ok) {
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setMessage({ tone: 'success', text: `已审核通过 ${result.data.approved.length} 条记录，记录已生效。` });
      setRefused(result.data.refused);
      replace([]);
      router.refresh();
    });
  };

  const sendBack = (reason: string) => {
    setReturnError(null);
    startTransition(async () => {
      const result = await returnRecordsAction({ teacherIds: [...selected], reason });
      if (!result.ok) {
        setReturnError(result.fieldErrors?.reason?.[0] ?? result.message);
        return;
      }
      setReturning(false);
      setMessage({ tone: 'success', text: `已退回 ${result.data.approved.length} 条记录。` });
      setRefused(result.data.refused);
      replace([]);
      router.refresh();
    });
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className="btn-primary" disabled={pending || selected.size === 0} onClick={approve} data-testid="approve-selected">
          审核通过所选（{selected.size}）
        </button>
        <button type="button" className="btn-danger" disabled={pending || selected.size === 0} onClick={() => setReturning(true)} data-testid="return-selected">
          退回所选
        </button>
        <span className="text-xs text-slate-500">已抽查 {sampledInSelection.length} 条</span>
      </div>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      {refused.map((r) => <FormAlert key={r.teacherId} tone="info" message={`${r.name}：${r.reason}`} />)}
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500" data-testid="queue-empty">暂无待审核的记录。</p>
      ) : (
        <TableFrame label="待审核教师" sticky={2}>
          <table className="w-full text-sm">
            <thead className="table-head">
              <tr>
                <th className="w-10 px-3 py-2">
                  <input type="checkbox" aria-label="全选本页" checked={allSelected} onChange={toggleAll} />
                </th>
                <th className="px-3 py-2">姓名</th>
                <th className="px-3 py-2">学校</th>
                <th className="hidden px-3 py-2 sm:table-cell">学段</th>
                <th className="hidden px-3 py-2 md:table-cell">报送</th>
                <th className="px-3 py-2">抽查</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id} data-testid="queue-row">
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`选择 ${row.name}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                  </td>
                  <td className="px-3 py-2 font-medium">{row.name}</td>
                  <td className="px-3 py-2">{row.unitName}</td>
                  <td className="hidden px-3 py-2 sm:table-cell">{row.stageName}</td>
                  <td className="hidden px-3 py-2 text-xs text-slate-500 md:table-cell">{row.submitted}</td>
                  <td className="px-3 py-2">
                    <a href={`/teachers/${row.id}`} target="_blank" rel="noreferrer" className="text-brand-700 hover:underline" onClick={() => setSampled((s) => new Set(s).add(row.id))} data-testid="sample-link">
                      {sampled.has(row.id) ? '已查看 ✓' : '查看'}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <ReasonDialog
        open={returning}
        title={`退回 ${selected.size} 条记录`}
        description="退回后记录回到学校草稿状态，学校和教师本人可以看到退回原因。"
        confirmLabel="确认退回"
        pending={pending}
        error={returnError}
        onConfirm={sendBack}
        onClose={() => setReturning(false)}
      />
    </div>
  );
}
