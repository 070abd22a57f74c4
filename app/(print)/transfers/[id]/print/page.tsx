import type { Metadata } from 'next';
import Link from 'next/link';
import { PrintButton } from '@/components/ui/print-button';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/page-guard';
import { transferChain, transferKindNames, transferStateNames } from '@/lib/transfers/chain';
import { getTransfer } from '@/lib/transfers/queries';

export const metadata: Metadata = { title: '教师调动审批表' };

const decisionNames: Record<string, string> = { file: '申请', confirm: '同意', agree: '同意调出', reject: '不同意', withdraw: '撤回', receive: '已调档' };

/** 教师调动审批表: the transfer and every decision on it, who and when, as the archive keeps it. */
export default async function TransferPrintPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('transfer.view');
  const transfer = await loadOrNotFound(actor, 'transfer.print', (await params).id, (id) => getTransfer(actor, id));
  const cell = 'border border-slate-400 px-2 py-1.5 align-top';
  const head = `${cell} w-32 bg-slate-50 font-medium`;
  return (
    <article className="space-y-4 text-sm text-slate-900" data-testid="transfer-approval-form">
      <div className="flex items-center justify-between print:hidden">
        <Link href={`/transfers/${transfer.id}`} className="text-brand-700 hover:underline">
          返回调动详情
        </Link>
        <PrintButton />
      </div>
      <h1 className="text-center text-xl font-bold tracking-widest">教师调动审批表</h1>
      <p className="text-right text-xs text-slate-600">
        编号：DD{String(transfer.id).padStart(8, '0')} · 状态：{transferStateNames[transfer.state]} · 打印：{formatDateTime(new Date())}（{actor.unitName}）
      </p>
      <table className="w-full border-collapse">
        <tbody>
          <tr>
            <th scope="row" className={head}>姓名</th>
            <td className={cell}>{transfer.teacherName}</td>
            <th scope="row" className={head}>性别</th>
            <td className={cell}>{transfer.teacherGender}</td>
          </tr>
          <tr>
            <th scope="row" className={head}>证件号码</th>
            <td className={cell}>{transfer.teacherIdMasked}</td>
            <th scope="row" className={head}>类型</th>
            <td className={cell}>{transferKindNames[transfer.kind]}</td>
          </tr>
          <tr>
            <th scope="row" className={head}>调出学校</th>
            <td className={cell}>{transfer.sendingSchoolName}</td>
            <th scope="row" className={head}>调入学校</th>
            <td className={cell}>{transfer.receivingSchoolName}</td>
          </tr>
          <tr>
            <th scope="row" className={head}>拟任岗位</th>
            <td className={cell}>{[transfer.postCategoryName, transfer.postTitle].filter(Boolean).join(' · ')}</td>
            <th scope="row" className={head}>拟到岗年月</th>
            <td className={cell}>{transfer.plannedArrivalMonth}</td>
          </tr>
          <tr>
            <th scope="row" className={head}>离校年月</th>
            <td className={cell}>{transfer.leavingMonth ?? ''}</td>
            <th scope="row" className={head}>到岗年月</th>
            <td className={cell}>{transfer.arrivalMonth ?? ''}</td>
          </tr>
          <tr>
            <th scope="row" className={head}>调动原因</th>
            <td className={`${cell} whitespace-pre-wrap`} colSpan={3}>
              {transfer.reason}
            </td>
          </tr>
        </tbody>
      </table>
      <h2 className="font-semibold">审批意见</h2>
      <table className="w-full border-collapse" data-testid="transfer-approval-decisions">
        <thead>
          <tr className="bg-slate-50 text-left">
            <th scope="col" className={cell}>环节</th>
            <th scope="col" className={cell}>单位</th>
            <th scope="col" className={cell}>意见</th>
            <th scope="col" className={cell}>经办人</th>
            <th scope="col" className={cell}>时间</th>
          </tr>
        </thead>
        <tbody>
          {transfer.events.map((event) => (
            <tr key={event.id}>
              <td className={cell}>{event.fromState ? (transferChain[event.fromState as keyof typeof transferChain]?.label.replace(/^待/, '') ?? event.fromState) : '调入校申请'}</td>
              <td className={cell}>{event.unitName}</td>
              <td className={`${cell} whitespace-pre-wrap`}>
                {decisionNames[event.action] ?? event.action}
                {event.reason && event.action !== 'file' ? `：${event.reason}` : ''}
                {event.detail?.leavingMonth ? `（离校年月 ${event.detail.leavingMonth}）` : ''}
                {event.detail?.arrivalMonth ? `（到岗年月 ${event.detail.arrivalMonth}）` : ''}
              </td>
              <td className={cell}>{event.accountName}</td>
              <td className={`${cell} whitespace-nowrap`}>{formatDateTime(event.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">本表由师管系统根据办理记录生成，每条意见均留有审计记录。</p>
    </article>
  );
}
