'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Field, FormAlert } from '@/components/forms/field';
import { setFlexibleRetirementAction } from '@/lib/mobility/actions';
import { firstMessages } from '@/components/forms/field-errors';

/** 弹性退休: the school records an earlier or later month by agreement (within 3 years), or goes back to the statutory one. */
export function FlexibleRetirement({ teacherId, statutoryMonth, currentMonth, flexible }: { teacherId: number; statutoryMonth: string; currentMonth: string | null; flexible: boolean }) {
  const router = useRouter();
  const initial = { month: currentMonth ?? statutoryMonth, reason: '', documentNumber: '' };
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const save = (month: string) =>
    startTransition(async () => {
      setErrors({});
      setMessage(null);
      const result = await setFlexibleRetirementAction({ teacherId, month, reason: values.reason, documentNumber: values.documentNumber });
      if (!result.ok) {
        setErrors(firstMessages(result.fieldErrors));
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setOpen(false);
      setMessage({ tone: 'success', text: `退休时间已改为 ${result.data.retirementMonth}` });
      router.refresh();
    });
  const describedBy = (key: string) => (errors[key] ? `flex-${key}-error` : undefined);
  if (!open)
    return (
      <div className="space-y-2">
        {message && <FormAlert message={message.text} tone={message.tone} />}
        <button
          type="button"
          className="text-sm text-brand-700 underline"
          onClick={() => {
            setValues(initial);
            setOpen(true);
          }}
          data-testid="flexible-open"
        >
          {flexible ? '修改弹性退休时间' : '设置弹性退休（提前或延迟）'}
        </button>
      </div>
    );
  return (
    <form className="space-y-3 rounded-md border border-slate-200 p-3" noValidate onSubmit={(event) => { event.preventDefault(); save(values.month); }} data-testid="flexible-form">
      <p className="text-xs text-slate-600">法定退休时间 {statutoryMonth}。经本人申请、单位同意，可在法定时间前后 3 年内弹性提前（不早于原退休年龄）或延迟退休。</p>
      {message && <FormAlert message={message.text} tone={message.tone} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="flex-month" label="弹性退休年月 *" error={errors.month}>
          <input id="flex-month" type="month" lang="zh-CN" className="input" value={values.month} onChange={(e) => setValues({ ...values, month: e.target.value })} aria-invalid={!!errors.month || undefined} aria-describedby={describedBy('month')} />
        </Field>
        <Field id="flex-documentNumber" label="文号" error={errors.documentNumber}>
          <input id="flex-documentNumber" className="input" value={values.documentNumber} onChange={(e) => setValues({ ...values, documentNumber: e.target.value })} aria-invalid={!!errors.documentNumber || undefined} aria-describedby={describedBy('documentNumber')} />
        </Field>
      </div>
      <Field id="flex-reason" label="依据 *" error={errors.reason}>
        <textarea id="flex-reason" className="input min-h-16" maxLength={500} value={values.reason} onChange={(e) => setValues({ ...values, reason: e.target.value })} aria-invalid={!!errors.reason || undefined} aria-describedby={describedBy('reason')} />
      </Field>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={pending} data-testid="flexible-save">
          {pending ? '正在保存…' : '保存'}
        </button>
        {flexible && (
          <button type="button" className="btn-secondary" disabled={pending} onClick={() => save('')}>
            恢复法定退休时间
          </button>
        )}
        <button type="button" className="btn-secondary" onClick={() => { setOpen(false); setErrors({}); setMessage(null); }}>
          取消
        </button>
      </div>
    </form>
  );
}
