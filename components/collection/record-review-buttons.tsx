'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { approveRecordsAction, returnRecordsAction, submitRecordsAction } from '@/lib/collection/actions';
import { describeProblem } from '@/lib/teachers/completeness';
import { ReasonDialog } from './reason-dialog';

/** The review step on one record: the school head reports it; the competent authority approves or returns it. */
export function RecordReviewButtons({ teacherId, may }: { teacherId: number; may: { submit: boolean; review: boolean } }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [returning, setReturning] = useState(false);
  const [returnError, setReturnError] = useState<string | null>(null);

  const submit = () =>
    startTransition(async () => {
      setMessage(null);
      setProblems([]);
      const result = await submitRecordsAction({ teacherIds: [teacherId] });
      if (!result.ok) return setMessage({ tone: 'error', text: result.message });
      if (result.data.failed.length) {
        setMessage({ tone: 'error', text: '未通过完整性检测，未上报：' });
        setProblems(result.data.failed[0].problems.map(describeProblem));
        return;
      }
      if (result.data.refused.length) return setMessage({ tone: 'info', text: result.data.refused[0].reason });
      router.refresh();
    });

  const approve = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await approveRecordsAction({ teacherIds: [teacherId] });
      if (!result.ok) return setMessage({ tone: 'error', text: result.message });
      router.refresh();
    });

  const sendBack = (reason: string) =>
    startTransition(async () => {
      setReturnError(null);
      const result = await returnRecordsAction({ teacherIds: [teacherId], reason });
      if (!result.ok) return setReturnError(result.fieldErrors?.reason?.[0] ?? result.message);
      setReturning(false);
      router.refresh();
    });

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {may.submit && (
          <button type="button" className="btn-primary" disabled={pending} onClick={submit} data-testid="record-submit">
            完整性检测并上报
          </button>
        )}
        {may.review && (
          <>
            <button type="button" className="btn-primary" disabled={pending} onClick={approve} data-testid="record-approve">
              审核通过
            </button>
            <button type="button" className="btn-danger" disabled={pending} onClick={() => setReturning(true)} data-testid="record-return">
              退回
            </button>
          </>
        )}
      </div>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      {problems.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-red-700" data-testid="record-problems">
          {problems.map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
      <ReasonDialog open={returning} title="退回该记录" description="退回后记录回到学校草稿状态，学校和教师本人可以看到退回原因。" confirmLabel="确认退回" pending={pending} error={returnError} onConfirm={sendBack} onClose={() => setReturning(false)} />
    </div>
  );
}
