import type { FieldDiff, StoredValue, VersionSnapshot } from '@/lib/db/schema';

/** Client-safe. Field-level differences between two versions of a record (the first against nothing). */
export function diffSnapshots(before: VersionSnapshot | null, after: VersionSnapshot): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const subsets = new Set([...Object.keys(before?.record ?? {}), ...Object.keys(after.record)]);
  for (const subset of subsets) diffs.push(...diffValues(subset, null, before?.record[subset] ?? {}, after.record[subset] ?? {}));
  const listSubsets = new Set([...Object.keys(before?.entries ?? {}), ...Object.keys(after.entries)]);
  for (const subset of listSubsets) {
    const old = new Map((before?.entries[subset] ?? []).map((entry) => [entry.id, entry.values]));
    const next = new Map((after.entries[subset] ?? []).map((entry) => [entry.id, entry.values]));
    for (const id of new Set([...old.keys(), ...next.keys()])) diffs.push(...diffValues(subset, id, old.get(id) ?? {}, next.get(id) ?? {}));
  }
  return diffs;
}

export function diffValues(subset: string, entryId: number | null, before: Record<string, StoredValue>, after: Record<string, StoredValue>): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const oldValue = before[field] ?? null;
    const newValue = after[field] ?? null;
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue)) diffs.push({ subset, entryId, field, oldValue, newValue });
  }
  return diffs;
}
