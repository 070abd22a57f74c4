'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { uploadWith } from '@/components/forms/upload';
import { RowErrorsTable, type RowError } from '@/components/ui/row-errors-table';
import { importResultsAction, saveResultsAction, submitResultsAction } from '@/lib/training/actions';
import { TableFrame } from '@/components/ui/table-frame';

interface OpenRow {
  id: number;
  teacherName: string;
  teacherIdMasked: string;
  schoolName: string;
  state: 'enrolled' | 'returned' | 'submitted' | 'confirmed';
  attendedHours: number | null;
  passed: boolean | null;
  score: number | null;
  certificateNo: string | null;
  returnReason: string | null;
}

type Draft = { attendedHours: string; passed: '' | '1' | '0'; score: string; certificateNo: string };
type ImportOutcome = { ok: true; rows: number; applied: boolean; passed: number; failed: number } | { ok: false; rows: number; errors: RowError[]; totalErrors: number; errorFile: string };

const draftOf = (row: OpenRow): Draft => ({ attendedHours: row.attendedHours === null ? '' : String(row.attendedHours), passed: row.passed === null ? '' : row.passed ? '1' : '0', score: row.score === null ? '' : String(row.score), certificateNo: row.certificateNo ?? '' });

function download(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The institution's results: entered online or by spreadsheet (checked first, then imported), then submitted. */
export function ResultsPanel({ projectId, projectCode, rows, ended, endDate, ready }: { projectId: number; projectCode: string; rows: OpenRow[]; ended: boolean; endDate: string; ready: number }) {
  const router = useRouter();
  const [drafts, setDrafts] = useState<Record<number, Draft>>(() => Object.fromEntries(rows.map((row) => [row.id, draftOf(row)])));
  // After an import or a save the page refreshes: the inputs take the results as stored.
  const stored = rows.map((row) => `${row.id}:${row.attendedHours}:${row.passed}:${row.score}:${row.certificateNo}`).join('|');
  useEffect(() => {
    setDrafts(Object.fromEntries(rows.map((row) => [row.id, draftOf(row)])));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `stored` is the rows' content
  }, [stored]);
  const [message, setMessage] = useState<{ tone: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [pending, startTransition] = useTransition();
  if (!ended) return <p className="card p-4 text-sm text-slate-600">项目 {endDate} 结束后可填报考核结果。</p>;

  const draft = (row: OpenRow) => drafts[row.id] ?? draftOf(row);
  const set = (row: OpenRow, patch: Partial<Draft>) => setDrafts((all) => ({ ...all, [row.id]: { ...(all[row.id] ?? draftOf(row)), ...patch } }));
  const filled = rows.filter((row) => draft(row).attendedHours !== '' || draft(row).passed !== '');
  const save = () =>
    startTransition(async () => {
      setMessage(null);
      setFieldErrors({});
      const result = await saveResultsAction({ projectId, results: filled.map((row) => ({ participantId: row.id, ...draft(row) })) });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        return setMessage({ tone: 'error', text: result.message });
      }
      setMessage({ tone: 'success', text: `已保存 ${result.data.saved} 条考核结果` });
      router.refresh();
    });
  const upload = (apply: boolean) =>
    startTransition(async () => {
      if (!file) return setMessage({ tone: 'error', text: '请选择要导入的文件' });
      setMessage(null);
      setOutcome(null);
      const data = new FormData();
      data.set('projectId', String(projectId));
      data.set('file', file);
      data.set('apply', apply ? '1' : '0');
      const result = await uploadWith(importResultsAction, data);
      if (!result.ok) return setMessage({ tone: 'error', text: result.fieldErrors?.file?.[0] ?? result.message });
      setOutcome(result.data);
      if (result.data.ok && result.data.applied) {
        setMessage({ tone: 'success', text: `已导入 ${result.data.rows} 条考核结果（合格 ${result.data.passed}，不合格 ${result.data.failed}）` });
        setFile(null);
        router.refresh();
      }
    });
  const submit = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await submitResultsAction({ projectId });
      if (!result.ok) return setMessage({ tone: 'error', text: result.message });
      setMessage({ tone: 'success', text: `已提交 ${result.data.participants} 人的考核结果，待 ${result.data.submissions} 个教育行政部门确认学分` });
      router.refresh();
    });
  const rowError = (index: number) => Object.entries(fieldErrors).find(([key]) => key.startsWith(`results.${index}.`))?.[1]?.[0];

  return (
    <section className="card space-y-4 p-4" aria-labelledby="results-title">
      <h2 id="results-title" className="text-sm font-semibold text-slate-700">
        填报考核结果 <span className="font-normal text-slate-500">（待填报或退回修改 {rows.length} 人）</span>
      </h2>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      <div className="space-y-2 rounded-md border border-slate-200 p-3">
        <p className="text-sm text-slate-700">
          按模板导入：
          <a href={`/training/projects/${projectId}/results-template`} className="text-brand-700 underline" download>
            下载考核结果模板
          </a>
          （已填入参训编号、姓名、脱敏证件号码和学校；也可用“身份证件号码”列代替参训编号）
        </p>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <label className="flex-1 text-sm text-slate-700">
            <span className="sr-only">考核结果文件</span>
            <input type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-brand-700" data-testid="results-file" />
          </label>
          <button type="button" className="btn-secondary" disabled={pending || !file} onClick={() => upload(false)} data-testid="results-check">
            校验文件
          </button>
          <button type="button" className="btn-primary" disabled={pending || !file || !outcome?.ok} onClick={() => upload(true)} data-testid="results-import">
            确认导入
          </button>
        </div>
        {outcome?.ok && !outcome.applied && <FormAlert tone="info" message={`校验通过：共 ${outcome.rows} 行（合格 ${outcome.passed}，不合格 ${outcome.failed}）。尚未写入，请点击“确认导入”。`} />}
        {outcome && !outcome.ok && (
          <div className="rounded-md border border-red-200" data-testid="results-errors">
            <p className="flex flex-wrap items-center gap-2 border-b border-red-200 bg-red-50 p-2 text-sm text-red-700">
              文件共 {outcome.rows} 行，发现 {outcome.totalErrors} 处错误，未导入任何数据。
              <button type="button" className="underline" onClick={() => download(outcome.errorFile, `${projectCode}-考核结果错误.xlsx`)}>
                下载错误文件
              </button>
            </p>
            <RowErrorsTable errors={outcome.errors} />
          </div>
        )}
      </div>
      {rows.length > 0 && (
        <TableFrame label="培训结果录入" card={false}>
          <table className="w-full text-sm" data-testid="results-table">
            <thead className="table-head">
              <tr>
                <th className="px-2 py-2">教师</th>
                <th className="px-2 py-2">学校</th>
                <th className="px-2 py-2">实际学时</th>
                <th className="px-2 py-2">考核结果</th>
                <th className="px-2 py-2">成绩</th>
                <th className="px-2 py-2">结业证书编号</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => {
                const index = filled.indexOf(row);
                const error = index >= 0 ? rowError(index) : undefined;
                return (
                  <tr key={row.id} className={row.state === 'returned' ? 'bg-amber-50/60' : undefined}>
                    <td className="px-2 py-2">
                      {row.teacherName}
                      <span className="block text-xs text-slate-500">{row.teacherIdMasked}</span>
                      {row.returnReason && <span className="block text-xs text-amber-800">退回：{row.returnReason}</span>}
                      {error && (
                        <span className="block text-xs text-red-600" role="alert">
                          {error}
                        </span>
                      )}
                    </td>
                    <td className="px-2 py-2">{row.schoolName}</td>
                    <td className="px-2 py-2">
                      <input aria-label={`${row.teacherName}的实际学时`} inputMode="decimal" className="input w-24" value={draft(row).attendedHours} onChange={(e) => set(row, { attendedHours: e.target.value })} />
                    </td>
                    <td className="px-2 py-2">
                      <select aria-label={`${row.teacherName}的考核结果`} className="input w-28" value={draft(row).passed} onChange={(e) => set(row, { passed: e.target.value as Draft['passed'] })}>
                        <option value="">请选择</option>
                        <option value="1">合格</option>
                        <option value="0">不合格</option>
                      </select>
                    </td>
                    <td className="px-2 py-2">
                      <input aria-label={`${row.teacherName}的成绩`} inputMode="decimal" className="input w-20" value={draft(row).score} onChange={(e) => set(row, { score: e.target.value })} />
                    </td>
                    <td className="px-2 py-2">
                      <input aria-label={`${row.teacherName}的结业证书编号`} className="input w-40" value={draft(row).certificateNo} onChange={(e) => set(row, { certificateNo: e.target.value })} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableFrame>
      )}
      <div className="flex flex-wrap justify-end gap-2">
        {rows.length > 0 && (
          <button type="button" className="btn-secondary" disabled={pending || filled.length === 0} onClick={save} data-testid="results-save">
            保存考核结果
          </button>
        )}
        <button type="button" className="btn-primary" disabled={pending || ready === 0} onClick={submit} data-testid="results-submit">
          提交考核结果（{ready} 人）
        </button>
      </div>
    </section>
  );
}
