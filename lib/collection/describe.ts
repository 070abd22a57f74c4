import type { FieldDiff, StoredValue } from '@/lib/db/schema';
import { displayValue } from '@/lib/indicators/form-schema';
import type { EffectiveCatalogue } from '@/lib/indicators/settings';

/** Client-safe. A diff line in words: labels instead of keys, code names instead of codes. */
export interface DescribedChange {
  subsetLabel: string;
  fieldLabel: string;
  entryId: number | null;
  oldText: string;
  newText: string;
}

function fieldOf(catalogue: EffectiveCatalogue, subsetKey: string, fieldKey: string) {
  const subset = catalogue.subsets.find((s) => s.key === subsetKey);
  return { subsetLabel: subset?.label ?? subsetKey, field: subset?.fields.find((f) => f.key === fieldKey) };
}

function textOf(field: ReturnType<typeof fieldOf>['field'], value: StoredValue | null): string {
  if (value === null) return '';
  return field ? displayValue(field, value) : Array.isArray(value) ? value.join('、') : value;
}

export function describeDiff(catalogue: EffectiveCatalogue, diff: FieldDiff[]): DescribedChange[] {
  return diff.map((change) => {
    const { subsetLabel, field } = fieldOf(catalogue, change.subset, change.field);
    return { subsetLabel, fieldLabel: field?.label ?? change.field, entryId: change.entryId, oldText: textOf(field, change.oldValue), newText: textOf(field, change.newValue) };
  });
}

export function describeValues(catalogue: EffectiveCatalogue, subsetKey: string, values: Record<string, StoredValue>): { label: string; text: string }[] {
  return Object.entries(values).map(([key, value]) => {
    const { field } = fieldOf(catalogue, subsetKey, key);
    return { label: field?.label ?? key, text: textOf(field, value) };
  });
}

export function subsetLabelOf(catalogue: EffectiveCatalogue, subsetKey: string): string {
  return catalogue.subsets.find((s) => s.key === subsetKey)?.label ?? subsetKey;
}
