'use client';

import { useState, useTransition } from 'react';
import { savePasswordPolicyAction } from '@/lib/password-policy/actions';
import { FormAlert } from '@/components/forms/field';
import { maxPasswordAgeDays } from '@/lib/password-policy/schemas';

/** Days per tier; an empty field means no expiry. Server errors come back per field. */
export function PasswordPolicyForm({ fields, updatedAt }: { fields: { key: string; label: string; days: number | null }[]; updatedAt: string | null }) {
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.key, f.days === null ? '' : String(f.days)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setMessage(null);
    setErrors({});
    startTransition(async () => {
      const result = await savePasswordPolicyAction({ maxAgeDays: values });
      if (!result.ok) {
        const byField: Record<string, string> = {};
        for (const [path, list] of Object.entries(result.fieldErrors ?? {})) byField[path.replace(/^maxAgeDays\./, '')] = list[0];
        setErrors(byField);
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setMessage({ tone: 'success', text: '已保存。超过期限的账号在下次操作时须修改密码。' });
    });
  };

  return (
    <form onSubmit={onSubmit} className="card space-y-4 p-4" noValidate>
      <FormAlert tone={message?.tone} message={message?.text} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {fields.map((field) => (
          <div key={field.key}>
            <label htmlFor={`days-${field.key}`} className="block text-sm font-medium text-slate-700">
              {field.label}（天）
            </label>
            <input
              id={`days-${field.key}`}
              inputMode="numeric"
              className="input mt-1"
              placeholder="不限期"
              value={values[field.key] ?? ''}
              aria-invalid={!!errors[field.key]}
              aria-describedby={errors[field.key] ? `days-${field.key}-error` : `days-${field.key}-hint`}
              onChange={(e) => setValues({ ...values, [field.key]: e.target.value.trim() })}
            />
            {errors[field.key] ? (
              <p id={`days-${field.key}-error`} className="mt-1 text-xs text-red-600">{errors[field.key]}</p>
            ) : (
              <p id={`days-${field.key}-hint`} className="mt-1 text-xs text-slate-500">30–{maxPasswordAgeDays} 天，留空不限期</p>
            )}
          </div>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? '正在保存…' : '保存'}</button>
        {updatedAt && <span className="text-xs text-slate-500">最近修改：{updatedAt}</span>}
      </div>
    </form>
  );
}
