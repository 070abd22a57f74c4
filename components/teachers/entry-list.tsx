'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useMemo, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { displayValue, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { deleteEntryAction, saveEntryAction } from '@/lib/teachers/actions';
import type { EntryView } from '@/lib/teachers/queries';
import { subsetResolver } from './record-resolver';
import { SubsetFields } from './subset-fields';

/** A list subset: dated entries with add, edit and delete; each entry is validated whole. */
export function EntryList({ teacherId, subset, entries, editable, readOnlyNote }: { teacherId: number; subset: EffectiveSubset; entries: EntryView[]; editable: string[]; readOnlyNote: string }) {
  const [editing, setEditing] = useState<EntryView | 'new' | null>(null);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const shown = subset.fields.filter((field) => field.type !== 'photo').slice(0, 4);
  const editableSet = new Set(editable);
  // An entry can be added only by someone who may fill every required field of it.
  const canAdd = editable.length > 0 && subset.fields.every((field) => !field.required || editableSet.has(field.key));
  const canDelete = (entry: EntryView) => editable.length > 0 && Object.keys(entry.values).every((key) => editableSet.has(key));

  const remove = (entry: EntryView) => {
    if (!window.confirm(`确定删除这条${subset.label}吗？`)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await deleteEntryAction({ teacherId, entryId: entry.id });
      if (!result.ok) setMessage(result.message);
    });
  };

  return (
    <div className="space-y-3">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">暂无记录</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {entries.map((entry) => (
            <li key={entry.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between" data-testid={`entry-${subset.key}`}>
              <dl className="grid flex-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                {shown.map((field) => (
                  <div key={field.key} className="flex gap-2 sm:block">
                    <dt className="shrink-0 text-xs text-slate-500">{field.label}</dt>
                    <dd className="text-slate-800">{displayValue(field, entry.values[field.key]) || '—'}</dd>
                  </div>
                ))}
              </dl>
              <div className="flex gap-2">
                <button type="button" className="btn-secondary" onClick={() => setEditing(entry)}>
                  {editable.length > 0 ? '编辑' : '查看'}
                </button>
                {canDelete(entry) && (
                  <button type="button" className="btn-danger" disabled={pending} onClick={() => remove(entry)}>
                    删除
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormAlert message={message} />
      {canAdd && (
        <button type="button" className="btn-secondary" onClick={() => setEditing('new')}>
          + 新增{subset.label}
        </button>
      )}
      <Dialog.Root open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 max-h-[92vh] overflow-y-auto rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(56rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
            <Dialog.Title className="mb-3 text-base font-semibold">
              {editing === 'new' ? `新增${subset.label}` : editable.length > 0 ? `编辑${subset.label}` : subset.label}
            </Dialog.Title>
            <Dialog.Description className="sr-only">填写后保存，带 * 的为必填项</Dialog.Description>
            {editing !== null && (
              <EntryForm
                teacherId={teacherId}
                subset={subset}
                entry={editing === 'new' ? null : editing}
                editable={editableSet}
                readOnlyNote={readOnlyNote}
                onDone={() => setEditing(null)}
              />
            )}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}

function EntryForm({ teacherId, subset, entry, editable, readOnlyNote, onDone }: { teacherId: number; subset: EffectiveSubset; entry: EntryView | null; editable: Set<string>; readOnlyNote: string; onDone: () => void }) {
  const resolver = useMemo(() => subsetResolver(subset, { enforceRequired: true }), [subset]);
  const form = useForm<RecordValues>({ resolver, defaultValues: entry?.values ?? {} });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    const payload = Object.fromEntries(Object.entries(data).filter(([key]) => editable.has(key)));
    startTransition(async () => {
      const result = await saveEntryAction({ teacherId, subset: subset.key, entryId: entry?.id, values: payload });
      if (!result.ok) {
        for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) form.setError(key, { message: messages[0] });
        setMessage(result.message);
        return;
      }
      onDone();
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <SubsetFields subset={subset} editable={editable} control={form.control} errors={form.formState.errors} values={form.watch()} idPrefix={`${subset.key}-entry`} readOnlyNote={readOnlyNote} />
      <FormAlert message={message} />
      <div className="flex justify-end gap-2">
        <Dialog.Close type="button" className="btn-secondary">
          {editable.size > 0 ? '取消' : '关闭'}
        </Dialog.Close>
        {editable.size > 0 && (
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? '正在保存…' : '保存'}
          </button>
        )}
      </div>
    </form>
  );
}
