import type { FilingState, SubmissionState, TrainingProjectState } from '@/lib/db/schema';
import type { Chain, PartyResolver } from '@/lib/workflow/chain';
import { waitingParty } from '@/lib/workflow/chain';

export type { FilingState, SubmissionState, TrainingProjectState };

/**
 * The step tables of 培训学分管理 (seed 七(三)). Client-safe: the services, the buttons and the inbox
 * read them.
 */

// --- A school's 校本研修 project waits for its competent authority -------------------------------

export type ProjectParty = 'ownerSchool' | 'ownerAuthority';
export type ProjectAction = 'approve' | 'reject' | 'withdraw';
export interface ProjectSubject {
  ownerUnitId: number;
  /** The owner's competent authority (a school's parent). */
  ownerParentId: number | null;
}

export const projectChain: Chain<TrainingProjectState, ProjectParty, ProjectAction, ProjectSubject> = {
  pending: {
    label: '待主管部门审核',
    party: 'ownerAuthority',
    actions: {
      approve: { label: '同意登记', to: 'registered' },
      reject: { label: '不同意', to: 'rejected', requiresReason: true },
      withdraw: { label: '撤回', to: 'cancelled', party: 'ownerSchool' },
    },
  },
};

export const projectPartyLabels: Record<ProjectParty, string> = { ownerSchool: '申报学校', ownerAuthority: '学校的主管教育行政部门' };

export const projectParties: PartyResolver<ProjectParty, ProjectSubject> = (subject, party) =>
  party === 'ownerSchool' ? { unitId: subject.ownerUnitId, kind: 'school', permission: 'training.manage' } : { unitId: subject.ownerParentId, kind: 'authority', permission: 'training.approve' };

// --- An institution's results, reviewed by the confirming authority -----------------------------

export type SubmissionParty = 'confirmer' | 'institution';
export type SubmissionAction = 'confirm' | 'confirmSome' | 'return' | 'resubmit';
export interface SubmissionSubject {
  confirmUnitId: number;
  /** The unit that submitted: the project's institution, or the school that ran its own project. */
  institutionId: number;
  submitterKind: 'institution' | 'school';
}

/** Accounts that may submit results for some project: an institution's, or a school's information manager. */
export function mayBeResultsSubmitter(actor: { role: string; unitKind: string }): boolean {
  return actor.role === 'institution' || (actor.role === 'manager' && actor.unitKind === 'school');
}

/**
 * Who enters and submits a project's results: its institutions; for a school's own project run
 * without an institution (校本研修 it organises itself), the school's information manager.
 */
export function maySubmitResults(actor: { role: string; unitId: number; unitKind: string }, project: { state: string; ownerUnitId: number; institutionIds: number[] }): boolean {
  if (project.state !== 'registered' || !mayBeResultsSubmitter(actor)) return false;
  if (actor.role === 'institution') return project.institutionIds.includes(actor.unitId);
  return actor.role === 'manager' && actor.unitKind === 'school' && project.ownerUnitId === actor.unitId && project.institutionIds.length === 0;
}

export const submissionChain: Chain<SubmissionState, SubmissionParty, SubmissionAction, SubmissionSubject> = {
  submitted: {
    label: '待确认学分',
    party: 'confirmer',
    actions: {
      confirm: { label: '全部确认', to: 'confirmed' },
      // The chosen ones are confirmed; the rest go back to the institution with the reason.
      confirmSome: { label: '确认所选，其余退回', to: 'returned', requiresReason: true },
      return: { label: '全部退回', to: 'returned', requiresReason: true },
    },
  },
  returned: {
    label: '退回培训机构修改',
    party: 'institution',
    actions: { resubmit: { label: '重新提交', to: 'submitted' } },
  },
};

export const submissionPartyLabels: Record<SubmissionParty, string> = { confirmer: '确认学分的教育行政部门', institution: '培训机构（或自行组织的学校）' };

export const submissionParties: PartyResolver<SubmissionParty, SubmissionSubject> = (subject, party) =>
  party === 'confirmer'
    ? { unitId: subject.confirmUnitId, kind: 'authority', permission: 'training.confirm' }
    : subject.submitterKind === 'school'
      ? { unitId: subject.institutionId, kind: 'school', permission: 'training.manage' }
      : { unitId: subject.institutionId, kind: 'institution', permission: 'training.results' };

export function submissionWaitingUnitOf(subject: SubmissionSubject, state: SubmissionState): number | null {
  const party = waitingParty(submissionChain, state);
  return party ? submissionParties(subject, party)!.unitId : null;
}

// --- 校本研修 and 自主研修 filed by a teacher: the school head, then the competent authority ---------

export type FilingParty = 'schoolHead' | 'authority' | 'filer';
export type FilingAction = 'approve' | 'reject' | 'withdraw';
export interface FilingSubject {
  schoolId: number;
  authorityId: number | null;
  /** The filer's account: the teacher, or the school's manager. */
  filedBy: number;
}

export const filingChain: Chain<FilingState, FilingParty, FilingAction, FilingSubject> = {
  pending_school: {
    label: '待学校审核',
    party: 'schoolHead',
    actions: {
      approve: { label: '学校审核通过', to: 'pending_authority' },
      reject: { label: '不通过', to: 'rejected', requiresReason: true },
      withdraw: { label: '撤回', to: 'withdrawn', party: 'filer' },
    },
  },
  pending_authority: {
    label: '待主管部门审核',
    party: 'authority',
    actions: {
      approve: { label: '确认学时学分', to: 'confirmed' },
      reject: { label: '不通过', to: 'rejected', requiresReason: true },
    },
  },
};

export const filingPartyLabels: Record<FilingParty, string> = { schoolHead: '学校（校长或受托审核的信息管理员）', authority: '学校的主管教育行政部门', filer: '申报人' };

export const filingParties: PartyResolver<FilingParty, FilingSubject> = (subject, party) =>
  party === 'schoolHead'
    ? { unitId: subject.schoolId, kind: 'school', permission: 'record.submit' }
    : party === 'authority'
      ? { unitId: subject.authorityId, kind: 'authority', permission: 'training.approve' }
      : { unitId: subject.schoolId, kind: 'school', permission: 'training.file', accountId: subject.filedBy };

export function filingWaitingUnitOf(subject: FilingSubject, state: FilingState): number | null {
  const party = waitingParty(filingChain, state);
  return party ? filingParties(subject, party)!.unitId : null;
}
