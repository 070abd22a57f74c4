'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/result';

/** A button that runs one server action and shows its error beside it; the page refreshes on success. */
export function ActionButton<T>({ action, label, pendingLabel, className = 'btn-secondary', confirm, testId }: { action: () => Promise<ActionResult<T>>; label: string; pendingLabel?: string; className?: string; confirm?: string; testId?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        className={className}
        disabled={pending}
        data-testid={testId}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          setError(null);
          startTransition(async () => {
            const result = await action();
            if (!result.ok) setError(result.message);
            else router.refresh();
          });
        }}
      >
        {pending ? (pendingLabel ?? '处理中…') : label}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
