/** Client-safe shapes of versions and diffs (the workflow tables store them as jsonb). */
export type StoredFieldValue = string | string[];

export interface VersionSnapshot {
  record: Record<string, Record<string, StoredFieldValue>>;
  entries: Record<string, { id: number; values: Record<string, StoredFieldValue> }[]>;
}

export interface FieldDiff {
  subset: string;
  /** The entry of a list subset; null for 基本信息 and 联系方式. */
  entryId: number | null;
  field: string;
  oldValue: StoredFieldValue | null;
  newValue: StoredFieldValue | null;
}
