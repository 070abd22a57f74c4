import { auditorTiers } from '@/lib/auth/policy';

/** Default accounts every unit gets on creation (seed 四(二)): 1 sysadmin, 1 manager, 2 viewers. */
export const defaultAccountSlots = [
  { suffix: 'admin', role: 'sysadmin', label: '系统管理员' },
  { suffix: 'manager', role: 'manager', label: '信息管理员' },
  { suffix: 'query1', role: 'viewer', label: '信息查询员1' },
  { suffix: 'query2', role: 'viewer', label: '信息查询员2' },
] as const;

/** Training institutions only submit training results: one account of their own role. */
export const institutionAccountSlots = [{ suffix: 'submit', role: 'institution', label: '培训结果报送员' }] as const;

/** The ministry and the provinces also get a security auditor, who alone reads their audit log (三员分立). */
export const auditorAccountSlot = { suffix: 'audit', role: 'auditor', label: '安全审计员' } as const;

export function defaultAccountSlotsFor(kind: 'authority' | 'school' | 'institution', tier?: string) {
  if (kind === 'institution') return institutionAccountSlots;
  return tier && auditorTiers.includes(tier) ? [...defaultAccountSlots, auditorAccountSlot] : defaultAccountSlots;
}

export function defaultUsername(unitCode: string, suffix: string): string {
  return `${unitCode}.${suffix}`;
}

/** The ministry's unit code; provinces, cities and counties use their 6-digit division code. */
export const centralUnitCode = '000000';
export const centralUnitName = '中华人民共和国教育部';

export const unitStatusNames = { active: '正常', closed: '已撤销' } as const;
export const ownershipNames = { public: '公办', private: '民办' } as const;
export const unitKindNames = { authority: '教育行政部门', school: '学校', institution: '培训机构' } as const;
