'use client';

import { changeFiledMessage } from '@/lib/collection/schemas';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { fileChangeRequestAction } from '@/lib/collection/actions';
import { type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { saveSectionAction } from '@/lib/teachers/actions';
import { subsetResolver } from './record-resolver';
import { ChangeReasonField } from './change-reason-field';
import { SubsetFields } from './subset-fields';

/**
 * A single-entry subset (基本信息, 联系方式): one form, saved as a whole on a draft. On an effective
 * record the school manager opens it to file a change request with a reason instead.
 */
export function SectionForm({ teacherId, revision, subset, values, editable, changeable = [], readOnlyNote }: { teacherId: number; revision: number; subset: EffectiveSubset; values: RecordValues; editable: string[]; changeable?: string[]; readOnlyNote: string }) {
  const router = useRouter();
  const [changing, setChanging] = useState(false);
  const writable = changing ? changeable : editable;
  const writableSet = useMemo(() => new Set(writable), [writable]);
  const resolver = useMemo(() => subsetResolver(subset, { enforceRequired: changing }), [subset, changing]);
  const form = useForm<RecordValues>({ resolver, defaultValues: values });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    setReasonError(null);
    const payload = Object.fromEntries(Object.entries(data).filter(([key]) => writableSet.has(key)));
    startTransition(async () => {
      const result = changing ? await fileChangeRequestAction({ teacherId, subset: subset.key, kind: 'update', values: payload, reason }) : await saveSectionAction({ teacherId, revision, subset: subset.key, values: payload });
      if (!result.ok) {
        for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) {
          if (key === 'reason') setReasonError(messages[0]);
          else form.setError(key, { message: messages[0] });
        }
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      if (changing) {
        setChanging(false);
        setReason('');
        form.reset(values);
        setMessage({ tone: 'success', text: 'state' in result.data ? changeFiledMessage(result.data.state) : '已提交' });
        router.refresh();
      } else setMessage({ tone: 'success', text: '已保存' });
    });
  }, () => setMessage({ tone: 'error', text: '请检查标出的内容' }));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {changing && <FormAlert tone="info" message="该记录已生效。修改下列信息并填写原因后提交变更申请，批准前原信息保持不变。" />}
      <SubsetFields subset={subset} editable={writableSet} control={form.control} errors={form.formState.errors} values={form.watch()} idPrefix={subset.key} readOnlyNote={readOnlyNote} />
      {changing && <ChangeReasonField id={`${subset.key}-change-reason`} value={reason} onChange={setReason} error={reasonError} />}
      <div className="flex flex-wrap items-center gap-3">
        {writable.length > 0 && (
          <button type="submit" className="btn-primary" disabled={pending} data-testid={changing ? `submit-change-${subset.key}` : undefined}>
            {pending ? '正在提交…' : changing ? '提交变更申请' : `保存${subset.label}`}
          </button>
        )}
        {changing && (
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setChanging(false);
              form.reset(values);
            }}
          >
            取消
          </button>
        )}
        {!changing && changeable.length > 0 && (
          <button type="button" className="btn-secondary" onClick={() => setChanging(true)} data-testid={`request-change-${subset.key}`}>
            申请变更{subset.label}
          </button>
        )}
        {message && <FormAlert tone={message.tone} message={message.text} />}
      </div>
    </form>
  );
}
