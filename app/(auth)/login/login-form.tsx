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
  const [needsCode, setNeedsCode] = useState(false);
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({ resolver: zodResolver(signInSchema), defaultValues: { username: '', password: '', code: '' } });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    setMessage(null);
    startTransition(async () => {
      const result = await signInAction({ ...values, code: needsCode ? values.code : undefined, next });
      if (!result.ok) {
        setMessage(result.message);
        if ('needsCode' in result) {
          setNeedsCode(true);
          form.setValue('code', '');
        } else {
          setNeedsCode(false);
          form.setValue('password', '');
        }
        return;
      }
      router.replace(result.data.redirectTo);
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {notice && !message && <FormAlert tone="info" message={notice} />}
      <FormAlert tone={needsCode && message?.startsWith('请输入') ? 'info' : undefined} message={message} />
      <Field id="username" label="账号" error={errors.username?.message}>
        <input
          id="username"
          className="input"
          autoComplete="username"
          autoCapitalize="none"
          readOnly={needsCode}
          aria-invalid={!!errors.username}
          aria-describedby={errors.username ? 'username-error' : undefined}
          {...form.register('username')}
        />
      </Field>
      <div hidden={needsCode}>
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
      </div>
      {needsCode && (
        <Field id="code" label="动态验证码" error={errors.code?.message}>
          <input
            id="code"
            className="input font-mono tracking-widest"
            inputMode="text"
            autoComplete="one-time-code"
            autoFocus
            aria-invalid={!!errors.code}
            aria-describedby={errors.code ? 'code-error' : 'code-hint'}
            {...form.register('code')}
          />
          <p id="code-hint" className="mt-1 text-xs text-slate-500">打开身份验证器应用查看 6 位数字；手机丢失时可输入一个恢复码。</p>
        </Field>
      )}
      <button type="submit" className="btn-primary w-full py-2.5" disabled={pending}>
        {pending ? '正在登录…' : needsCode ? '验证并登录' : '登录'}
      </button>
      {needsCode && (
        <button
          type="button"
          className="w-full text-center text-xs text-slate-500 underline"
          onClick={() => {
            setNeedsCode(false);
            setMessage(null);
            form.setValue('password', '');
          }}
        >
          换一个账号登录
        </button>
      )}
    </form>
  );
}
