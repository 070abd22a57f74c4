import type { RotationState } from '@/lib/db/schema';
import type { Chain, PartyResolver } from '@/lib/workflow/chain';
import { waitingParty } from '@/lib/workflow/chain';

export type { RotationState };

/**
 * 交流轮岗 without a change of personnel relation (seed 七(二)) as a step table: the home school
 * (派出学校) files, its competent authority confirms; while the teacher is away the home school
 * records the return, an early end, or asks for an extension, which the same authority decides.
 * Client-safe: the service, the buttons and the inbox read it.
 */
export type RotationParty = 'homeSchool' | 'homeAuthority';
export type RotationAction = 'confirm' | 'reject' | 'withdraw' | 'cancel' | 'return' | 'endEarly' | 'extend';

export interface RotationSubject {
  homeSchoolId: number;
  homeAuthorityId: number | null;
}

export const rotationChain: Chain<RotationState, RotationParty, RotationAction, RotationSubject> = {
  filed: {
    label: '待主管部门确认',
    party: 'homeAuthority',
    actions: {
      confirm: { label: '确认交流', to: 'active' },
      reject: { label: '不同意', to: 'rejected', requiresReason: true },
      withdraw: { label: '撤回申请', to: 'withdrawn', party: 'homeSchool' },
    },
  },
  active: {
    label: '交流中',
    party: 'homeSchool',
    actions: {
      return: { label: '期满返回', to: 'ended' },
      endEarly: { label: '提前结束', to: 'ended', requiresReason: true },
      extend: { label: '申请延期', to: 'extending', requiresReason: true },
      // Confirmed for a month still ahead: called off before it starts (the record's entry goes again).
      cancel: { label: '取消交流（尚未开始）', to: 'withdrawn', requiresReason: true },
    },
  },
  extending: {
    label: '延期待主管部门确认',
    party: 'homeAuthority',
    actions: {
      confirm: { label: '同意延期', to: 'active' },
      reject: { label: '不同意延期', to: 'active', requiresReason: true },
    },
  },
};

export const rotationPartyLabels: Record<RotationParty, string> = { homeSchool: '派出学校', homeAuthority: '派出学校的主管教育行政部门' };

export const rotationParties: PartyResolver<RotationParty, RotationSubject> = (subject, party) =>
  party === 'homeSchool' ? { unitId: subject.homeSchoolId, kind: 'school', permission: 'rotation.act' } : { unitId: subject.homeAuthorityId, kind: 'authority', permission: 'rotation.act' };

export function rotationWaitingUnitOf(subject: RotationSubject, state: RotationState): number | null {
  const party = waitingParty(rotationChain, state);
  // While the teacher is away nothing waits: the reminder 30 days before the end comes from the due date.
  if (state === 'active' || !party) return null;
  return rotationParties(subject, party)?.unitId ?? null;
}

export const openRotationStates: RotationState[] = ['filed', 'active', 'extending'];
/** Under way: the teacher is at the host school. */
export const awayRotationStates: RotationState[] = ['active', 'extending'];

export const rotationStateNames: Record<RotationState, string> = {
  filed: '待主管部门确认',
  active: '交流中',
  extending: '延期待确认',
  ended: '已结束',
  rejected: '未通过',
  withdrawn: '已撤回',
};

export const rotationActionNames: Record<RotationAction | 'file', string> = {
  file: '提交申请',
  confirm: '确认',
  reject: '不同意',
  withdraw: '撤回申请',
  cancel: '取消交流',
  return: '期满返回',
  endEarly: '提前结束',
  extend: '申请延期',
};

/** Both schools are reminded this many days before the planned end. */
export const rotationDueDays = 30;

/** Rotations whose planned end month is this one or earlier are due: reminded, and the return may be recorded. */
export function rotationDueMonth(today: string): string {
  return new Date(Date.parse(today) + rotationDueDays * 86_400_000).toISOString().slice(0, 7);
}

/** Due: away (not waiting for an extension decision) and the planned end within 30 days. */
export function isRotationDue(rotation: { state: RotationState; plannedEndMonth: string }, today: string): boolean {
  return rotation.state === 'active' && rotation.plannedEndMonth <= rotationDueMonth(today);
}
