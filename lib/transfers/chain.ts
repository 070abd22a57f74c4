import type { TransferKind, TransferState } from '@/lib/db/schema';

export type { TransferKind, TransferState };
import type { Chain, PartyResolver } from '@/lib/workflow/chain';
import { waitingParty } from '@/lib/workflow/chain';

/**
 * 教师调动 as a step table (seed 七(一)1): "由调入校发起申请,经主管教育行政部门确认后发出,由调出学校及其
 * 主管教育行政部门确认后,调入学校进行调档,完成调动。" Across provinces each province's authority
 * confirms as well: the receiving province after the receiving authority sends, the sending province
 * after the sending authority confirms. Client-safe: the service, the buttons and the inbox read it.
 */
export type TransferParty = 'receivingSchool' | 'receivingAuthority' | 'receivingProvince' | 'sendingSchool' | 'sendingAuthority' | 'sendingProvince';
export type TransferAction = 'confirm' | 'agree' | 'reject' | 'withdraw' | 'receive';

/** What the chain needs to know of a transfer to find its parties and its next state. */
export interface TransferSubject {
  kind: TransferKind;
  crossProvince: boolean;
  sendingSchoolId: number;
  sendingAuthorityId: number | null;
  sendingProvinceId: number | null;
  receivingSchoolId: number;
  receivingAuthorityId: number | null;
  receivingProvinceId: number | null;
}

/** A province confirms only across provinces, and only when it is not already the competent authority itself. */
function provinceRelays(subject: TransferSubject, side: 'receiving' | 'sending'): boolean {
  const province = side === 'receiving' ? subject.receivingProvinceId : subject.sendingProvinceId;
  const authority = side === 'receiving' ? subject.receivingAuthorityId : subject.sendingAuthorityId;
  return subject.crossProvince && province !== null && province !== authority;
}

const reject = { label: '不同意', to: 'rejected', requiresReason: true } as const;

export const transferChain: Chain<TransferState, TransferParty, TransferAction, TransferSubject> = {
  filed: {
    label: '待调入校主管部门确认',
    party: 'receivingAuthority',
    actions: {
      // 重新入职 has no sending side to ask (the teacher left it): the receiving school takes the file next.
      confirm: { label: '确认并发出', to: (s) => (s.kind === 'rehire' ? 'awaiting_file' : provinceRelays(s, 'receiving') ? 'receiving_province' : 'sent') },
      reject,
      withdraw: { label: '撤回申请', to: 'withdrawn', party: 'receivingSchool' },
    },
  },
  receiving_province: { label: '待调入省确认', party: 'receivingProvince', actions: { confirm: { label: '确认', to: 'sent' }, reject } },
  sent: { label: '待调出校同意', party: 'sendingSchool', actions: { agree: { label: '同意调出', to: 'sending_agreed' }, reject } },
  sending_agreed: {
    label: '待调出校主管部门确认',
    party: 'sendingAuthority',
    actions: { confirm: { label: '确认调出', to: (s) => (provinceRelays(s, 'sending') ? 'sending_province' : 'awaiting_file') }, reject },
  },
  sending_province: { label: '待调出省确认', party: 'sendingProvince', actions: { confirm: { label: '确认', to: 'awaiting_file' }, reject } },
  // The receiving school may still give up (the teacher does not come): the record must not stay locked.
  awaiting_file: { label: '待调入校调档', party: 'receivingSchool', actions: { receive: { label: '调档并完成调动', to: 'completed' }, withdraw: { label: '撤回申请', to: 'withdrawn', requiresReason: true } } },
};

export const transferPartyLabels: Record<TransferParty, string> = {
  receivingSchool: '调入学校',
  receivingAuthority: '调入学校的主管教育行政部门',
  receivingProvince: '调入省教育行政部门',
  sendingSchool: '调出学校',
  sendingAuthority: '调出学校的主管教育行政部门',
  sendingProvince: '调出省教育行政部门',
};

/** Every step is taken by the information manager of the party's unit. */
export const transferParties: PartyResolver<TransferParty, TransferSubject> = (subject, party) => {
  switch (party) {
    case 'receivingSchool':
      return { unitId: subject.receivingSchoolId, kind: 'school', permission: 'transfer.act' };
    case 'sendingSchool':
      return { unitId: subject.sendingSchoolId, kind: 'school', permission: 'transfer.act' };
    case 'receivingAuthority':
      return { unitId: subject.receivingAuthorityId, kind: 'authority', permission: 'transfer.act' };
    case 'sendingAuthority':
      return { unitId: subject.sendingAuthorityId, kind: 'authority', permission: 'transfer.act' };
    case 'receivingProvince':
      return { unitId: subject.receivingProvinceId, kind: 'authority', permission: 'transfer.act' };
    case 'sendingProvince':
      return { unitId: subject.sendingProvinceId, kind: 'authority', permission: 'transfer.act' };
  }
};

/** The unit whose turn it is in a state (null once closed): kept on the row for the inbox. */
export function waitingUnitOf(subject: TransferSubject, state: TransferState): number | null {
  const party = waitingParty(transferChain, state);
  return party ? (transferParties(subject, party)?.unitId ?? null) : null;
}

export const openTransferStates: TransferState[] = ['filed', 'receiving_province', 'sent', 'sending_agreed', 'sending_province', 'awaiting_file'];

/** An open state is named for what its step waits for (the chain's label); closed ones for how they ended. */
export const transferStateNames = {
  ...Object.fromEntries(openTransferStates.map((state) => [state, transferChain[state]!.label])),
  completed: '已完成',
  rejected: '未通过',
  withdrawn: '已撤回',
} as Record<TransferState, string>;

export const transferKindNames: Record<TransferKind, string> = { transfer: '调动', rotation: '交流轮岗（变更人事关系）', rehire: '重新入职' };

/** The open states this transfer passes through, in order (the progress bar and the approval form). */
export function routeOf(subject: TransferSubject): TransferState[] {
  if (subject.kind === 'rehire') return ['filed', 'awaiting_file'];
  return openTransferStates.filter((state) => (state === 'receiving_province' ? provinceRelays(subject, 'receiving') : state === 'sending_province' ? provinceRelays(subject, 'sending') : true));
}

/** A step waiting this many days is overdue, and marked so for the superior too. */
export const overdueDays = 10;
