import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';

export interface NavItem {
  href: string;
  label: string;
  /** A count shown beside the label (waiting work). */
  badge?: number;
}

/** The console's navigation depends on the actor's role and tier; `inboxCount` is the number of waiting items. */
export function navItemsFor(actor: Actor, inboxCount = 0): NavItem[] {
  const items: NavItem[] = [{ href: '/dashboard', label: '工作台' }, { href: '/inbox', label: '待办事项', badge: inboxCount }];
  if (can(actor, 'record.submit')) items.push({ href: '/review/submit', label: '审核上报' });
  if (can(actor, 'record.review')) items.push({ href: '/review/records', label: '记录审核' });
  if (can(actor, 'record.submit') || can(actor, 'record.review')) items.push({ href: '/review/changes', label: '新增与变更审核' });
  if (can(actor, 'progress.view')) items.push({ href: '/progress', label: '采集进度' });
  if (can(actor, 'transfer.view')) items.push({ href: '/transfers', label: '教师调动' });
  if (can(actor, 'rotation.view')) items.push({ href: '/rotations', label: '交流轮岗' });
  if (can(actor, 'rotation.plan')) items.push({ href: '/rotations/plan', label: '交流轮岗计划' });
  if (can(actor, 'training.view') || can(actor, 'training.results')) items.push({ href: '/training', label: actor.role === 'institution' ? '培训项目与考核结果' : '培训学分' });
  if (can(actor, 'training.view')) items.push({ href: '/training/completion', label: '培训完成情况' });
  if (can(actor, 'training.rules')) items.push({ href: '/training/rules', label: '学时学分转化规则' });
  if (can(actor, 'unit.browse')) items.push({ href: `/units/${actor.unitId}`, label: actor.unitKind === 'school' ? '本校信息' : '单位浏览' });
  if (can(actor, 'teacher.list')) items.push({ href: '/teachers', label: '教师信息' }, { href: '/statistics', label: '统计分析' });
  if (can(actor, 'teacher.list')) items.push({ href: '/teachers/retiring', label: '即将退休' });
  if (can(actor, 'teacher.import')) items.push({ href: '/teachers/import', label: '教师信息导入' });
  if (can(actor, 'indicator.configure')) items.push({ href: '/indicators', label: '指标体系设置' });
  if (can(actor, 'account.manage')) items.push({ href: '/accounts', label: '账号管理' });
  if (can(actor, 'credential.issue')) items.push({ href: '/accounts/credentials', label: '下级账号分发' });
  if (can(actor, 'account.addUniversityManager')) items.push({ href: '/accounts/university-managers', label: '高校信息管理员' });
  if (can(actor, 'school.import')) items.push({ href: '/schools/import', label: '学校名单导入' });
  if (can(actor, 'security.configure')) items.push({ href: '/security-policy', label: '密码有效期' });
  if (can(actor, 'audit.read')) items.push({ href: '/audit', label: '审计日志' });
  return items;
}
