'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { Field, FormAlert } from '@/components/forms/field';
import { passwordPolicyText } from '@/lib/auth/password-policy';
import { changePasswordSchema, type ChangePasswordInput } from '@/lib/accounts/schemas';
import { changePasswordAction } from './actions';

const fields = [
  { name: 'currentPassword', label: '当前密码', autoComplete: 'current-password' },
  { name: 'newPassword', label: '新密码', autoComplete: 'new-password', hint: passwordPolicyText },
  { name: 'confirmPassword', label: '确认新密码', autoComplete: 'new-password' },
] as const;

export function ChangePasswordForm() {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<ChangePasswordInput>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setMessage(null);
    startTransition(async () => {
      const result = await changePasswordAction(values);
      if (!result.ok) {
        setMessage(result.message);
        for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) {
          form.setError(key as keyof ChangePasswordInput, { message: messages[0] });
        }
        return;
      }
      router.replace(result.data.redirectTo);
    });
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert message={message} />
      {fields.map((field) => {
        const error = errors[field.name]?.message;
        return (
          <Field key={field.name} id={field.name} label={field.label} error={error} hint={'hint' in field ? field.hint : undefined}>
            <input
              id={field.name}
              type="password"
              className="input"
              autoComplete={field.autoComplete}
              aria-invalid={!!error}
              aria-describedby={error ? `${field.name}-error` : 'hint' in field ? `${field.name}-hint` : undefined}
              {...form.register(field.name)}
            />
          </Field>
        );
      })}
      <button type="submit" className="btn-primary w-full py-2.5" disabled={pending}>
        {pending ? '正在保存…' : '修改密码'}
      </button>
    </form>
  );
}
