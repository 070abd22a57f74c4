import type { Metadata } from 'next';
import Link from 'next/link';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { TeacherTable } from '@/components/teachers/teacher-table';
import { PageTitle } from '@/components/ui/stat-card';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { codeTables } from '@/lib/indicators/code-tables';
import { StageOptions } from '@/components/statistics/stage-options';
import { listFilterUnits, listTeachers, type TeacherListFilters } from '@/lib/teachers/queries';
import { parseTeacherFilters, recordStateNames } from '@/lib/teachers/schemas';

export const metadata: Metadata = { title: '教师信息' };

export default async function TeachersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = await searchParams;
  const filters: TeacherListFilters = parseTeacherFilters(params);
  const [{ rows, hasMore }, filterUnits] = await Promise.all([listTeachers(actor, filters), listFilterUnits(actor)]);
  const keep = new URLSearchParams(Object.entries({ q: params.q, unit: params.unit, stage: params.stage, gender: params.gender, status: params.status, state: params.state }).filter((e): e is [string, string] => !!e[1]));
  const last = rows.at(-1);
  return (
    <div className="space-y-4">
      <PageTitle title="教师信息" description={`${actor.unitName}${actor.unitKind === 'school' ? '' : '及下级单位'}的在职教师（含暂未在岗）；已离开的人员见“已离开人员”。证件号码在列表中脱敏显示。`}>
        <div className="flex flex-wrap gap-2">
          {can(actor, 'teacher.create') && (
            <>
              <Link href="/teachers/new" className="btn-primary">新增教师</Link>
              <Link href="/teachers/accounts" className="btn-secondary">批量创建与初始密码</Link>
            </>
          )}
          {can(actor, 'teacher.import') && <Link href="/teachers/import" className="btn-secondary">批量导入信息</Link>}
          <Link href="/teachers/left" className="btn-secondary">已离开人员</Link>
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
            <StageOptions />
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
            <option value="">在职人员（含暂未在岗）</option>
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
        <button type="submit" className="btn-primary self-end">查询</button>
      </form>
      <TeacherTable rows={rows} />
      <KeysetPager firstHref={filters.after ? `/teachers?${keep}` : null} nextHref={hasMore && last ? `/teachers?${new URLSearchParams([...keep, ['after', String(last.id)]])}` : null} />
    </div>
  );
}
