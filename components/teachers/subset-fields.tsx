'use client';

import { Controller, type Control, type FieldErrors } from 'react-hook-form';
import { CodeMultiSelect, CodeSelect } from '@/components/forms/code-select';
import { displayValue, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveField, EffectiveSubset } from '@/lib/indicators/settings';

const inputTypes: Partial<Record<EffectiveField['type'], string>> = { date: 'date', month: 'month' };

/**
 * The inputs of one subset. Fields the actor may not write are shown as text with who fills them,
 * so a teacher sees the whole record but edits only what the province opened to them.
 */
/** Where a computed value comes from, so that nobody looks for the field to type it in. */
const derivedNotes: Record<string, string> = {
  birthDate: '居民身份证号码的出生日期；其他证件按登记时填写',
  highestEducation: '系统取“学习经历”中最高的学历',
  highestDegree: '系统取“学习经历”中最高的学位',
  credits: '由已确认的培训学时按本省规则折算',
};

export function SubsetFields({
  subset,
  editable,
  control,
  errors,
  values,
  idPrefix,
  readOnlyNote,
}: {
  subset: EffectiveSubset;
  editable: Set<string>;
  control: Control<RecordValues>;
  errors: FieldErrors<RecordValues>;
  values: RecordValues;
  idPrefix: string;
  readOnlyNote: string;
}) {
  return (
    <div className="grid gap-x-4 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
      {subset.fields
        .filter((field) => field.type !== 'photo')
        .map((field) => {
          const id = `${idPrefix}-${field.key}`;
          const error = errors[field.key]?.message as string | undefined;
          const describedBy = error ? `${id}-error` : undefined;
          const label = `${field.label}${field.required ? ' *' : ''}`;
          if (!editable.has(field.key)) {
            return (
              <div key={field.key} className="space-y-1" data-field={field.key}>
                <p className="text-sm font-medium text-slate-700">{field.label}</p>
                <p className="min-h-9 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">{displayValue(field, values[field.key]) || <span className="text-slate-500">未填写</span>}</p>
                <p className="text-xs text-slate-500">{field.derived ? (derivedNotes[field.key] ?? '系统计算生成') : readOnlyNote}</p>
              </div>
            );
          }
          return (
            <div key={field.key} className="space-y-1" data-field={field.key}>
              <label htmlFor={id} className="block text-sm font-medium text-slate-700">
                {label}
              </label>
              <Controller
                control={control}
                name={field.key}
                render={({ field: input }) => {
                  if (field.type === 'code' || field.type === 'boolean') {
                    return <CodeSelect id={id} options={field.options} value={typeof input.value === 'string' ? input.value : ''} onChange={input.onChange} invalid={!!error} describedBy={describedBy} />;
                  }
                  if (field.type === 'codes') {
                    return <CodeMultiSelect id={id} options={field.options} value={Array.isArray(input.value) ? input.value : []} onChange={input.onChange} invalid={!!error} describedBy={describedBy} />;
                  }
                  return (
                    <input
                      id={id}
                      className="input"
                      type={inputTypes[field.type] ?? 'text'}
                      inputMode={field.type === 'number' || field.type === 'year' ? 'decimal' : undefined}
                      placeholder={field.placeholder ?? (field.type === 'year' ? '如 2025' : undefined)}
                      aria-invalid={!!error || undefined}
                      aria-describedby={describedBy}
                      value={typeof input.value === 'string' ? input.value : ''}
                      onChange={input.onChange}
                      onBlur={input.onBlur}
                      name={input.name}
                      ref={input.ref}
                    />
                  );
                }}
              />
              {error && (
                <p id={`${id}-error`} className="text-xs text-red-600">
                  {error}
                </p>
              )}
            </div>
          );
        })}
    </div>
  );
}
