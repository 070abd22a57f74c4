'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { registerTeachersAction, requestTeacherCredentialSheetAction } from '@/lib/teachers/credential-actions';
import { FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { RowErrorsTable } from '@/components/ui/row-errors-table';
import type { RegistrationRowError } from '@/lib/teachers/schemas';

function download(base64: string, fileName: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

export function TeacherAccounts({ pending: pendingCount, children }: { pending: number; children?: React.ReactNode }) {
  const router = useRouter();
  const [busy, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [errors, setErrors] = useState<{ rows: number; errors: RegistrationRowError[] } | null>(null);

  const register = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setMessage(null);
    setErrors(null);
    startTransition(async () => {
      const result = await uploadWith(registerTeachersAction, data);
      if (!result.ok) return setMessage({ tone: 'error', text: result.fieldErrors?.file?.[0] ?? result.message });
      if (!result.data.ok) return setErrors(result.data);
      download(result.data.sheetBase64, '教师账号分发表.xlsx');
      setMessage({ tone: 'success', text: `已创建 ${result.data.count} 位教师及其账号，账号分发表已下载。初始密码仅此一次，请妥善保管。` });
    });
  };

  const issue = () => {
    setMessage(null);
    startTransition(async () => {
      const result = await requestTeacherCredentialSheetAction({});
      if (!result.ok) return setMessage({ tone: 'error', text: result.message });
      setMessage({ tone: 'success', text: '已提交，正在后台生成初始密码和分发表，完成后在下方“我的分发表”中下载（仅可下载一次，下载时密码生效）。' });
      router.refresh();
    });
  };

  return (
    <div className="space-y-4">
      <FormAlert tone={message?.tone} message={message?.text} />
      <section className="card space-y-3 p-4">
        <h2 className="font-semibold">批量创建教师账号</h2>
        <p className="text-sm text-slate-600">按模板填写姓名、性别、出生日期、证件类型和号码等，逐行校验无误后一次创建，并生成每位教师的初始密码。</p>
        <a href="/teachers/accounts/template" className="btn-secondary">下载模板</a>
        <form onSubmit={register} className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1 space-y-1">
            <label htmlFor="registration-file" className="block text-sm font-medium text-slate-700">教师名单（.xlsx 或 .csv，最多 2,000 行）</label>
            <input id="registration-file" name="file" type="file" accept=".xlsx,.csv" required className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" />
          </div>
          <button type="submit" className="btn-primary" disabled={busy}>{busy ? '正在处理…' : '校验并创建'}</button>
        </form>
        {errors && (
          <div className="rounded border border-red-200" data-testid="registration-errors">
            <p className="border-b border-red-200 bg-red-50 p-2 text-sm text-red-700">共 {errors.rows} 行，发现 {errors.errors.length} 处错误，未创建任何教师。</p>
            <RowErrorsTable errors={errors.errors} />
          </div>
        )}
      </section>
      <section className="card space-y-3 p-4">
        <h2 className="font-semibold">发放初始密码</h2>
        <p className="text-sm text-slate-600">
          通过“教师信息导入”新增的教师还没有登录密码。本校目前有 <span className="font-semibold tabular-nums" data-testid="pending-credentials">{pendingCount}</span> 位教师未发放，每次最多为 2,000 位生成。
        </p>
        <button type="button" className="btn-primary" onClick={issue} disabled={busy || pendingCount === 0}>生成初始密码和分发表</button>
        {children}
      </section>
    </div>
  );
}
