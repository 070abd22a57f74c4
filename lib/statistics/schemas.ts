import { codeTables } from '@/lib/indicators/code-tables';
import { isSchoolLevel, schoolTypes, stageNames, type SchoolLevel, type Stage } from '@/lib/reference/school-types';
import { parseId } from '@/lib/http/params';

/** Client-safe: the dashboard's filters as they travel in the URL, and the names of its buckets. */
export interface StatFilters {
  unitId?: number;
  stage?: Stage;
  /** Within 中小学校: 小学, 初中, 高中 or one of the spanning school types (it travels as `stage`). */
  level?: SchoolLevel;
  schoolType?: string;
  ownership?: 'public' | 'private';
  /** Official figures count effective records only; `all` adds drafts and reported records. */
  scope: 'official' | 'all';
  /** Serving staff (人员状态 not 3xx) unless `all` is asked for, which adds those who left. */
  staff: 'serving' | 'all';
}

export function parseStatFilters(params: Record<string, string | undefined>): StatFilters {
  const level = isSchoolLevel(params.stage) ? params.stage : undefined;
  const stage = level ? 'primary_secondary' : params.stage && params.stage in stageNames ? (params.stage as Stage) : undefined;
  const schoolType = params.type && schoolTypes.has(params.type) ? params.type : undefined;
  return {
    unitId: parseId(params.unit) ?? undefined,
    stage: schoolType ? (schoolTypes.get(schoolType)!.stage as Stage) : stage,
    level: schoolType ? undefined : level,
    schoolType,
    ownership: params.ownership === 'public' || params.ownership === 'private' ? params.ownership : undefined,
    scope: params.scope === 'all' ? 'all' : 'official',
    staff: params.staff === 'all' ? 'all' : 'serving',
  };
}

/** The URL query of a filter set (the unit can be overridden, for drill-down links). */
export function statQuery(filters: StatFilters, overrides: Partial<StatFilters> = {}): string {
  const f = { ...filters, ...overrides };
  const entries: [string, string][] = [];
  if (f.unitId) entries.push(['unit', String(f.unitId)]);
  if (f.stage && !f.schoolType) entries.push(['stage', f.level ?? f.stage]);
  if (f.schoolType) entries.push(['type', f.schoolType]);
  if (f.ownership) entries.push(['ownership', f.ownership]);
  if (f.scope === 'all') entries.push(['scope', 'all']);
  if (f.staff === 'all') entries.push(['staff', 'all']);
  return new URLSearchParams(entries).toString();
}

export const ownershipNames = { public: '公办', private: '民办' } as const;

/** Five-year age bands; age is counted by birth year (统计年度 − 出生年份). */
export const ageBands = ['25岁以下', '25-29岁', '30-34岁', '35-39岁', '40-44岁', '45-49岁', '50-54岁', '55-59岁', '60岁及以上'] as const;

export function ageBandOf(age: number): (typeof ageBands)[number] {
  if (age < 25) return ageBands[0];
  if (age >= 60) return ageBands[8];
  return ageBands[Math.floor((age - 25) / 5) + 1];
}

export const titleLevelNames: Record<string, string> = { ...Object.fromEntries(codeTables.teacherTitle.map((item) => [item.code, item.name])), '': '无专业技术职务' };
export const educationNames: Record<string, string> = { ...Object.fromEntries(codeTables.educationLevel.map((item) => [item.code, item.name])), '': '未填写' };
export const personnelStatusNames: Record<string, string> = { ...Object.fromEntries(codeTables.personnelStatus.map((item) => [item.code, item.name])), '': '未填写' };
export const genderNames: Record<string, string> = { '1': '男', '2': '女' };
export const ethnicNames: Record<string, string> = { han: '汉族', minority: '少数民族', '': '未填写' };
export const establishmentNames: Record<string, string> = { '1': '在编', '0': '非在编（合同制）' };
