import type { ReportTable } from '@/lib/statistics/reports';
import { TableFrame } from '@/components/ui/table-frame';

/** A cross-tab with row and column totals, as on the downloaded sheet. */
export function ReportTableView({ report }: { report: ReportTable }) {
  const n = (value: number) => value.toLocaleString('zh-CN');
  return (
    <TableFrame label={report.title}>
      <table className="w-full text-sm" data-testid="report-table">
        <caption className="px-3 py-2 text-left font-semibold text-slate-900">{report.title}</caption>
        <thead className="table-head">
          <tr>
            <th className="px-3 py-2">{report.rowHeader}</th>
            {report.columns.map((column) => (
              <th key={column.key} className="px-3 py-2 text-right">{column.label}</th>
            ))}
            <th className="px-3 py-2 text-right">合计</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {report.rows.map((row) => (
            <tr key={row.key} data-testid="report-row">
              <th scope="row" className="px-3 py-2 text-left font-normal">{row.label}</th>
              {row.cells.map((value, i) => (
                <td key={report.columns[i].key} className="px-3 py-2 text-right tabular-nums">{n(value)}</td>
              ))}
              <td className="px-3 py-2 text-right font-medium tabular-nums">{n(row.total)}</td>
            </tr>
          ))}
          {report.rows.length === 0 && (
            <tr>
              <td colSpan={report.columns.length + 2} className="px-3 py-6 text-center text-slate-500">暂无数据</td>
            </tr>
          )}
        </tbody>
        <tfoot className="border-t-2 border-slate-200 bg-slate-50 font-medium">
          <tr data-testid="report-total">
            <th scope="row" className="px-3 py-2 text-left">合计</th>
            {report.columnTotals.map((value, i) => (
              <td key={report.columns[i].key} className="px-3 py-2 text-right tabular-nums">{n(value)}</td>
            ))}
            <td className="px-3 py-2 text-right tabular-nums">{n(report.total)}</td>
          </tr>
        </tfoot>
      </table>
    </TableFrame>
  );
}
