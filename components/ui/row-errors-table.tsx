import { TableFrame } from '@/components/ui/table-frame';
export interface RowError {
  sheet?: string;
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

/** The rows a spreadsheet upload was refused for: where, what was written, and why. */
export function RowErrorsTable({ errors, testId }: { errors: RowError[]; testId?: string }) {
  const withSheet = errors.some((error) => error.sheet);
  return (
    <TableFrame label="出错的行" sticky={0} card={false} maxHeight="28rem">
      <table className="w-full text-sm">
        <thead className="table-head sticky top-0">
          <tr>
            {withSheet && <th className="px-3 py-2">工作表</th>}
            <th className="px-3 py-2">行号</th>
            <th className="px-3 py-2">列</th>
            <th className="px-3 py-2">填写内容</th>
            <th className="px-3 py-2">问题</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid={testId}>
          {errors.map((error, i) => (
            <tr key={i}>
              {withSheet && <td className="px-3 py-2">{error.sheet}</td>}
              <td className="px-3 py-2 tabular-nums">第 {error.rowNumber} 行</td>
              <td className="px-3 py-2">{error.column}</td>
              <td className="cell-wrap px-3 py-2 font-mono text-xs">{error.value || '（空）'}</td>
              <td className="cell-wrap px-3 py-2 text-red-700">{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
