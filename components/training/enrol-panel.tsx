'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { RowErrorsTable, type RowError } from '@/components/ui/row-errors-table';
import { enrolByFileAction, enrolByListAction } from '@/lib/training/actions';
import type { ActionResult } from '@/lib/result';

type Outcome = { ok: true; enrolled: number } | { ok: false; rows: number; errors: RowError[]; totalErrors: number };

/** 报名参训教师: paste ID numbers or upload a sheet with a 身份证件号码 column; all or nothing. */
export function EnrolPanel({ projectId, room }: { projectId: number; room: number }) {
  const router = useRouter();
  const [list, setList] = useState('');
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [refused, setRefused] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  const finish = (result: ActionResult<Outcome>) => {
    if (!result.ok) return setMessage({ tone: 'error', text: result.fieldErrors?.idNumbers?.[0] ?? result.fieldErrors?.file?.[0] ?? result.message });
    if (!result.data.ok) return setRefused(result.data);
    setMessage({ tone: 'success', text: `已报名 ${result.data.enrolled} 人` });
    setList('');
    router.refresh();
  };
  const reset = () => {
    setMessage(null);
    setRefused(null);
  };

  return (
    <section className="card space-y-3 p-4" aria-labelledby="enrol-title">
      <h2 id="enrol-title" className="text-sm font-semibold text-slate-700">
        报名参训教师 <span className="font-normal text-slate-500">（还可报名 {room} 人）</span>
      </h2>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          reset();
          startTransition(async () => finish(await enrolByListAction({ projectId, idNumbers: list })));
        }}
      >
        <label htmlFor="enrol-list" className="block text-sm text-slate-700">
          粘贴身份证件号码，每行一个（其后可跟姓名）
        </label>
        <textarea id="enrol-list" className="input min-h-28 font-mono text-xs" value={list} onChange={(e) => setList(e.target.value)} data-testid="enrol-list" />
        <button type="submit" className="btn-primary" disabled={pending || list.trim() === ''} data-testid="enrol-submit">
          {pending ? '正在校验…' : '校验并报名'}
        </button>
      </form>
      <form
        className="flex flex-col gap-2 border-t border-slate-100 pt-3 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          reset();
          const data = new FormData(event.currentTarget);
          data.set('projectId', String(projectId));
          startTransition(async () => finish(await uploadWith(enrolByFileAction, data)));
        }}
      >
        <div className="flex-1 space-y-1">
          <label htmlFor="enrol-file" className="block text-sm text-slate-700">
            或上传名单（.xlsx / .csv，含“身份证件号码”列）
          </label>
          <input id="enrol-file" name="file" type="file" accept=".xlsx,.csv" required className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" />
        </div>
        <button type="submit" className="btn-secondary" disabled={pending}>
          导入名单
        </button>
      </form>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      {refused && !refused.ok && (
        <div className="rounded-md border border-red-200" data-testid="enrol-errors">
          <p className="border-b border-red-200 bg-red-50 p-2 text-sm text-red-700">
            名单共 {refused.rows} 行，发现 {refused.totalErrors} 处问题，未报名任何人。请修改后重新提交。
          </p>
          <RowErrorsTable errors={refused.errors} />
        </div>
      )}
    </section>
  );
}
