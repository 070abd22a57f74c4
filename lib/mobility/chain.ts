import type { StatusChangeState } from '@/lib/db/schema';
import { competentAuthorityOf } from '@/lib/auth/relations';
import type { Chain, PartyResolver } from '@/lib/workflow/chain';

/** 在职情况变动 as a step table: leaving (3xx) waits for the competent authority. Client-safe. */
export type StatusParty = 'school' | 'competentAuthority';

export interface StatusSubject {
  unitId: number;
  parentId: number | null;
}

export const statusChangeChain: Chain<StatusChangeState, StatusParty, 'approve' | 'return', StatusSubject> = {
  pending: { label: '待主管部门确认', party: 'competentAuthority', actions: { approve: { label: '确认', to: 'effective' }, return: { label: '不同意', to: 'rejected', requiresReason: true } } },
};

export const statusParties: PartyResolver<StatusParty, StatusSubject> = (subject, party) =>
  party === 'school' ? { unitId: subject.unitId, kind: 'school', permission: 'status.record' } : { unitId: competentAuthorityOf(subject), kind: 'authority', permission: 'status.confirm' };

export const statusPartyLabels: Record<StatusParty, string> = { school: '教师所在学校', competentAuthority: '学校的主管教育行政部门' };

export const statusChangeStateNames: Record<StatusChangeState, string> = { pending: '待主管部门确认', effective: '已生效', rejected: '未通过' };
