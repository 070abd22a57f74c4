import Link from 'next/link';
import { describeDiff, describeValues, subsetLabelOf } from '@/lib/collection/describe';
import type { RecordWorkflowView } from '@/lib/collection/queries';
import { formatDateTime } from '@/lib/format';
import { DecisionButtons } from './decision-buttons';
import { DiffTable } from './diff-table';
import { RecordReviewButtons } from './record-review-buttons';

const additionStateNames = { pending_school: '待学校审核', pending_authority: '待主管部门审批', effective: '已生效', returned: '已退回' } as const;
const changeStateNames = { pending_school: '待学校审核', pending: '待主管部门审批', approved: '已批准', rejected: '已驳回' } as const;

/** The record's place in the review chain: return reason, review buttons, and new information or changes in flight. */
export function RecordWorkflow({ teacherId, workflow, historyHref }: { teacherId: number; workflow: RecordWorkflowView; historyHref?: string }) {
  const open = {
    additions: workflow.additions.filter((a) => a.state === 'pending_school' || a.state === 'pending_authority' || a.state === 'returned').slice(0, 10),
    changes: workflow.changeRequests.filter((c) => c.state === 'pending' || c.state === 'pending_school').slice(0, 10),
  };
  const last = workflow.timeline[0];
  return (
    <section className="card space-y-3 p-4" data-testid="record-workflow">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold text-slate-900">审核流程</h2>
        {historyHref && (
          <Link href={historyHref} className="text-sm text-brand-600 hover:underline">
            版本与审核记录 →
          </Link>
        )}
      </div>
      {workflow.recordState === 'draft' && workflow.returnReason && (
        <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="return-reason">
          已被退回{workflow.returnedAt ? `（${formatDateTime(workflow.returnedAt)}）` : ''}：{workflow.returnReason}
        </div>
      )}
      {workflow.openTransfer && (
        <div className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="record-transfer-open">
          正在办理调动（{workflow.openTransfer.state}），调动办结前记录只读。
          <Link href={`/transfers/${workflow.openTransfer.id}`} className="ml-1 underline">
            查看调动
          </Link>
        </div>
      )}
      {workflow.supplements.length > 0 && (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="record-supplements">
          <p className="font-medium">待补充（调入后本省要求、记录中尚缺的信息，请通过新增信息或变更申请补充）：</p>
          <ul className="mt-1 list-disc pl-5">
            {workflow.supplements.slice(0, 20).map((item, i) => (
              <li key={i}>
                {item.subsetLabel}
                {item.fieldLabel ? `·${item.fieldLabel}` : ''}：{item.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="text-sm text-slate-600">
        {workflow.recordState === 'draft' && '草稿：学校填报完整后，由学校负责人审核上报。'}
        {workflow.recordState === 'submitted' && '已报送：等待主管教育行政部门审核，期间不能修改。'}
        {workflow.recordState === 'effective' && `已生效（第 ${workflow.effectiveVersion} 版）：新增信息须审核，修改已有信息须提交变更申请。`}
        {last && <span className="ml-1 text-xs text-slate-500">最近：{last.accountName}（{last.unitName}）{formatDateTime(last.createdAt)}</span>}
      </p>
      {(workflow.may.submit || workflow.may.review) && <RecordReviewButtons teacherId={teacherId} may={workflow.may} />}
      {open.additions.length > 0 && (
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-slate-800">新增信息</h3>
          {open.additions.map((addition) => (
            <div key={addition.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="record-addition">
              <p className="font-medium">
                {subsetLabelOf(workflow.catalogue, addition.subset)}
                <span className={`ml-2 rounded px-1.5 py-0.5 text-xs ${addition.state === 'returned' ? 'bg-red-50 text-red-700' : 'bg-blue-50 text-blue-700'}`}>{additionStateNames[addition.state]}</span>
              </p>
              <p className="mt-1 text-slate-600">{describeValues(workflow.catalogue, addition.subset, addition.values).map((v) => `${v.label}：${v.text}`).join('；')}</p>
              {addition.returnReason && <p className="mt-1 text-red-700">退回原因：{addition.returnReason}</p>}
              <p className="mt-1 text-xs text-slate-500">
                {addition.filedByName} 于 {formatDateTime(addition.filedAt)} 提交
              </p>
              {((addition.state === 'pending_school' && workflow.may.decideSchool) || (addition.state === 'pending_authority' && workflow.may.decideAuthority)) && (
                <div className="mt-2">
                  <DecisionButtons kind="addition" id={addition.id} approveLabel={addition.state === 'pending_school' ? '审核通过，报主管部门' : '审批通过并生效'} returnLabel="退回" />
                </div>
              )}
            </div>
          ))}
        </div>
      )}
      {open.changes.length > 0 && (
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-slate-800">审核中的变更申请</h3>
          {open.changes.map((request) => (
            <div key={request.id} className="space-y-2 rounded-md border border-slate-200 p-3 text-sm" data-testid="record-change">
              <p>
                <span className="rounded bg-blue-50 px-1.5 py-0.5 text-xs text-blue-700">{changeStateNames[request.state]}</span>
                <span className="ml-2">申请原因：{request.reason}</span>
              </p>
              <div className="overflow-x-auto">
                <DiffTable changes={describeDiff(workflow.catalogue, request.diff)} />
              </div>
              <p className="text-xs text-slate-500">
                {request.filedByName} 于 {formatDateTime(request.filedAt)} 提交
              </p>
              {request.state === 'pending' && workflow.may.decideAuthority && <DecisionButtons kind="change" id={request.id} approveLabel="批准变更" returnLabel="驳回" />}
              {request.state === 'pending_school' && workflow.may.decideSchool && <DecisionButtons kind="change" id={request.id} approveLabel="审核通过，报主管部门" returnLabel="退回" />}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
