'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { ReasonDialog } from '@/components/collection/reason-dialog';
import { fileAdditionAction, fileChangeRequestAction } from '@/lib/collection/actions';
import { displayValue, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { deleteEntryAction, saveEntryAction } from '@/lib/teachers/actions';
import { changeFiledMessage } from '@/lib/collection/schemas';
import type { EntryView } from '@/lib/teachers/queries';
import { subsetResolver } from './record-resolver';
import { ChangeReasonField } from './change-reason-field';
import { SubsetFields } from './subset-fields';

/** What the dialog does: edit a draft entry, ask to change an effective one, or file a new one for review. */
type EntryMode = 'edit' | 'change' | 'add';

/**
 * A list subset. On a draft: add, edit and delete entries. On an effective record: new entries are
 * filed for review (教师或学校), and changes or deletions go through a change request (学校).
 */
export function EntryList({ teacherId, subset, entries, editable, changeable = [], addable = [], readOnlyNote, mayRequestDelete = true }: { teacherId: number; subset: EffectiveSubset; entries: EntryView[]; editable: string[]; changeable?: string[]; addable?: string[]; readOnlyNote: string; mayRequestDelete?: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<{ entry: EntryView | null; mode: EntryMode } | null>(null);
  const [deleting, setDeleting] = useState<EntryView | null>(null);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const shown = subset.fields.filter((field) => field.type !== 'photo').slice(0, 4);
  const editableSet = new Set(editable);
  // An entry can be added only by someone who may fill every required field of it.
  const canAdd = editable.length > 0 && subset.fields.every((field) => !field.required || editableSet.has(field.key));
  const canDelete = (entry: EntryView) => editable.length > 0 && Object.keys(entry.values).every((key) => editableSet.has(key));
  const changing = changeable.length > 0;

  const remove = (entry: EntryView) => {
    if (!window.confirm(`确定删除这条${subset.label}吗？`)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await deleteEntryAction({ teacherId, entryId: entry.id });
      if (!result.ok) setMessage({ tone: 'error', text: result.message });
    });
  };

  const requestDelete = (reason: string) => {
    if (!deleting) return;
    setDeleteError(null);
    startTransition(async () => {
      const result = await fileChangeRequestAction({ teacherId, subset: subset.key, entryId: deleting.id, kind: 'delete', reason });
      if (!result.ok) {
        setDeleteError(result.fieldErrors?.reason?.[0] ?? result.message);
        return;
      }
      setDeleting(null);
      setMessage({ tone: 'success', text: changeFiledMessage(result.data.state, 'delete') });
      router.refresh();
    });
  };

  const dialogFields = editing?.mode === 'change' ? changeable : editing?.mode === 'add' ? addable : editing?.entry?.locked ? [] : editable;
  const titles: Record<EntryMode, string> = { edit: editing?.entry ? (editable.length > 0 ? `编辑${subset.label}` : subset.label) : `新增${subset.label}`, change: `申请变更${subset.label}`, add: `新增${subset.label}（提交审核）` };

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
              <div className="flex flex-wrap gap-2">
                <button type="button" className="btn-secondary" onClick={() => setEditing({ entry, mode: 'edit' })}>
                  {editable.length > 0 && !entry.locked ? '编辑' : '查看'}
                </button>
                {entry.locked && <span className="self-center text-xs text-slate-500">学分确认写入</span>}
                {canDelete(entry) && !entry.locked && (
                  <button type="button" className="btn-danger" disabled={pending} onClick={() => remove(entry)}>
                    删除
                  </button>
                )}
                {changing && (
                  <>
                    <button type="button" className="btn-secondary" onClick={() => setEditing({ entry, mode: 'change' })} data-testid={`request-change-${subset.key}`}>
                      申请变更
                    </button>
                    {mayRequestDelete && (
                      <button type="button" className="btn-danger" onClick={() => setDeleting(entry)}>
                        申请删除
                      </button>
                    )}
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {message && <FormAlert tone={message.tone} message={message.text} />}
      {canAdd && (
        <button type="button" className="btn-secondary" onClick={() => setEditing({ entry: null, mode: 'edit' })}>
          + 新增{subset.label}
        </button>
      )}
      {addable.length > 0 && (
        <button type="button" className="btn-secondary" onClick={() => setEditing({ entry: null, mode: 'add' })} data-testid={`add-info-${subset.key}`}>
          + 新增{subset.label}（需审核）
        </button>
      )}
      <Dialog.Root open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 max-h-[92vh] overflow-y-auto rounded-t-xl bg-white p-4 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-[min(56rem,92vw)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg sm:p-5">
            <Dialog.Title className="mb-3 text-base font-semibold">{editing ? titles[editing.mode] : ''}</Dialog.Title>
            <Dialog.Description className="sr-only">填写后提交，带 * 的为必填项</Dialog.Description>
            {editing !== null && (
              <EntryForm
                teacherId={teacherId}
                subset={subset}
                entry={editing.entry}
                mode={editing.mode}
                editable={new Set(dialogFields)}
                readOnlyNote={readOnlyNote}
                onDone={(text) => {
                  setEditing(null);
                  if (text) setMessage({ tone: 'success', text });
                  router.refresh();
                }}
              />
            )}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      <ReasonDialog
        open={deleting !== null}
        title={`申请删除这条${subset.label}`}
        description="删除须经主管教育行政部门批准；批准前该条信息保持不变。"
        confirmLabel="提交删除申请"
        pending={pending}
        error={deleteError}
        onConfirm={requestDelete}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

function EntryForm({ teacherId, subset, entry, mode, editable, readOnlyNote, onDone }: { teacherId: number; subset: EffectiveSubset; entry: EntryView | null; mode: EntryMode; editable: Set<string>; readOnlyNote: string; onDone: (message?: string) => void }) {
  // A new entry filed for review shows only the fields this person fills.
  const formSubset = useMemo(() => (mode === 'add' ? { ...subset, fields: subset.fields.filter((field) => editable.has(field.key)) } : subset), [mode, subset, editable]);
  const resolver = useMemo(() => subsetResolver(formSubset, { enforceRequired: true }), [formSubset]);
  const form = useForm<RecordValues>({ resolver, defaultValues: entry?.values ?? {} });
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    setReasonError(null);
    const payload = Object.fromEntries(Object.entries(data).filter(([key]) => editable.has(key)));
    startTransition(async () => {
      const result =
        mode === 'edit'
          ? await saveEntryAction({ teacherId, subset: subset.key, entryId: entry?.id, values: payload })
          : mode === 'add'
            ? await fileAdditionAction({ teacherId, subset: subset.key, values: payload })
            : await fileChangeRequestAction({ teacherId, subset: subset.key, entryId: entry?.id, kind: 'update', values: payload, reason });
      if (!result.ok) {
        for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) {
          if (key === 'reason') setReasonError(messages[0]);
          else form.setError(key, { message: messages[0] });
        }
        setMessage(result.message);
        return;
      }
      onDone(mode === 'add' ? '新增信息已提交，学校和主管教育行政部门审核通过后生效。' : mode === 'change' && 'state' in result.data ? changeFiledMessage(result.data.state) : undefined);
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {mode !== 'edit' && <FormAlert tone="info" message={mode === 'add' ? '该记录已生效，新增的信息须经学校和主管教育行政部门审核后生效。' : '该记录已生效，修改须经主管教育行政部门批准；批准前原信息保持不变。'} />}
      <SubsetFields subset={formSubset} editable={editable} control={form.control} errors={form.formState.errors} values={form.watch()} idPrefix={`${subset.key}-entry`} readOnlyNote={readOnlyNote} />
      {mode === 'change' && <ChangeReasonField id={`${subset.key}-change-reason`} value={reason} onChange={setReason} error={reasonError} />}
      <FormAlert message={message} />
      <div className="flex justify-end gap-2">
        <Dialog.Close type="button" className="btn-secondary">
          {editable.size > 0 ? '取消' : '关闭'}
        </Dialog.Close>
        {editable.size > 0 && (
          <button type="submit" className="btn-primary" disabled={pending} data-testid="entry-submit">
            {pending ? '正在提交…' : mode === 'edit' ? '保存' : mode === 'add' ? '提交审核' : '提交变更申请'}
          </button>
        )}
      </div>
    </form>
  );
}
