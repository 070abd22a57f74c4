'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { Field, FormAlert } from '@/components/forms/field';
import { signInSchema, type SignInInput } from '@/lib/accounts/schemas';
import { signInAction } from './actions';

export function LoginForm({ next, notice }: { next?: string; notice?: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({ resolver: zodResolver(signInSchema), defaultValues: { username: '', password: '' } });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setMessage(null);
    startTransition(async () => {
      const result = await signInAction({ ...values, next });
      if (!result.ok) {
        setMessage(result.message);
        form.setValue('password', '');
        return;
      }
      router.replace(result.data.redirectTo);
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {notice && !message && <FormAlert tone="info" message={notice} />}
      <FormAlert message={message} />
      <Field id="username" label="账号" error={errors.username?.message}>
        <input
          id="username"
          className="input"
          autoComplete="username"
          autoCapitalize="none"
          aria-invalid={!!errors.username}
          aria-describedby={errors.username ? 'username-error' : undefined}
          {...form.register('username')}
        />
      </Field>
      <Field id="password" label="密码" error={errors.password?.message}>
        <input
          id="password"
          type="password"
          className="input"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          aria-describedby={errors.password ? 'password-error' : undefined}
          {...form.register('password')}
        />
      </Field>
      <button type="submit" className="btn-primary w-full py-2.5" disabled={pending}>
        {pending ? '正在登录…' : '登录'}
      </button>
    </form>
  );
}
