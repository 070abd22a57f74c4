import type { Metadata } from 'next';
import Link from 'next/link';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { codeName, codeTables } from '@/lib/indicators/code-tables';
import { stageNames } from '@/lib/reference/school-types';
import { listFilterUnits, listTeachers, type TeacherListFilters } from '@/lib/teachers/queries';
import { parseTeacherFilters, recordStateNames } from '@/lib/teachers/schemas';

export const metadata: Metadata = { title: '教师信息' };

const stateStyles = { draft: 'text-amber-700', submitted: 'text-blue-700', effective: 'text-green-700' } as const;

export default async function TeachersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const filters: TeacherListFilters = parseTeacherFilters(params);
  const [{ rows, hasMore }, filterUnits] = await Promise.all([listTeachers(actor, filters), listFilterUnits(actor)]);
  const keep = new URLSearchParams(Object.entries({ q: params.q, unit: params.unit, stage: params.stage, gender: params.gender, status: params.status, state: params.state }).filter((e): e is [string, string] => !!e[1]));
  const last = rows.at(-1);
  return (
    <div className="space-y-4">
      <PageTitle title="教师信息" description={`${actor.unitName}${actor.unitKind === 'school' ? '' : '及下级单位'}的教师。证件号码在列表中脱敏显示。`}>
        <div className="flex flex-wrap gap-2">
          {can(actor, 'teacher.create') && (
            <>
              <Link href="/teachers/new" className="btn-primary">新增教师</Link>
              <Link href="/teachers/accounts" className="btn-secondary">批量创建与初始密码</Link>
            </>
          )}
          {can(actor, 'teacher.import') && <Link href="/teachers/import" className="btn-secondary">批量导入信息</Link>}
          <Link href={`/teachers/export?${keep}`} className="btn-secondary">导出</Link>
        </div>
      </PageTitle>
      <form className="card grid grid-cols-2 gap-3 p-3 sm:grid-cols-3 lg:grid-cols-7 lg:items-end">
        <label className="col-span-2 text-xs text-slate-600 sm:col-span-1 lg:col-span-2">
          姓名（前缀）/ 证件号码 / 教职工号
          <input name="q" defaultValue={params.q} className="input mt-1" placeholder="如：王 或 完整证件号码" />
        </label>
        {actor.unitKind !== 'school' && (
          <label className="text-xs text-slate-600">
            单位
            <select name="unit" defaultValue={params.unit ?? ''} className="input mt-1">
              {filterUnits.map((unit) => (
                <option key={unit.id} value={unit.id === actor.unitId ? '' : unit.id}>{unit.name}</option>
              ))}
            </select>
          </label>
        )}
        <label className="text-xs text-slate-600">
          学段
          <select name="stage" defaultValue={params.stage ?? ''} className="input mt-1">
            <option value="">全部</option>
            {Object.entries(stageNames).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          性别
          <select name="gender" defaultValue={params.gender ?? ''} className="input mt-1">
            <option value="">全部</option>
            {codeTables.gender.map((item) => <option key={item.code} value={item.code}>{item.name}</option>)}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          人员状态
          <select name="status" defaultValue={params.status ?? ''} className="input mt-1">
            <option value="">全部</option>
            {codeTables.personnelStatus.map((item) => <option key={item.code} value={item.code}>{item.name}</option>)}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          记录状态
          <select name="state" defaultValue={params.state ?? ''} className="input mt-1">
            <option value="">全部</option>
            {Object.entries(recordStateNames).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
          </select>
        </label>
        <button type="submit" className="btn-primary">查询</button>
      </form>
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
          <tbody className="divide-y divide-slate-100" data-testid="teacher-rows">
            {rows.map((row) => (
              <tr key={row.id} className="hover:bg-slate-50">
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
      <KeysetPager firstHref={filters.after ? `/teachers?${keep}` : null} nextHref={hasMore && last ? `/teachers?${new URLSearchParams([...keep, ['after', String(last.id)]])}` : null} />
    </div>
  );
}
