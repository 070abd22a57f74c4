import Link from 'next/link';
import { codeName } from '@/lib/indicators/code-tables';
import type { TeacherListRow } from '@/lib/teachers/queries';
import { recordStateNames } from '@/lib/teachers/schemas';

const stateStyles = { draft: 'text-amber-700', submitted: 'text-blue-700', effective: 'text-green-700' } as const;

/** A page of teachers, as the list and the combined query show them (ID numbers already masked). */
export function TeacherTable({ rows, testId = 'teacher-rows' }: { rows: TeacherListRow[]; testId?: string }) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full min-w-[56rem] text-sm">
        <thead className="table-head">
          <tr>
            <th className="px-3 py-2">姓名</th>
            <th className="px-3 py-2">性别</th>
            <th className="px-3 py-2">出生日期</th>
            <th className="px-3 py-2">证件号码</th>
            <th className="px-3 py-2">教职工号</th>
            <th className="px-3 py-2">单位</th>
            <th className="px-3 py-2">学段</th>
            <th className="px-3 py-2">编制</th>
            <th className="px-3 py-2">人员状态</th>
            <th className="px-3 py-2">记录</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid={testId}>
          {rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50" data-testid="teacher-row">
              <td className="px-3 py-2">
                <Link href={`/teachers/${row.id}`} className="font-medium text-brand-600 hover:underline">{row.name}</Link>
                {!row.hasPassword && <span className="ml-1 rounded bg-slate-100 px-1 text-[11px] text-slate-500" title="尚未发放初始密码">未发密码</span>}
              </td>
              <td className="px-3 py-2">{codeName('gender', row.gender)}</td>
              <td className="px-3 py-2 tabular-nums">{row.birthDate}</td>
              <td className="px-3 py-2 font-mono text-xs">{row.idNumberMasked}</td>
              <td className="px-3 py-2 font-mono text-xs">{row.staffNumber ?? '—'}</td>
              <td className="px-3 py-2">{row.unitName}</td>
              <td className="px-3 py-2">{row.stageName}</td>
              <td className="px-3 py-2">{row.onEstablishment ? '在编' : '非在编'}</td>
              <td className="px-3 py-2">{row.personnelStatus ? codeName('personnelStatus', row.personnelStatus) : '—'}</td>
              <td className={`px-3 py-2 ${stateStyles[row.recordState]}`}>{recordStateNames[row.recordState]}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={10} className="px-3 py-6 text-center text-slate-500">没有符合条件的教师</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
