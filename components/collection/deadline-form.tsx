'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { setDeadlineAction } from '@/lib/collection/actions';
import { setDeadlineSchema, type SetDeadlineInput } from '@/lib/collection/schemas';

/** An authority's collection deadline for the units below it; it may not be later than one set above. */
export function DeadlineForm({ own, latest }: { own: string | null; latest: { deadline: string; unitName: string } | null }) {
  const router = useRouter();
  const form = useForm<SetDeadlineInput>({ resolver: zodResolver(setDeadlineSchema), defaultValues: { deadline: own ?? '' } });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const save = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await setDeadlineAction(data);
      if (!result.ok) {
        const error = result.fieldErrors?.deadline?.[0];
        if (error) form.setError('deadline', { message: error });
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setMessage({ tone: 'success', text: data.deadline ? `截止日期已设为 ${data.deadline}` : '已取消本级截止日期' });
      router.refresh();
    }),
  );
  const error = form.formState.errors.deadline?.message;
  return (
    <form onSubmit={save} noValidate className="flex flex-wrap items-start gap-3">
      <div>
        <label htmlFor="deadline" className="block text-xs text-slate-600">
          本级设定的采集截止日期（下级单位须在此日期前完成）
        </label>
        <input id="deadline" type="date" className="input mt-1 w-48" max={latest?.deadline} aria-invalid={Boolean(error)} aria-describedby={error ? 'deadline-error' : 'deadline-hint'} {...form.register('deadline')} />
        {error ? (
          <p id="deadline-error" className="mt-1 text-xs text-red-600">{error}</p>
        ) : (
          <p id="deadline-hint" className="mt-1 text-xs text-slate-500">{latest ? `不能晚于${latest.unitName}设定的 ${latest.deadline}` : '留空表示本级不另设截止日期'}</p>
        )}
      </div>
      <button type="submit" className="btn-primary sm:mt-5" disabled={pending} data-testid="deadline-save">
        {pending ? '正在保存…' : '保存截止日期'}
      </button>
      {message && (
        <div className="sm:mt-5">
          <FormAlert tone={message.tone} message={message.text} />
        </div>
      )}
    </form>
  );
}
