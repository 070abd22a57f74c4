'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { requestCredentialSheetAction } from '@/lib/accounts/actions';
import { FormAlert } from '@/components/forms/field';
import { TableFrame } from '@/components/ui/table-frame';

export interface IssuableUnitRow {
  unitId: number;
  code: string;
  name: string;
  kindLabel: string;
  username: string;
  issuedAt: string;
  lastLoginAt: string;
}

export function CredentialIssuer({ units }: { units: IssuableUnitRow[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [filter, setFilter] = useState('');
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ tone: 'error' | 'success'; message: string } | null>(null);
  const visible = useMemo(() => units.filter((u) => !filter || u.name.includes(filter) || u.code.startsWith(filter)), [units, filter]);
  const allVisibleSelected = visible.length > 0 && visible.every((u) => selected.has(u.unitId));

  const toggleAll = () => {
    const next = new Set(selected);
    for (const u of visible) {
      if (allVisibleSelected) next.delete(u.unitId);
      else next.add(u.unitId);
    }
    setSelected(next);
  };
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const issue = () => {
    if (!window.confirm(`将为 ${selected.size} 个单位的系统管理员生成新的初始密码，下载分发表时新密码生效、原密码失效。继续吗？`)) return;
    setResult(null);
    startTransition(async () => {
      const response = await requestCredentialSheetAction({ unitIds: [...selected] });
      if (!response.ok) {
        setResult({ tone: 'error', message: response.message });
        return;
      }
      setResult({ tone: 'success', message: `已提交 ${selected.size} 个单位，正在后台生成初始密码和分发表，完成后在“我的分发表”中下载（仅可下载一次）。` });
      setSelected(new Set());
      router.refresh();
    });
  };

  return (
    <div className="space-y-3">
      <FormAlert tone={result?.tone} message={result?.message} />
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="unit-filter" className="sr-only">筛选单位</label>
        <input id="unit-filter" className="input max-w-xs" placeholder="按名称或代码筛选" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" className="btn-primary" disabled={pending || selected.size === 0} onClick={issue}>
          {pending ? '正在提交…' : `生成初始密码和分发表（${selected.size}）`}
        </button>
      </div>
      <TableFrame label="下级单位管理员账号" sticky={2}>
        <table className="w-full text-sm">
          <thead className="table-head">
            <tr>
              <th className="w-10 px-3 py-2">
                <input type="checkbox" aria-label="全选" checked={allVisibleSelected} onChange={toggleAll} />
              </th>
              <th className="px-3 py-2">单位代码</th>
              <th className="px-3 py-2">单位名称</th>
              <th className="px-3 py-2">分发账号</th>
              <th className="px-3 py-2">上次发放</th>
              <th className="px-3 py-2">最近登录</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {visible.map((u) => (
              <tr key={u.unitId}>
                <td className="px-3 py-2">
                  <input type="checkbox" aria-label={`选择${u.name}`} checked={selected.has(u.unitId)} onChange={() => toggle(u.unitId)} />
                </td>
                <td className="px-3 py-2 font-mono text-xs">{u.code}</td>
                <td className="px-3 py-2">
                  {u.name}
                  <span className="ml-1 text-xs text-slate-500">{u.kindLabel}</span>
                </td>
                <td className="px-3 py-2 font-mono text-xs">{u.username}</td>
                <td className="px-3 py-2 text-xs text-slate-600">{u.issuedAt}</td>
                <td className="px-3 py-2 text-xs text-slate-600">{u.lastLoginAt}</td>
              </tr>
            ))}
            {visible.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">没有直属下级单位</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableFrame>
    </div>
  );
}
