'use client';

/** The required reason of a change request, under the changed fields. */
export function ChangeReasonField({ id, value, onChange, error }: { id: string; value: string; onChange: (value: string) => void; error: string | null }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        变更原因 <span className="text-red-600">*</span>
      </label>
      <textarea id={id} className="input min-h-20" value={value} onChange={(e) => onChange(e.target.value)} maxLength={500} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} />
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
