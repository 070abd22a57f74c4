import Link from 'next/link';
import { StageOptions } from '@/components/statistics/stage-options';
import { schoolTypes, schoolTypesOfLevel } from '@/lib/reference/school-types';
import { ownershipNames, statQuery, type StatFilters } from '@/lib/statistics/schemas';

/** Plain GET form: the filters live in the URL, so a view can be shared or bookmarked. */
export function StatFiltersForm({ filters, action = '/statistics', hidden = {} }: { filters: StatFilters; action?: string; hidden?: Record<string, string> }) {
  const types = [...schoolTypes.values()].filter((type) => (filters.level ? schoolTypesOfLevel(filters.level).includes(type.code) : !filters.stage || type.stage === filters.stage));
  return (
    <form action={action} className="card grid grid-cols-2 gap-3 p-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end" data-testid="stat-filters">
      {filters.unitId && <input type="hidden" name="unit" value={filters.unitId} />}
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <label className="text-xs text-slate-600">
        学段
        <select name="stage" defaultValue={filters.level ?? filters.stage ?? ''} className="input mt-1" data-testid="stat-stage-select">
          <StageOptions />
        </select>
      </label>
      <label className="col-span-2 text-xs text-slate-600 sm:col-span-1 lg:col-span-2">
        办学类型
        <select name="type" defaultValue={filters.schoolType ?? ''} className="input mt-1">
          <option value="">全部</option>
          {types.map((type) => <option key={type.code} value={type.code}>{type.code} {type.name}</option>)}
        </select>
      </label>
      <label className="text-xs text-slate-600">
        办学性质
        <select name="ownership" defaultValue={filters.ownership ?? ''} className="input mt-1">
          <option value="">全部</option>
          {Object.entries(ownershipNames).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
        </select>
      </label>
      <label className="text-xs text-slate-600">
        数据口径
        <select name="scope" defaultValue={filters.scope} className="input mt-1" data-testid="stat-scope-select">
          <option value="official">正式数据</option>
          <option value="all">含未审核数据</option>
        </select>
      </label>
      <label className="text-xs text-slate-600">
        人员范围
        <select name="staff" defaultValue={filters.staff} className="input mt-1" data-testid="stat-staff-select">
          <option value="serving">在职人员</option>
          <option value="all">含已离开人员</option>
        </select>
      </label>
      <div className="col-span-2 flex gap-2 self-end sm:col-span-1">
        <button type="submit" className="btn-primary flex-1">查询</button>
        <Link href={`${action}?${new URLSearchParams([...new URLSearchParams(statQuery({ scope: 'official', staff: 'serving', unitId: filters.unitId })), ...Object.entries(hidden)])}`} className="btn-secondary">重置</Link>
      </div>
    </form>
  );
}
