'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { Field, FormAlert } from '@/components/forms/field';
import { saveRotationTargetsAction } from '@/lib/rotations/actions';
import { rotationTargetsSchema, type RotationTargets, type RotationTargetsInput } from '@/lib/rotations/schemas';
import { showFieldErrors } from '@/components/forms/field-errors';

/** The county sets its targets for the year; the national floor is the starting value. */
export function RotationTargetsForm({ year, targets }: { year: number; targets: RotationTargets }) {
  const router = useRouter();
  const form = useForm<RotationTargetsInput>({
    resolver: zodResolver(rotationTargetsSchema) as Resolver<RotationTargetsInput>,
    defaultValues: { year, eligibleYears: targets.eligibleYears, minSharePercent: targets.minSharePermille / 10, minKeySharePercent: targets.minKeySharePermille / 10 },
  });
  const [message, setMessage] = useState<{ text: string; tone: 'error' | 'success' } | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await saveRotationTargetsAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        setMessage({ text: result.message, tone: 'error' });
        return;
      }
      setMessage({ text: `已保存 ${year} 学年的交流轮岗目标`, tone: 'success' });
      router.refresh();
    }),
  );
  const input = (name: 'eligibleYears' | 'minSharePercent' | 'minKeySharePercent', label: string, unit: string) => (
    <Field id={name} label={label} error={errors[name]?.message}>
      <div className="flex items-center gap-2">
        <input id={name} type="number" inputMode="decimal" step={name === 'eligibleYears' ? 1 : 0.1} className="input w-28" aria-invalid={!!errors[name] || undefined} aria-describedby={errors[name] ? `${name}-error` : undefined} {...form.register(name)} />
        <span className="text-sm text-slate-600">{unit}</span>
      </div>
    </Field>
  );
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" data-testid="rotation-targets-form">
      <FormAlert message={message?.text} tone={message?.tone} />
      <input type="hidden" {...form.register('year')} />
      <div className="grid gap-3 sm:grid-cols-3">
        {input('eligibleYears', '在本校任教满', '年为应交流对象')}
        {input('minSharePercent', '每学年交流不少于应交流对象的', '%')}
        {input('minKeySharePercent', '骨干教师不少于交流人数的', '%')}
      </div>
      <button type="submit" className="btn-primary" disabled={pending} data-testid="rotation-targets-save">
        {pending ? '正在保存…' : `保存 ${year} 学年目标`}
      </button>
    </form>
  );
}
