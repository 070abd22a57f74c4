'use client';

import { useState, useTransition } from 'react';
import { importSchoolListAction } from '@/lib/schools/actions';
import { FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { RowErrorsTable } from '@/components/ui/row-errors-table';
import type { SchoolImportOutcome } from '@/lib/schools/schemas';

export function SchoolImportForm() {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SchoolImportOutcome | null>(null);

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    setMessage(null);
    setOutcome(null);
    startTransition(async () => {
      const result = await uploadWith(importSchoolListAction, formData);
      if (!result.ok) {
        setMessage(result.fieldErrors?.file?.[0] ?? result.message);
        return;
      }
      setOutcome(result.data);
    });
  };

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="card flex flex-col gap-3 p-4 sm:flex-row sm:items-end">
        <div className="flex-1 space-y-1">
          <label htmlFor="school-file" className="block text-sm font-medium text-slate-700">
            学校名单文件（.xlsx 或 .csv）
          </label>
          <input id="school-file" name="file" type="file" accept=".xlsx,.csv" required className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" />
        </div>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? '正在校验并导入…' : '校验并导入'}
        </button>
      </form>
      <FormAlert message={message} />
      {outcome?.ok && (
        <div data-testid="import-summary">
          <FormAlert
            tone="success"
            message={`导入完成：共 ${outcome.summary.rows} 行，新增 ${outcome.summary.created} 所，变更 ${outcome.summary.updated} 所，撤销 ${outcome.summary.closed} 所，恢复 ${outcome.summary.reopened} 所，无变化 ${outcome.summary.unchanged} 所。`}
          />
        </div>
      )}
      {outcome && !outcome.ok && (
        <section className="card" data-testid="import-errors">
          <p className="border-b border-slate-200 p-3 text-sm text-red-700">
            文件共 {outcome.rows} 行，发现 {outcome.totalErrors} 处错误，未导入任何数据。请修改后重新上传。
            {outcome.totalErrors > outcome.errors.length && `（仅列出前 ${outcome.errors.length} 处）`}
          </p>
          <RowErrorsTable errors={outcome.errors} />
        </section>
      )}
    </div>
  );
}
