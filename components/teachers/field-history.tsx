import { formatDateTime } from '@/lib/format';
import { displayValue } from '@/lib/indicators/form-schema';
import type { EffectiveCatalogue } from '@/lib/indicators/settings';
import type { FieldChangeRow } from '@/lib/teachers/queries';
import { TableFrame } from '@/components/ui/table-frame';

const sourceNames: Record<string, string> = { form: '在线填报', self: '本人填报', import: '批量导入', system: '系统' };

export function FieldHistory({ changes, catalogue }: { changes: FieldChangeRow[]; catalogue: EffectiveCatalogue }) {
  const subsets = new Map(catalogue.subsets.map((subset) => [subset.key, subset]));
  const describe = (change: FieldChangeRow) => {
    const subset = subsets.get(change.subset);
    const field = subset?.fields.find((f) => f.key === change.field);
    const show = (value: FieldChangeRow['oldValue']) => (value === null ? '（空）' : field ? displayValue(field, value) : Array.isArray(value) ? value.join('、') : value);
    if (change.field === '*') return { subset: subset?.label ?? change.subset, field: '登记教师', from: '', to: '' };
    return { subset: subset?.label ?? change.subset, field: field?.label ?? `${change.field}（已停用指标）`, from: show(change.oldValue), to: show(change.newValue) };
  };
  return (
    <TableFrame label="逐项修改记录">
      <table className="w-full text-sm">
        <thead className="table-head">
          <tr>
            <th className="px-3 py-2">时间</th>
            <th className="px-3 py-2">修改人</th>
            <th className="px-3 py-2">方式</th>
            <th className="px-3 py-2">信息集</th>
            <th className="px-3 py-2">指标</th>
            <th className="px-3 py-2">修改前</th>
            <th className="px-3 py-2">修改后</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="history-rows">
          {changes.map((change) => {
            const d = describe(change);
            return (
              <tr key={change.id}>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-600">{formatDateTime(change.changedAt)}</td>
                <td className="px-3 py-2">{change.accountName ?? '—'}</td>
                <td className="px-3 py-2 text-xs">{sourceNames[change.source] ?? change.source}</td>
                <td className="px-3 py-2">{d.subset}{change.entryId ? <span className="text-xs text-slate-500"> #{change.entryId}</span> : null}</td>
                <td className="px-3 py-2">{d.field}</td>
                <td className="cell-wrap px-3 py-2 text-slate-600">{d.from}</td>
                <td className="cell-wrap px-3 py-2">{d.to}</td>
              </tr>
            );
          })}
          {changes.length === 0 && (
            <tr>
              <td colSpan={7} className="px-3 py-6 text-center text-slate-500">暂无修改记录</td>
            </tr>
          )}
        </tbody>
      </table>
    </TableFrame>
  );
}
