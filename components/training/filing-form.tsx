'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Field, FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { fileTrainingAction } from '@/lib/training/actions';

/** 申报校本研修、自主研修学时: phone first; the evidence is a PDF, JPG or PNG (a photo of the record). */
export function FilingForm({ teachers, heading = true }: { teachers?: { id: number; name: string }[]; heading?: boolean }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const error = (key: string) => errors[key]?.[0];
  const aria = (key: string) => ({ 'aria-invalid': error(key) ? true : undefined, 'aria-describedby': error(key) ? `filing-${key}-error` : undefined });
  return (
    <form
      noValidate
      className="card space-y-3 p-4"
      aria-label={heading ? undefined : '申报校本研修、自主研修学时'}
      aria-labelledby={heading ? 'filing-heading' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        setErrors({});
        setMessage(null);
        startTransition(async () => {
          const result = await uploadWith(fileTrainingAction, data, 'attachment');
          if (!result.ok) {
            setErrors(result.fieldErrors ?? {});
            return setMessage({ tone: 'error', text: result.message });
          }
          form.reset();
          setMessage({ tone: 'success', text: '已提交，待学校审核，之后由主管教育行政部门确认学时学分' });
          router.refresh();
        });
      }}
    >
      {heading && (
        <h2 id="filing-heading" className="font-semibold text-slate-900">
          申报校本研修、自主研修学时
        </h2>
      )}
      {message && <FormAlert tone={message.tone} message={message.text} />}
      <div className="grid gap-3 sm:grid-cols-2">
        {teachers && (
          <Field id="filing-teacherId" label="教师 *" error={error('teacherId')}>
            <select id="filing-teacherId" name="teacherId" className="input" {...aria('teacherId')}>
              <option value="">请选择教师</option>
              {teachers.map((teacher) => (
                <option key={teacher.id} value={teacher.id}>
                  {teacher.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="filing-category" label="研修类别 *" error={error('category')}>
          <select id="filing-category" name="category" className="input" defaultValue="04" {...aria('category')}>
            <option value="04">校本研修</option>
            <option value="05">自主研修</option>
          </select>
        </Field>
        <Field id="filing-title" label="研修内容 *" error={error('title')}>
          <input id="filing-title" name="title" className="input" maxLength={100} placeholder="如：校级公开课观摩与评课" {...aria('title')} />
        </Field>
        <Field id="filing-hours" label="学时 *" error={error('hours')}>
          <input id="filing-hours" name="hours" inputMode="decimal" className="input" {...aria('hours')} />
        </Field>
        <Field id="filing-startDate" label="开始日期 *" error={error('startDate')}>
          <input id="filing-startDate" name="startDate" type="date" lang="zh-CN" className="input" {...aria('startDate')} />
        </Field>
        <Field id="filing-endDate" label="结束日期 *" error={error('endDate')}>
          <input id="filing-endDate" name="endDate" type="date" lang="zh-CN" className="input" {...aria('endDate')} />
        </Field>
        <Field id="filing-attachment" label="证明材料 *" error={error('attachment')} hint="PDF、JPG 或 PNG，不超过 5 MB">
          <input id="filing-attachment" name="attachment" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" {...aria('attachment')} />
        </Field>
      </div>
      <Field id="filing-description" label="说明" error={error('description')}>
        <textarea id="filing-description" name="description" className="input min-h-16" maxLength={500} />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className="btn-primary w-full sm:w-auto" disabled={pending} data-testid="filing-submit">
          {pending ? '正在提交…' : '提交申报'}
        </button>
      </div>
    </form>
  );
}
