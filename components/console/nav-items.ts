import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';

export interface NavItem {
  href: string;
  label: string;
}

/** The console's navigation depends on the actor's role and tier. */
export function navItemsFor(actor: Actor): NavItem[] {
  const items: NavItem[] = [{ href: '/dashboard', label: '工作台' }];
  if (can(actor, 'unit.browse')) items.push({ href: `/units/${actor.unitId}`, label: actor.unitKind === 'school' ? '本校信息' : '单位浏览' });
  if (can(actor, 'teacher.list')) items.push({ href: '/teachers', label: '教师信息' });
  if (can(actor, 'teacher.import')) items.push({ href: '/teachers/import', label: '教师信息导入' });
  if (can(actor, 'indicator.configure')) items.push({ href: '/indicators', label: '指标体系设置' });
  if (can(actor, 'account.manage')) items.push({ href: '/accounts', label: '账号管理' });
  if (can(actor, 'credential.issue')) items.push({ href: '/accounts/credentials', label: '下级账号分发' });
  if (can(actor, 'account.addUniversityManager')) items.push({ href: '/accounts/university-managers', label: '高校信息管理员' });
  if (can(actor, 'school.import')) items.push({ href: '/schools/import', label: '学校名单导入' });
  if (can(actor, 'audit.read')) items.push({ href: '/audit', label: '审计日志' });
  return items;
}
