'use client';

import { setReviewDelegationAction } from '@/lib/collection/actions';
import { ActionButton } from './action-button';

/** The school sysadmin hands the review-and-report right to the school's information manager, or takes it back. */
export function DelegationSwitch({ granted }: { granted: boolean }) {
  return (
    <div className="card flex flex-col gap-2 p-3 text-sm sm:flex-row sm:items-center sm:justify-between">
      <p className="text-slate-700">
        审核上报权限：{granted ? <strong className="text-green-700">已授权本校信息管理员</strong> : <span>仅学校系统管理员（学校负责人）</span>}
      </p>
      <ActionButton
        action={() => setReviewDelegationAction({ granted: !granted })}
        label={granted ? '收回授权' : '授权信息管理员审核上报'}
        confirm={granted ? '收回后，信息管理员不能再审核上报。确定吗？' : '授权后，本校信息管理员也可以审核并上报教师信息。确定吗？'}
        testId="delegation-toggle"
      />
    </div>
  );
}
