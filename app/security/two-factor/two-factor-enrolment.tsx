'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { Field, FormAlert } from '@/components/forms/field';
import { confirmTotpSchema, type ConfirmTotpInput } from '@/lib/signin/schemas';
import { confirmTotpEnrolmentAction, startTotpEnrolmentAction } from '@/lib/signin/actions';

/** Scan the QR code (or type the key), confirm with one code, then keep the ten recovery codes. */
export function TwoFactorEnrolment({ continueHref }: { continueHref: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useForm<ConfirmTotpInput>({ resolver: zodResolver(confirmTotpSchema), defaultValues: { code: '' } });

  const start = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await startTotpEnrolmentAction();
      if (!result.ok) return setMessage(result.message);
      setEnrolment(result.data);
    });

  const confirm = form.handleSubmit((values) =>
    startTransition(async () => {
      setMessage(null);
      const result = await confirmTotpEnrolmentAction(values);
      if (!result.ok) {
        const fieldError = result.fieldErrors?.code?.[0];
        if (fieldError) form.setError('code', { message: fieldError });
        else setMessage(result.message);
        return;
      }
      setCodes(result.data.recoveryCodes);
    }),
  );

  if (codes) {
    return (
      <div className="space-y-3" data-testid="recovery-codes">
        <FormAlert tone="success" message="双因素认证已启用。以后登录时，输入密码后还需输入身份验证器中的 6 位动态验证码。" />
        <p className="text-sm text-slate-700">请抄写或打印以下 10 个恢复码并妥善保管。手机丢失时，每个恢复码可代替动态验证码使用一次。恢复码只显示这一次。</p>
        <ol className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-3 font-mono text-sm">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <a href={continueHref} className="btn-primary block w-full text-center">我已保存恢复码，进入系统</a>
      </div>
    );
  }

  if (!enrolment) {
    return (
      <div className="space-y-3">
        <FormAlert message={message} />
        <p className="text-sm text-slate-700">请在手机上安装任一支持 TOTP 标准的身份验证器应用（如 Microsoft Authenticator、Google Authenticator、FreeOTP 等），然后开始绑定。</p>
        <button type="button" className="btn-primary w-full" disabled={pending} onClick={start}>
          {pending ? '正在生成…' : '开始绑定'}
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={confirm} className="space-y-4" noValidate>
      <FormAlert message={message} />
      <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
        <li>用身份验证器扫描下方二维码；无法扫描时，手动输入密钥。</li>
        <li>输入应用中显示的 6 位数字，完成绑定。</li>
      </ol>
      <img src={enrolment.qrDataUrl} alt="双因素认证绑定二维码" width={220} height={220} className="mx-auto rounded border border-slate-200" />
      <p className="break-all text-center font-mono text-sm text-slate-700" data-testid="totp-secret">
        密钥：{enrolment.secret}
      </p>
      <Field id="code" label="动态验证码" error={form.formState.errors.code?.message}>
        <input
          id="code"
          className="input font-mono tracking-widest"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          aria-invalid={!!form.formState.errors.code}
          aria-describedby={form.formState.errors.code ? 'code-error' : undefined}
          {...form.register('code')}
        />
      </Field>
      <button type="submit" className="btn-primary w-full" disabled={pending}>
        {pending ? '正在验证…' : '验证并启用'}
      </button>
    </form>
  );
}
