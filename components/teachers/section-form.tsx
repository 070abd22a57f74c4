'use client';

import { useMemo, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { saveSectionAction } from '@/lib/teachers/actions';
import { subsetResolver } from './record-resolver';
import { SubsetFields } from './subset-fields';

/** A single-entry subset (基本信息, 联系方式): one form, saved as a whole. */
export function SectionForm({ teacherId, revision, subset, values, editable, readOnlyNote }: { teacherId: number; revision: number; subset: EffectiveSubset; values: RecordValues; editable: string[]; readOnlyNote: string }) {
  const editableSet = useMemo(() => new Set(editable), [editable]);
  const resolver = useMemo(() => subsetResolver(subset, { enforceRequired: false }), [subset]);
  const form = useForm<RecordValues>({ resolver, defaultValues: values });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    const payload = Object.fromEntries(Object.entries(data).filter(([key]) => editableSet.has(key)));
    startTransition(async () => {
      const result = await saveSectionAction({ teacherId, revision, subset: subset.key, values: payload });
      if (!result.ok) {
        for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) form.setError(key, { message: messages[0] });
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      setMessage({ tone: 'success', text: '已保存' });
    });
  }, () => setMessage({ tone: 'error', text: '请检查标出的内容' }));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <SubsetFields subset={subset} editable={editableSet} control={form.control} errors={form.formState.errors} values={form.watch()} idPrefix={subset.key} readOnlyNote={readOnlyNote} />
      {editable.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? '正在保存…' : `保存${subset.label}`}
          </button>
          {message && <FormAlert tone={message.tone} message={message.text} />}
        </div>
      )}
    </form>
  );
}
