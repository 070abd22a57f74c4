'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { startCombinedQueryAction } from '@/lib/combined-query/actions';
import type { CombinedQueryInput } from '@/lib/combined-query/schemas';

/** Starts (or re-runs) a combined query in the background and shows its run. */
export function StartQueryRunButton({ input, label }: { input: CombinedQueryInput; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        data-testid="query-run-start"
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await startCombinedQueryAction(input);
            if (!result.ok) return setError(result.message);
            const params = new URLSearchParams();
            if (input.unitId) params.set('unit', String(input.unitId));
            if (input.scope === 'all') params.set('scope', 'all');
            for (const item of input.cond) params.append('cond', item);
            if (result.data.runId) params.set('run', result.data.runId);
            router.push(`/statistics/query?${params}`);
          })
        }
      >
        {pending ? '提交中…' : label}
      </button>
      {error && <span className="text-rose-700" role="alert">{error}</span>}
    </span>
  );
}
