'use client';

import * as Dialog from '@radix-ui/react-dialog';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { sendRemindersAction } from '@/lib/collection/actions';
import type { ProgressRow } from '@/lib/collection/queries';
import { progressStatusNames, type ProgressSortKey } from '@/lib/collection/schemas';
import { useSelection } from './use-selection';
import { TableFrame } from '@/components/ui/table-frame';

const statusStyles = { done: 'bg-green-50 text-green-800', on_track: 'bg-slate-100 text-slate-700', at_risk: 'bg-amber-100 text-amber-900', late: 'bg-red-100 text-red-800', no_data: 'bg-slate-50 text-slate-500' } as const;

function Bar({ value }: { value: number }) {
  return (
    <span className="flex items-center gap-2">
      <span className="hidden h-1.5 w-16 overflow-hidden rounded bg-slate-100 sm:inline-block" aria-hidden="true">
        <span className="block h-full bg-brand-600" style={{ width: `${Math.min(100, value)}%` }} />
      </span>
      <span className="tabular-nums">{value}%</span>
    </span>
  );
}

/**
 * One row per direct subordinate unit, sortable by each column (links keep the state in the URL), with
 * drill-down, and a reminder to the selected units for users who steer the campaign.
 */
export function ProgressTable({ rows, total, sortLinks, sort, dir, canRemind }: { rows: ProgressRow[]; total: ProgressRow; sortLinks: Record<ProgressSortKey, string>; sort: ProgressSortKey; dir: 'asc' | 'desc'; canRemind: boolean }) {
  const { selected, toggle, replace } = useSelection(rows.map((row) => row.unitId));
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('请抓紧完成教师信息采集、审核和报送工作。');
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const laggards = rows.filter((row) => row.status === 'late' || row.status === 'at_risk');
  const send = () =>
    startTransition(async () => {
      const result = await sendRemindersAction({ unitIds: [...selected], message: text });
      if (!result.ok) {
        setMessage({ tone: 'error', text: result.fieldErrors?.message?.[0] ?? result.message });
        return;
      }
      setOpen(false);
      replace([]);
      setMessage({ tone: 'success', text: `已向 ${result.data.sent} 个单位发送催办，对方的待办事项中可见。` });
    });
  const header = (key: ProgressSortKey, label: string, className = '') => (
    <th className={`px-3 py-2 ${className}`} aria-sort={sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link href={sortLinks[key]} className="hover:text-slate-900">
        {label}
        {sort === key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
  const cells = (row: ProgressRow) => (
    <>
      <td className="px-3 py-2 text-right tabular-nums">{row.teachers.toLocaleString('zh-CN')}</td>
      <td className="px-3 py-2"><Bar value={row.completePct} /></td>
      <td className="px-3 py-2"><Bar value={row.reportedPct} /></td>
      <td className="px-3 py-2"><Bar value={row.effectivePct} /></td>
      <td className="px-3 py-2 text-right tabular-nums">{row.returned.toLocaleString('zh-CN')}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{row.daysLeft === null ? '—' : row.daysLeft < 0 ? `逾期 ${-row.daysLeft} 天` : `${row.daysLeft} 天`}</td>
      <td className="px-3 py-2">
        <span className={`whitespace-nowrap rounded px-2 py-0.5 text-xs ${statusStyles[row.status]}`} data-testid="progress-status">{progressStatusNames[row.status]}</span>
      </td>
    </>
  );
  return (
    <div className="space-y-3">
      {canRemind && (
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn-secondary" onClick={() => replace(laggards.map((r) => r.unitId))} disabled={laggards.length === 0}>
            选中逾期和临期单位（{laggards.length}）
          </button>
          <button type="button" className="btn-primary" disabled={selected.size === 0} onClick={() => setOpen(true)} data-testid="remind-open">
            催办所选（{selected.size}）
          </button>
        </div>
      )}
      {message && <FormAlert tone={message.tone} message={message.text} />}
      <TableFrame label="各单位采集进度" sticky={canRemind ? 2 : 1}>
        <table className="w-full text-sm" data-testid="progress-table">
          <thead className="table-head">
            <tr>
              {canRemind && <th className="w-10 px-3 py-2"><span className="sr-only">选择</span></th>}
              {header('name', '单位')}
              {header('teachers', '登记教师', 'text-right')}
              {header('complete', '记录完整')}
              {header('submitted', '已报送')}
              {header('effective', '已生效')}
              {header('returned', '被退回', 'text-right')}
              <th className="px-3 py-2 text-right">距截止</th>
              {header('status', '状态')}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.unitId} data-testid="progress-row" data-unit={row.code}>
                {canRemind && (
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`选择 ${row.name}`} checked={selected.has(row.unitId)} onChange={() => toggle(row.unitId)} />
                  </td>
                )}
                <td className="px-3 py-2">
                  <Link href={row.kind === 'school' ? `/teachers?unit=${row.unitId}` : `/progress?unit=${row.unitId}`} className="font-medium text-brand-700 hover:underline">
                    {row.name}
                  </Link>
                  <span className="ml-1 text-xs text-slate-500">{row.code}</span>
                </td>
                {cells(row)}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={canRemind ? 9 : 8} className="px-3 py-6 text-center text-slate-500">没有下级单位</td>
              </tr>
            )}
          </tbody>
          <tfoot className="border-t-2 border-slate-200 bg-slate-50 font-medium">
            <tr data-testid="progress-total">
              {canRemind && <td />}
              <td className="px-3 py-2">合计</td>
              {cells(total)}
            </tr>
          </tfoot>
        </table>
      </TableFrame>
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(32rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
            <Dialog.Title className="text-base font-semibold">催办 {selected.size} 个单位</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-600">催办内容会出现在这些单位管理员的待办事项中。</Dialog.Description>
            <label htmlFor="reminder-text" className="mt-3 block text-sm font-medium text-slate-700">催办内容</label>
            <textarea id="reminder-text" className="input mt-1 min-h-24" value={text} onChange={(e) => setText(e.target.value)} maxLength={300} />
            <div className="mt-3 flex justify-end gap-2">
              <Dialog.Close className="btn-secondary">取消</Dialog.Close>
              <button type="button" className="btn-primary" disabled={pending} onClick={send} data-testid="remind-send">
                {pending ? '正在发送…' : '发送催办'}
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
