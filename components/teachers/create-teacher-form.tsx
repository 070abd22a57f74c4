'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { IssuedPasswordDialog } from '@/components/accounts/issued-password-dialog';
import { CodeSelect } from '@/components/forms/code-select';
import { Field, FormAlert } from '@/components/forms/field';
import { codeTables } from '@/lib/indicators/code-tables';
import { checkResidentIdNumber } from '@/lib/reference/id-number';
import { createTeacherAction } from '@/lib/teachers/actions';
import { createTeacherSchema, residentIdType, type CreateTeacherInput } from '@/lib/teachers/schemas';
import { showFieldErrors } from '@/components/forms/field-errors';

type FormValues = CreateTeacherInput;

/** Seed 六(一): name, gender, birth date and ID; birth date and gender follow a resident ID number as it is typed. */
export function CreateTeacherForm() {
  const router = useRouter();
  const form = useForm<FormValues>({
    resolver: zodResolver(createTeacherSchema) as Resolver<FormValues>,
    defaultValues: { name: '', gender: '' as never, birthDate: '', idType: residentIdType, idNumber: '', onEstablishment: '1', contractOneYearOrMore: '', postCategory: '1' },
  });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ teacherId: number; username: string; password: string } | null>(null);
  const errors = form.formState.errors;
  const onEstablishment = form.watch('onEstablishment');

  const fillFromId = (raw: string) => {
    if (form.getValues('idType') !== residentIdType) return;
    const check = checkResidentIdNumber(raw);
    if (!check.ok) return;
    form.setValue('birthDate', check.birthDate, { shouldValidate: true });
    form.setValue('gender', check.gender === 'male' ? '1' : '2', { shouldValidate: true });
  };

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    startTransition(async () => {
      const result = await createTeacherAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        setMessage(result.message);
        return;
      }
      setIssued({ teacherId: result.data.teacherId, username: result.data.credential.username, password: result.data.credential.password });
    });
  });

  const describedBy = (name: keyof FormValues) => (errors[name] ? `${name}-error` : undefined);

  return (
    <form onSubmit={onSubmit} noValidate className="card max-w-3xl space-y-4 p-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="idType" label="身份证件类型 *" error={errors.idType?.message}>
          <Controller control={form.control} name="idType" render={({ field }) => <CodeSelect id="idType" options={codeTables.idDocumentType} value={field.value} onChange={field.onChange} invalid={!!errors.idType} describedBy={describedBy('idType')} />} />
        </Field>
        <Field id="idNumber" label="身份证件号码 *" error={errors.idNumber?.message} hint="居民身份证将自动带出出生日期和性别">
          <input id="idNumber" className="input font-mono" autoComplete="off" aria-invalid={!!errors.idNumber || undefined} aria-describedby={describedBy('idNumber')} {...form.register('idNumber', { onChange: (e) => fillFromId(e.target.value) })} />
        </Field>
        <Field id="name" label="姓名 *" error={errors.name?.message}>
          <input id="name" className="input" aria-invalid={!!errors.name || undefined} aria-describedby={describedBy('name')} {...form.register('name')} />
        </Field>
        <Field id="gender" label="性别 *" error={errors.gender?.message}>
          <Controller control={form.control} name="gender" render={({ field }) => <CodeSelect id="gender" options={codeTables.gender} value={field.value ?? ''} onChange={field.onChange} invalid={!!errors.gender} describedBy={describedBy('gender')} />} />
        </Field>
        <Field id="birthDate" label="出生日期 *" error={errors.birthDate?.message}>
          <input id="birthDate" type="date" className="input" aria-invalid={!!errors.birthDate || undefined} aria-describedby={describedBy('birthDate')} {...form.register('birthDate')} />
        </Field>
        <Field id="postCategory" label="岗位类别 *" error={errors.postCategory?.message}>
          <Controller control={form.control} name="postCategory" render={({ field }) => <CodeSelect id="postCategory" options={codeTables.postCategory} value={field.value} onChange={field.onChange} invalid={!!errors.postCategory} describedBy={describedBy('postCategory')} />} />
        </Field>
        <Field id="onEstablishment" label="是否在编 *" error={errors.onEstablishment?.message}>
          <Controller control={form.control} name="onEstablishment" render={({ field }) => <CodeSelect id="onEstablishment" options={codeTables.yesNo} value={field.value} onChange={field.onChange} invalid={!!errors.onEstablishment} describedBy={describedBy('onEstablishment')} />} />
        </Field>
        {onEstablishment === '0' && (
          <Field id="contractOneYearOrMore" label="合同期一年以上 *" error={errors.contractOneYearOrMore?.message}>
            <Controller control={form.control} name="contractOneYearOrMore" render={({ field }) => <CodeSelect id="contractOneYearOrMore" options={codeTables.yesNo} value={field.value} onChange={field.onChange} invalid={!!errors.contractOneYearOrMore} describedBy={describedBy('contractOneYearOrMore')} />} />
          </Field>
        )}
      </div>
      <p className="text-xs text-slate-500">采集范围：在编教职工，以及签订一年以上合同的教师岗位、其他专业技术岗位和管理岗位教职工；离退休人员不采集。</p>
      <FormAlert message={message} />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? '正在登记…' : '登记并生成账号'}
      </button>
      <IssuedPasswordDialog
        credential={issued}
        onClose={() => {
          const teacherId = issued?.teacherId;
          setIssued(null);
          if (teacherId) router.push(`/teachers/${teacherId}`);
        }}
      />
    </form>
  );
}
