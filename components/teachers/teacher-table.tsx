import Link from 'next/link';
import { codeName } from '@/lib/indicators/code-tables';
import type { TeacherListRow } from '@/lib/teachers/queries';
import { recordStateNames } from '@/lib/teachers/schemas';
import { TableFrame } from '@/components/ui/table-frame';

const stateStyles = { draft: 'text-amber-700', submitted: 'text-blue-700', effective: 'text-green-700' } as const;

function NoPasswordBadge() {
  return <span className="ml-1 rounded bg-slate-100 px-1 text-[11px] text-slate-600" title="尚未发放初始密码">未发密码</span>;
}

/**
 * A page of teachers, as the list and the combined query show them (ID numbers already masked): a
 * table from 640 px, a card per teacher on phones.
 */
export function TeacherTable({ rows, testId = 'teacher-rows' }: { rows: TeacherListRow[]; testId?: string }) {
  return (
    <>
      <ul className="space-y-2 sm:hidden" data-testid={`${testId}-cards`}>
        {rows.map((row) => (
          <li key={row.id} className="card p-3 text-sm">
            <div className="flex items-start justify-between gap-2">
              <p>
                <Link href={`/teachers/${row.id}`} className="font-medium text-brand-700 hover:underline">{row.name}</Link>
                {!row.hasPassword && <NoPasswordBadge />}
              </p>
              <span className={`shrink-0 text-xs ${stateStyles[row.recordState]}`}>{recordStateNames[row.recordState]}</span>
            </div>
            <p className="mt-1 text-xs text-slate-600">
              {codeName('gender', row.gender)} · <span className="whitespace-nowrap tabular-nums">{row.birthDate}</span> · {row.stageName} · {row.onEstablishment ? '在编' : '非在编'}
              {row.personnelStatus ? ` · ${codeName('personnelStatus', row.personnelStatus)}` : ''}
            </p>
            <p className="mt-0.5 text-xs text-slate-600">{row.unitName}</p>
            <p className="mt-0.5 whitespace-nowrap font-mono text-xs text-slate-600">{row.idNumberMasked}</p>
          </li>
        ))}
        {rows.length === 0 && <li className="card p-6 text-center text-sm text-slate-500">没有符合条件的教师</li>}
      </ul>
      <div className="hidden sm:block">
        <TableFrame label="教师名单">
          <table className="w-full text-sm">
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
                    {!row.hasPassword && <NoPasswordBadge />}
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
        </TableFrame>
      </div>
    </>
  );
}
