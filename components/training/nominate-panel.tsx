'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { RowErrorsTable, type RowError } from '@/components/ui/row-errors-table';
import { nominateAction } from '@/lib/training/actions';

/** 学校推荐参训教师: a school ticks its own teachers for a project open for nomination above it. */
export function NominatePanel({ projectId, teachers }: { projectId: number; teachers: { id: number; name: string }[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<number[]>([]);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [refused, setRefused] = useState<RowError[] | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <section className="card space-y-3 p-4" aria-labelledby="nominate-title">
      <h2 id="nominate-title" className="text-sm font-semibold text-slate-700">
        推荐本校教师参训
      </h2>
      <fieldset className="grid max-h-64 grid-cols-2 gap-1 overflow-auto sm:grid-cols-4">
        <legend className="sr-only">本校教师</legend>
        {teachers.map((teacher) => (
          <label key={teacher.id} className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={chosen.includes(teacher.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, teacher.id] : chosen.filter((id) => id !== teacher.id))} />
            {teacher.name}
          </label>
        ))}
      </fieldset>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      {refused && <RowErrorsTable errors={refused.map((error) => ({ ...error, column: '教师', value: teachers.find((t) => String(t.id) === error.value)?.name ?? error.value }))} />}
      <button
        type="button"
        className="btn-primary"
        disabled={pending || chosen.length === 0}
        onClick={() =>
          startTransition(async () => {
            setMessage(null);
            setRefused(null);
            const result = await nominateAction({ projectId, teacherIds: chosen });
            if (!result.ok) return setMessage({ tone: 'error', text: result.message });
            if (!result.data.ok) {
              setRefused(result.data.errors);
              return setMessage({ tone: 'error', text: '有教师不能推荐，未推荐任何人' });
            }
            setChosen([]);
            setMessage({ tone: 'success', text: `已推荐 ${result.data.enrolled} 人` });
            router.refresh();
          })
        }
      >
        推荐所选教师（{chosen.length}）
      </button>
    </section>
  );
}
