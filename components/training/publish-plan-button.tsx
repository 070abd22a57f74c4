'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { publishPlanAction } from '@/lib/training/actions';

export function PublishPlanButton({ year, published }: { year: number; published: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-primary"
        disabled={pending}
        data-testid="plan-publish"
        onClick={() =>
          startTransition(async () => {
            const result = await publishPlanAction({ year });
            if (!result.ok) return setMessage({ tone: 'error', text: result.message });
            setMessage({ tone: 'success', text: `${year} 年培训计划已发布，下级单位可以查看` });
            router.refresh();
          })
        }
      >
        {published ? '重新发布' : '发布培训计划'}
      </button>
      {message && <FormAlert tone={message.tone} message={message.text} />}
    </div>
  );
}
