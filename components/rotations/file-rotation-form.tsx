'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { CodeSelect } from '@/components/forms/code-select';
import { Field, FormAlert } from '@/components/forms/field';
import { codeTables } from '@/lib/indicators/code-tables';
import { fileRotationAction } from '@/lib/rotations/actions';
import { fileRotationSchema, type FileRotationInput } from '@/lib/rotations/schemas';
import { showFieldErrors } from '@/components/forms/field-errors';

interface Choices {
  teachers: { id: number; name: string; staffNumber: string | null; joinSchoolDate: string | null }[];
  schools: { id: number; code: string; name: string }[];
}

const otherSchool = 'other';

/** 派出学校申请交流轮岗（人走关系留）: the teacher, the host school (the county's own, or any by its code), type and months. */
export function FileRotationForm({ choices, teacherId }: { choices: Choices; teacherId?: number }) {
  const router = useRouter();
  const form = useForm<FileRotationInput>({
    resolver: zodResolver(fileRotationSchema) as Resolver<FileRotationInput>,
    defaultValues: { teacherId: teacherId ?? 0, hostSchoolId: 0, hostSchoolCode: '', kind: '02', startMonth: '', plannedEndMonth: '', reason: '', documentNumber: '' },
  });
  const [hostChoice, setHostChoice] = useState<string>('');
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = form.formState.errors;
  const describedBy = (name: string, error?: unknown) => (error ? `${name}-error` : undefined);

  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await fileRotationAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        setMessage(result.message);
        return;
      }
      router.push(`/rotations/${result.data.rotationId}`);
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="card max-w-3xl space-y-4 p-4">
      <FormAlert message={message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="teacherId" label="交流教师 *" error={errors.teacherId?.message} hint="本校记录已生效、在岗的教师">
          <select id="teacherId" className="input" aria-invalid={!!errors.teacherId || undefined} aria-describedby={errors.teacherId ? 'teacherId-error' : 'teacherId-hint'} {...form.register('teacherId', { setValueAs: Number })}>
            <option value={0}>请选择教师</option>
            {choices.teachers.map((teacher) => (
              <option key={teacher.id} value={teacher.id}>
                {teacher.name}
                {teacher.staffNumber ? `（${teacher.staffNumber}）` : ''}
                {teacher.joinSchoolDate ? ` · ${teacher.joinSchoolDate} 进本校` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field id="kind" label="交流轮岗类型 *" error={errors.kind?.message}>
          <Controller control={form.control} name="kind" render={({ field }) => <CodeSelect id="kind" options={codeTables.rotationKind} value={field.value} onChange={field.onChange} invalid={!!errors.kind} describedBy={describedBy('kind', errors.kind)} />} />
        </Field>
        <Field id="hostSchoolId" label="接收学校 *" error={errors.hostSchoolId?.message} hint="默认列出本县（区）学校；到其他地区交流请选择“其他学校”并填写学校代码">
          <select
            id="hostSchoolId"
            className="input"
            value={hostChoice}
            aria-invalid={!!errors.hostSchoolId || undefined}
            aria-describedby={errors.hostSchoolId ? 'hostSchoolId-error' : 'hostSchoolId-hint'}
            onChange={(event) => {
              setHostChoice(event.target.value);
              form.setValue('hostSchoolId', event.target.value && event.target.value !== otherSchool ? Number(event.target.value) : 0);
              form.clearErrors('hostSchoolId');
              if (event.target.value !== otherSchool) form.setValue('hostSchoolCode', '');
            }}
          >
            <option value="">请选择接收学校</option>
            {choices.schools.map((school) => (
              <option key={school.id} value={school.id}>
                {school.name}
              </option>
            ))}
            <option value={otherSchool}>其他学校（填写学校代码）</option>
          </select>
        </Field>
        {hostChoice === otherSchool && (
          <Field id="hostSchoolCode" label="接收学校代码 *" error={errors.hostSchoolCode?.message}>
            <input id="hostSchoolCode" className="input font-mono" autoComplete="off" aria-invalid={!!errors.hostSchoolCode || undefined} aria-describedby={describedBy('hostSchoolCode', errors.hostSchoolCode)} {...form.register('hostSchoolCode')} />
          </Field>
        )}
        <Field id="startMonth" label="开始年月 *" error={errors.startMonth?.message}>
          <input id="startMonth" type="month" lang="zh-CN" className="input" aria-invalid={!!errors.startMonth || undefined} aria-describedby={describedBy('startMonth', errors.startMonth)} {...form.register('startMonth')} />
        </Field>
        <Field id="plannedEndMonth" label="计划结束年月 *" error={errors.plannedEndMonth?.message}>
          <input id="plannedEndMonth" type="month" lang="zh-CN" className="input" aria-invalid={!!errors.plannedEndMonth || undefined} aria-describedby={describedBy('plannedEndMonth', errors.plannedEndMonth)} {...form.register('plannedEndMonth')} />
        </Field>
        <Field id="documentNumber" label="文号" error={errors.documentNumber?.message}>
          <input id="documentNumber" className="input" aria-invalid={!!errors.documentNumber || undefined} aria-describedby={describedBy('documentNumber', errors.documentNumber)} {...form.register('documentNumber')} />
        </Field>
      </div>
      <Field id="reason" label="交流说明 *" error={errors.reason?.message}>
        <textarea id="reason" className="input min-h-24" maxLength={500} aria-invalid={!!errors.reason || undefined} aria-describedby={describedBy('reason', errors.reason)} {...form.register('reason')} />
      </Field>
      <p className="text-xs text-slate-500">主管教育行政部门确认后，教师在本校的人员状态为“暂未在本单位任职-交流轮岗”，仍计入本校教职工；接收学校在“交流来校”中可以查看其基本情况。</p>
      <div className="flex justify-end">
        <button type="submit" className="btn-primary" disabled={pending} data-testid="rotation-submit">
          {pending ? '正在提交…' : '提交申请'}
        </button>
      </div>
    </form>
  );
}
