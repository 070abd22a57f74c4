import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { formatDateTime } from '@/lib/format';
import { requireActor } from '@/lib/auth/session';
import { signOutAction } from '@/lib/auth/sign-out-action';
import { getOwnUnitTrail } from '@/lib/units/queries';
import { TeacherRecord } from '@/components/teachers/teacher-record';
import { getOwnTeacherId, getTeacherRecord } from '@/lib/teachers/queries';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { getInbox } from '@/lib/inbox/queries';
import { InboxList } from '@/components/collection/inbox-list';
import { SigninWarning } from '@/components/console/signin-warning';
import { RecordWorkflow } from '@/components/collection/record-workflow';
import { OwnTransfers } from '@/components/transfers/own-transfers';
import { listOwnTransfers } from '@/lib/transfers/queries';
import { OwnRotations } from '@/components/rotations/own-rotations';
import { listOwnRotations } from '@/lib/rotations/queries';
import { CreditLedger } from '@/components/training/credit-ledger';
import { getOwnLedger } from '@/lib/training/ledger/queries';
import { FilingForm } from '@/components/training/filing-form';
import { FilingList } from '@/components/training/filing-list';
import { listFilings } from '@/lib/training/filings/queries';

export const metadata: Metadata = { title: '我的账号' };

/** The teacher's own page, mobile first: the account, then the whole record with the self-fillable fields open. */
export default async function TeacherHome() {
  const actor = await requireActor();
  if (actor.role !== 'teacher') redirect('/dashboard');
  const [trail, teacherId, transfers, rotations, ledger, filings] = await Promise.all([getOwnUnitTrail(actor), getOwnTeacherId(actor), listOwnTransfers(actor), listOwnRotations(actor), getOwnLedger(actor), listFilings(actor, { view: 'all' })]);
  const [view, workflow, inbox] = teacherId ? await Promise.all([getTeacherRecord(actor, teacherId), getRecordWorkflow(actor, teacherId), getInbox(actor)]) : [null, null, []];
  return (
    <main className="mx-auto max-w-3xl px-3 py-4 sm:px-4">
      <header className="mb-4 flex items-center justify-between">
        <p className="text-lg font-bold text-brand-700">师管</p>
        <form action={signOutAction} data-testid="sign-out-form">
          <button type="submit" className="text-sm text-slate-600 underline">退出</button>
        </form>
      </header>
      {actor.signinWarning && <SigninWarning count={actor.signinWarning.count} lastAt={actor.signinWarning.lastAt ? formatDateTime(actor.signinWarning.lastAt) : null} lastIp={actor.signinWarning.lastIp} />}
      <section className="card p-4">
        <h1 className="text-lg font-semibold">{actor.displayName}</h1>
        <p className="mt-1 text-sm text-slate-600">{actor.unitName}</p>
        {actor.isDemo && <span className="mt-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">演示账号</span>}
        <dl className="mt-4 space-y-3 text-sm">
          <div>
            <dt className="text-xs text-slate-500">登录账号（身份证件号码）</dt>
            <dd className="font-mono" data-testid="teacher-username">{view?.idNumberMasked ?? ''}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">所在单位</dt>
            <dd>{trail.slice(1).join(' / ')}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">本次登录时间</dt>
            <dd>{formatDateTime(new Date())}</dd>
          </div>
        </dl>
      </section>
      <Link href="/change-password" className="btn-secondary mt-3 w-full py-2.5">修改密码</Link>
      {ledger && (
        <div className="mt-4 space-y-3">
          <CreditLedger ledger={ledger} />
          {filings.rows.length > 0 && <FilingList rows={filings.rows} showTeacher={false} />}
          <details className="card p-0" data-testid="filing-details">
            <summary className="cursor-pointer px-4 py-3 text-sm font-medium text-brand-700">申报校本研修、自主研修学时</summary>
            <FilingForm heading={false} />
          </details>
        </div>
      )}
      {rotations.length > 0 && <OwnRotations rotations={rotations} />}
      {transfers.length > 0 && <OwnTransfers transfers={transfers} />}
      {inbox.length > 0 && (
        <section className="mt-4 space-y-2" aria-label="待办事项">
          <h2 className="font-semibold text-slate-900">待办事项</h2>
          <InboxList groups={inbox} />
        </section>
      )}
      <div className="mt-4 space-y-4">
        {view && workflow ? (
          <>
            <RecordWorkflow teacherId={view.id} workflow={workflow} historyHref="/me/history" />
            <TeacherRecord view={view} audience="teacher" />
          </>
        ) : (
          <p className="card p-4 text-sm text-slate-600">学校尚未为您建立教师信息记录。</p>
        )}
      </div>
    </main>
  );
}
