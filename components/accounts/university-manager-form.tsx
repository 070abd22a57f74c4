'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { addUniversityManagerAction } from '@/lib/accounts/actions';
import { Field, FormAlert } from '@/components/forms/field';
import { addUniversityManagerSchema, type AddUniversityManagerInput } from '@/lib/accounts/schemas';
import { IssuedPasswordDialog } from './issued-password-dialog';
import { showFieldErrors } from '@/components/forms/field-errors';

export function UniversityManagerForm({ universities }: { universities: { id: number; code: string; name: string; managers: number }[] }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);
  const form = useForm<z.input<typeof addUniversityManagerSchema>, unknown, AddUniversityManagerInput>({ resolver: zodResolver(addUniversityManagerSchema), defaultValues: { schoolId: 0, displayName: '' } });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit((values) => {
    setMessage(null);
    startTransition(async () => {
      const result = await addUniversityManagerAction(values);
      if (!result.ok) {
        setMessage(result.message);
        showFieldErrors(form.setError, result.fieldErrors);
        return;
      }
      setIssued({ username: result.data.username, password: result.data.password });
      form.reset({ schoolId: 0, displayName: '' });
    });
  });
  return (
    <form onSubmit={onSubmit} className="card space-y-4 p-4" noValidate>
      <FormAlert message={message} />
      <Field id="schoolId" label="高等学校" error={errors.schoolId?.message}>
        <select id="schoolId" className="input" aria-invalid={!!errors.schoolId} aria-describedby={errors.schoolId ? 'schoolId-error' : undefined} {...form.register('schoolId')}>
          <option value={0}>请选择</option>
          {universities.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}（{u.code}，现有信息管理员 {u.managers} 个）
            </option>
          ))}
        </select>
      </Field>
      <Field id="displayName" label="使用人或用途" error={errors.displayName?.message} hint="例如：人事处 张老师、教务处">
        <input id="displayName" className="input" aria-invalid={!!errors.displayName} aria-describedby={errors.displayName ? 'displayName-error' : 'displayName-hint'} {...form.register('displayName')} />
      </Field>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? '正在创建…' : '增设信息管理员账号'}
      </button>
      <IssuedPasswordDialog credential={issued} onClose={() => setIssued(null)} />
    </form>
  );
}
