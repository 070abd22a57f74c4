'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { CodeSelect } from '@/components/forms/code-select';
import { Field, FormAlert } from '@/components/forms/field';
import { FlexibleRetirement } from '@/components/mobility/flexible-retirement';
import { recordStatusChangeAction } from '@/lib/mobility/actions';
import { statusChangeStateNames } from '@/lib/mobility/chain';
import { personnelStatusItems, rotatingOutStatus, statusGroupOf } from '@/lib/mobility/status';
import type { StatusPanel as StatusPanelView } from '@/lib/mobility/queries';
import { firstMessages } from '@/components/forms/field-errors';

/**
 * 在职情况: the current 人员状态, the retirement month, what waits, the history, and for the school's
 * information manager the form to record a change (a departure waits for the competent authority).
 */
export function StatusPanel({ teacherId, panel, today }: { teacherId: number; panel: StatusPanelView; today: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const initial = { toStatus: '', effectiveDate: today, reason: '', documentNumber: '' };
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  // 205 交流轮岗 is set by the rotation flow, never by hand.
  const options = personnelStatusItems.filter((item) => item.code !== panel.statusCode && item.code !== rotatingOutStatus);
  const leaving = statusGroupOf(values.toStatus) === 'left' && values.toStatus !== '303';
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const describedBy = (key: string) => (errors[key] ? `status-${key}-error` : undefined);

  const submit = () =>
    startTransition(async () => {
      setErrors({});
      setMessage(null);
      const result = await recordStatusChangeAction({ teacherId, ...values });
      if (!result.ok) {
        setErrors(firstMessages(result.fieldErrors));
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setOpen(false);
      setValues(initial);
      setMessage({ tone: 'success', text: result.data.state === 'pending' ? '已提交，待主管教育行政部门确认' : '已生效' });
      router.refresh();
    });

  return (
    <section className="card space-y-3 p-4" data-testid="status-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold text-slate-900">在职情况</h2>
        {panel.mayRecord && !open && (
          <div className="flex flex-wrap gap-2">
            {panel.mayFileRotation && (
              <Link href={`/rotations/new?teacher=${teacherId}`} className="btn-secondary" data-testid="rotation-file-from-record">
                派出交流轮岗
              </Link>
            )}
            <button type="button" className="btn-secondary" onClick={() => setOpen(true)} data-testid="status-open">
              在职情况变动
            </button>
          </div>
        )}
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-slate-500">人员状态</dt>
          <dd data-testid="status-current">
            {panel.statusName}
            {!panel.serving && <span className="ml-1 rounded bg-slate-200 px-1.5 text-xs text-slate-700">已离开</span>}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">退休时间（2025 年起渐进式延迟法定退休年龄）</dt>
          <dd data-testid="status-retirement">
            {panel.retirementMonth ?? '—'}
            {panel.flexibleRetirement && <span className="ml-1 text-xs text-slate-600">（弹性；法定 {panel.statutoryRetirementMonth}）</span>}
          </dd>
        </div>
      </dl>
      {panel.rotation && (
        <p className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="status-rotation">
          交流轮岗（{panel.rotation.stateName}）：到“{panel.rotation.hostSchoolName}”，{panel.rotation.startMonth} 至 {panel.rotation.plannedEndMonth}。{' '}
          <Link href={`/rotations/${panel.rotation.id}`} className="text-brand-700 underline">
            查看交流轮岗
          </Link>
        </p>
      )}
      {panel.mayRecord && !open && <FlexibleRetirement teacherId={teacherId} statutoryMonth={panel.statutoryRetirementMonth} currentMonth={panel.retirementMonth} flexible={panel.flexibleRetirement} />}
      {panel.pending && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="status-pending">
          {panel.pending.filedByName} 已申请变动为“{panel.pending.toName}”（{panel.pending.effectiveDate} 起）：{panel.pending.reason}，待主管教育行政部门确认。
        </p>
      )}
      {message && <FormAlert message={message.text} tone={message.tone} />}
      {open && (
        <form
          className="space-y-3 rounded-md border border-slate-200 p-3"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="status-toStatus" label="新的人员状态 *" error={errors.toStatus}>
              <CodeSelect id="status-toStatus" options={options} value={values.toStatus} onChange={set('toStatus')} invalid={!!errors.toStatus} describedBy={describedBy('toStatus')} />
            </Field>
            <Field id="status-effectiveDate" label="生效日期 *" error={errors.effectiveDate}>
              <input id="status-effectiveDate" type="date" className="input" max={today} value={values.effectiveDate} onChange={(e) => set('effectiveDate')(e.target.value)} aria-invalid={!!errors.effectiveDate || undefined} aria-describedby={describedBy('effectiveDate')} />
            </Field>
            <Field id="status-documentNumber" label="文号" error={errors.documentNumber}>
              <input id="status-documentNumber" className="input" value={values.documentNumber} onChange={(e) => set('documentNumber')(e.target.value)} aria-invalid={!!errors.documentNumber || undefined} aria-describedby={describedBy('documentNumber')} />
            </Field>
          </div>
          <Field id="status-reason" label="变动原因 *" error={errors.reason}>
            <textarea id="status-reason" className="input min-h-20" maxLength={500} value={values.reason} onChange={(e) => set('reason')(e.target.value)} aria-invalid={!!errors.reason || undefined} aria-describedby={describedBy('reason')} />
          </Field>
          <p className="text-xs text-slate-500">{leaving ? '离开本单位（3 开头的状态）须经主管教育行政部门确认后生效，生效后该教师的账号将关闭。' : '暂未在岗（2 开头）和返岗立即生效，生成新的版本，主管部门可见。'}</p>
          <div className="flex gap-2">
            <button type="submit" className="btn-primary" disabled={pending} data-testid="status-submit">
              {pending ? '正在提交…' : leaving ? '提交主管部门确认' : '确认变动'}
            </button>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => {
                setOpen(false);
                setValues(initial);
                setErrors({});
                setMessage(null);
              }}
            >
              取消
            </button>
          </div>
        </form>
      )}
      {panel.history.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-xs text-brand-700">变动记录（{panel.history.length}）</summary>
          <ul className="mt-2 space-y-1" data-testid="status-history">
            {panel.history.map((item) => (
              <li key={item.id} className="text-slate-700">
                {item.effectiveDate}：{item.fromName} → {item.toName}（{statusChangeStateNames[item.state as keyof typeof statusChangeStateNames]}）{item.documentNumber ? ` · ${item.documentNumber}` : ''} · {item.reason}
                {item.decisionComment ? ` · 意见：${item.decisionComment}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
