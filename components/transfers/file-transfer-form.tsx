'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { CodeSelect } from '@/components/forms/code-select';
import { Field, FormAlert } from '@/components/forms/field';
import { codeTables } from '@/lib/indicators/code-tables';
import { fileTransferAction, findTransferTeacherAction } from '@/lib/transfers/actions';
import { fileTransferSchema, maxAttachmentBytes, type FileTransferInput, type TransferCandidate } from '@/lib/transfers/schemas';

type FormValues = FileTransferInput;

/**
 * 调入校发起申请: the teacher is found by ID number and name together (both must match); the school
 * sees only name, masked ID, gender and current school until the sending side agrees.
 */
export function FileTransferForm() {
  const router = useRouter();
  const form = useForm<FormValues>({
    resolver: zodResolver(fileTransferSchema) as Resolver<FormValues>,
    defaultValues: { idNumber: '', name: '', kind: 'transfer', rotationKind: '', reason: '', postCategory: '1', postTitle: '', plannedArrivalMonth: '' },
  });
  const [candidate, setCandidate] = useState<TransferCandidate | null>(null);
  const [attachment, setAttachment] = useState<File | null>(null);
  const [attachmentError, setAttachmentError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = form.formState.errors;
  const kind = form.watch('kind');
  const describedBy = (name: string, error?: unknown) => (error ? `${name}-error` : undefined);

  const applyErrors = (fieldErrors: Record<string, string[]> | undefined) => {
    for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
      if (key === 'attachment') setAttachmentError(messages[0]);
      else form.setError(key as keyof FormValues, { message: messages[0] });
    }
  };

  const find = async () => {
    setMessage(null);
    const valid = await form.trigger(['idNumber', 'name']);
    if (!valid) return;
    startTransition(async () => {
      const result = await findTransferTeacherAction({ idNumber: form.getValues('idNumber'), name: form.getValues('name') });
      if (!result.ok) {
        applyErrors(result.fieldErrors);
        setMessage(result.message);
        setCandidate(null);
        return;
      }
      setCandidate(result.data);
    });
  };

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    setAttachmentError(null);
    if (attachment && attachment.size > maxAttachmentBytes) {
      setAttachmentError(`附件为 ${(attachment.size / 1024 / 1024).toFixed(1)} MB，不能超过 5 MB`);
      return;
    }
    const body = new FormData();
    for (const [key, value] of Object.entries(data)) body.set(key, String(value ?? ''));
    if (attachment) body.set('attachment', attachment);
    startTransition(async () => {
      const result = await fileTransferAction(body);
      if (!result.ok) {
        applyErrors(result.fieldErrors);
        setMessage(result.message);
        return;
      }
      router.push(`/transfers/${result.data.transferId}`);
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="card max-w-3xl space-y-5 p-4">
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">1. 查找教师</legend>
        <p className="text-xs text-slate-500">请输入教师的证件号码和姓名，两者都相符才能找到；不能浏览其他学校的教师名单。</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="idNumber" label="证件号码 *" error={errors.idNumber?.message}>
            <input id="idNumber" className="input font-mono" autoComplete="off" aria-invalid={!!errors.idNumber || undefined} aria-describedby={describedBy('idNumber', errors.idNumber)} {...form.register('idNumber', { onChange: () => setCandidate(null) })} />
          </Field>
          <Field id="name" label="姓名 *" error={errors.name?.message}>
            <input id="name" className="input" autoComplete="off" aria-invalid={!!errors.name || undefined} aria-describedby={describedBy('name', errors.name)} {...form.register('name', { onChange: () => setCandidate(null) })} />
          </Field>
        </div>
        <button type="button" className="btn-secondary" onClick={find} disabled={pending} data-testid="transfer-find">
          {pending && !candidate ? '正在查找…' : '查找'}
        </button>
        {candidate && (
          <dl className="grid grid-cols-2 gap-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm sm:grid-cols-4" data-testid="transfer-candidate">
            <div>
              <dt className="text-xs text-slate-500">姓名</dt>
              <dd className="font-medium">{candidate.name}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">证件号码</dt>
              <dd className="font-mono">{candidate.idNumberMasked}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">性别</dt>
              <dd>{codeTables.gender.find((item) => item.code === candidate.gender)?.name ?? candidate.gender}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">现任职学校</dt>
              <dd>{candidate.schoolName}</dd>
            </div>
          </dl>
        )}
      </fieldset>
      {candidate && (
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold text-slate-900">2. 调动信息</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="kind" label="类型 *" error={errors.kind?.message}>
              <select id="kind" className="input" {...form.register('kind')}>
                <option value="transfer">调动</option>
                <option value="rotation">交流轮岗（变更人事关系）</option>
                <option value="rehire">重新入职（已离开原单位的人员）</option>
              </select>
            </Field>
            {kind === 'rotation' && (
              <Field id="rotationKind" label="交流轮岗类型 *" error={errors.rotationKind?.message} hint="人事关系随交流转入本校；不转人事关系的交流由派出学校在“交流轮岗”中申请。">
                <Controller control={form.control} name="rotationKind" render={({ field }) => <CodeSelect id="rotationKind" options={codeTables.rotationKind} value={field.value ?? ''} onChange={field.onChange} invalid={!!errors.rotationKind} describedBy={errors.rotationKind ? 'rotationKind-error' : 'rotationKind-hint'} />} />
              </Field>
            )}
            <Field id="plannedArrivalMonth" label="拟到岗年月 *" error={errors.plannedArrivalMonth?.message}>
              <input id="plannedArrivalMonth" type="month" className="input" aria-invalid={!!errors.plannedArrivalMonth || undefined} aria-describedby={describedBy('plannedArrivalMonth', errors.plannedArrivalMonth)} {...form.register('plannedArrivalMonth')} />
            </Field>
            <Field id="postCategory" label="拟任岗位类别 *" error={errors.postCategory?.message}>
              <Controller control={form.control} name="postCategory" render={({ field }) => <CodeSelect id="postCategory" options={codeTables.postCategory} value={field.value} onChange={field.onChange} invalid={!!errors.postCategory} describedBy={describedBy('postCategory', errors.postCategory)} />} />
            </Field>
            <Field id="postTitle" label="拟任岗位" error={errors.postTitle?.message} hint="如：小学数学教师">
              <input id="postTitle" className="input" aria-invalid={!!errors.postTitle || undefined} aria-describedby={errors.postTitle ? 'postTitle-error' : 'postTitle-hint'} {...form.register('postTitle')} />
            </Field>
          </div>
          <Field id="reason" label="调动原因 *" error={errors.reason?.message}>
            <textarea id="reason" className="input min-h-24" maxLength={500} aria-invalid={!!errors.reason || undefined} aria-describedby={describedBy('reason', errors.reason)} {...form.register('reason')} />
          </Field>
          <Field id="attachment" label="附件（调动审批材料，PDF 或 JPG，不超过 5 MB）" error={attachmentError ?? undefined}>
            <input
              id="attachment"
              type="file"
              accept="application/pdf,image/jpeg"
              className="block w-full text-sm"
              aria-invalid={!!attachmentError || undefined}
              aria-describedby={attachmentError ? 'attachment-error' : undefined}
              onChange={(event) => {
                setAttachmentError(null);
                setAttachment(event.target.files?.[0] ?? null);
              }}
            />
          </Field>
        </fieldset>
      )}
      <FormAlert message={message} />
      {candidate && (
        <button type="submit" className="btn-primary" disabled={pending} data-testid="transfer-submit">
          {pending ? '正在提交…' : '提交调动申请'}
        </button>
      )}
    </form>
  );
}
