import type { DescribedChange } from '@/lib/collection/describe';

/** Old → new, one row per field. */
export function DiffTable({ changes, testId }: { changes: DescribedChange[]; testId?: string }) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="table-head">
        <tr>
          <th className="px-2 py-1">指标</th>
          <th className="px-2 py-1">原值</th>
          <th className="px-2 py-1">新值</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {changes.map((change, i) => (
          <tr key={i}>
            <td className="px-2 py-1 text-slate-600">
              {change.subsetLabel}·{change.fieldLabel}
            </td>
            <td className="px-2 py-1 text-red-700 line-through decoration-red-300">{change.oldText || '（空）'}</td>
            <td className="px-2 py-1 text-green-800">{change.newText || '（删除）'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
