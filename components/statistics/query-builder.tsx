'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { CodeMultiSelect } from '@/components/forms/code-select';
import { startCombinedQueryAction } from '@/lib/combined-query/actions';
import { encodeCondition, operatorFor, queryFieldOf, queryFields, type QueryCondition } from '@/lib/statistics/query-builder';

/**
 * Rows of field + value(s); the query goes into the URL (cond=…) so the result can be shared and exported. 查询 asks the
 * server first: what the statistics cannot answer at once starts a run in the background, whose id joins the URL.
 */
export function QueryBuilder({ initial, scope, unitId }: { initial: QueryCondition[]; scope: 'official' | 'all'; unitId?: number }) {
  const router = useRouter();
  const [conditions, setConditions] = useState<QueryCondition[]>(initial.length ? initial : [{ field: 'gender', op: 'in', values: [] }]);
  const [official, setOfficial] = useState(scope === 'official');
  const update = (i: number, next: Partial<QueryCondition>) => setConditions((list) => list.map((c, j) => (j === i ? { ...c, ...next } : c)));
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () => {
    const cond = conditions.filter((condition) => condition.values.some((v) => v !== '')).map(encodeCondition);
    const params = new URLSearchParams();
    if (unitId) params.set('unit', String(unitId));
    if (!official) params.set('scope', 'all');
    for (const item of cond) params.append('cond', item);
    setError(null);
    startTransition(async () => {
      const result = await startCombinedQueryAction({ unitId, scope: official ? 'official' : 'all', cond });
      if (!result.ok) return setError(result.fieldErrors?.cond?.[0] ?? result.message);
      if (result.data.runId) params.set('run', result.data.runId);
      router.push(`/statistics/query?${params}`);
    });
  };
  return (
    <form
      className="card space-y-3 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        run();
      }}
      data-testid="query-builder"
    >
      {conditions.map((condition, i) => {
        const field = queryFieldOf(condition.field)!;
        const id = `cond-${i}`;
        return (
          <div key={i} className="grid gap-2 sm:grid-cols-[12rem_1fr_auto] sm:items-center" data-testid="query-condition">
            <select
              aria-label={`条件 ${i + 1} 的指标`}
              className="input"
              value={condition.field}
              onChange={(e) => {
                const next = queryFieldOf(e.target.value)!;
                update(i, { field: next.key, op: operatorFor(next), values: [] });
              }}
            >
              {queryFields.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
            </select>
            {condition.op === 'in' && (
              <CodeMultiSelect id={id} ariaLabel={`条件 ${i + 1}：${field.label}（可多选）`} options={field.options} value={condition.values} onChange={(values) => update(i, { values })} />
            )}
            {condition.op === 'contains' && <input id={id} aria-label={`${field.label}包含`} className="input" value={condition.values[0] ?? ''} onChange={(e) => update(i, { values: [e.target.value] })} placeholder="包含的文字" />}
            {condition.op === 'between' && (
              <div className="flex items-center gap-2">
                {(['从', '至'] as const).map((word, k) => (
                  <input
                    key={word}
                    aria-label={`${field.label}${word}`}
                    type={field.type === 'date' ? 'date' : field.type === 'month' ? 'month' : 'number'}
                    className="input"
                    value={condition.values[k] ?? ''}
                    onChange={(e) => {
                      const values = [condition.values[0] ?? '', condition.values[1] ?? ''];
                      values[k] = e.target.value;
                      update(i, { values });
                    }}
                  />
                ))}
              </div>
            )}
            <button type="button" className="btn-secondary" onClick={() => setConditions((list) => list.filter((_, j) => j !== i))} aria-label={`删除条件 ${i + 1}`}>
              删除
            </button>
          </div>
        );
      })}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" onClick={() => setConditions((list) => [...list, { field: 'ethnicGroup', op: 'in', values: [] }])} disabled={conditions.length >= 10}>
          + 添加条件
        </button>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={official} onChange={(e) => setOfficial(e.target.checked)} className="h-4 w-4" />
          仅正式数据（已生效）
        </label>
        <button type="submit" className="btn-primary" data-testid="query-run" disabled={pending}>{pending ? '查询中…' : '查询'}</button>
      </div>
      {error && <p className="text-sm text-rose-700" role="alert" data-testid="query-error">{error}</p>}
      <p className="text-xs text-slate-500">多个条件同时满足；同一条件选择多个代码时满足其一即可。</p>
    </form>
  );
}
