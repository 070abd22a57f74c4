import { competentAuthorityOf } from '@/lib/auth/relations';
import type { Chain, PartyResolver } from '@/lib/workflow/chain';

/**
 * The collection flows as step tables of the workflow kit (seed 六(二), 六(五)). Client-safe: the
 * services, the review pages' buttons and the inbox read the same tables.
 */
export type CollectionParty = 'school' | 'competentAuthority';

/** What the parties of a collection step are found from: the record's school and its parent. */
export interface CollectionSubject {
  unitId: number;
  parentId: number | null;
}

export const collectionPartyLabels: Record<CollectionParty, string> = { school: '教师所在学校', competentAuthority: '学校的主管教育行政部门' };

/** The school's head (or the manager it delegated to) reviews; the competent authority's manager approves. */
export const collectionParties: PartyResolver<CollectionParty, CollectionSubject> = (subject, party) =>
  party === 'school' ? { unitId: subject.unitId, kind: 'school', permission: 'record.submit' } : { unitId: competentAuthorityOf(subject), kind: 'authority', permission: 'record.review' };

export type RecordState = 'draft' | 'submitted' | 'effective';

/** The record itself: reported by the school, approved (version 1) or returned by the competent authority. */
export const recordChain: Chain<RecordState, CollectionParty, 'submit' | 'approve' | 'return', CollectionSubject> = {
  draft: { label: '学校填报', party: 'school', actions: { submit: { label: '报送', to: 'submitted' } } },
  submitted: { label: '待主管部门审核', party: 'competentAuthority', actions: { approve: { label: '审核通过', to: 'effective' }, return: { label: '退回', to: 'draft', requiresReason: true } } },
};

export type AdditionState = 'pending_school' | 'pending_authority' | 'effective' | 'returned';

export const additionChain: Chain<AdditionState, CollectionParty, 'approve' | 'return', CollectionSubject> = {
  pending_school: { label: '待学校审核', party: 'school', actions: { approve: { label: '审核通过', to: 'pending_authority' }, return: { label: '退回', to: 'returned', requiresReason: true } } },
  pending_authority: { label: '待主管部门审批', party: 'competentAuthority', actions: { approve: { label: '审批通过', to: 'effective' }, return: { label: '退回', to: 'returned', requiresReason: true } } },
};

export type ChangeRequestState = 'pending_school' | 'pending' | 'approved' | 'rejected';

/** A teacher's request starts at the school (pending_school); the school's own goes straight to the authority. */
export const changeRequestChain: Chain<ChangeRequestState, CollectionParty, 'approve' | 'return', CollectionSubject> = {
  pending_school: { label: '待学校审核', party: 'school', actions: { approve: { label: '审核通过，报主管部门', to: 'pending' }, return: { label: '退回', to: 'rejected', requiresReason: true } } },
  pending: { label: '待主管部门审批', party: 'competentAuthority', actions: { approve: { label: '批准变更', to: 'approved' }, return: { label: '驳回', to: 'rejected', requiresReason: true } } },
};
