import { buildSubsetSchema, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveCatalogue } from '@/lib/indicators/settings';
import type { StoredValue, VersionSnapshot } from '@/lib/db/schema';

type StoredRecord = VersionSnapshot['record'];

/** Client-safe. One reason a record is not ready to be reported. */
export interface CompletenessProblem {
  subset: string;
  subsetLabel: string;
  /** Field key, or null when the subset as a whole is missing. */
  field: string | null;
  fieldLabel: string | null;
  /** Which entry of a list subset (1-based, in stored order). */
  entryNumber: number | null;
  message: string;
}

/**
 * 完整性检测 (seed 六(二)): every required field of the province configuration, the cross-field
 * rules, and at least one entry in the subsets that require one. Drafts may be saved incomplete; this
 * is what decides whether a record may be reported.
 */
export function checkCompleteness(
  catalogue: EffectiveCatalogue,
  record: StoredRecord,
  entries: Record<string, Record<string, StoredValue>[]>,
  today?: string,
): CompletenessProblem[] {
  return completenessChecker(catalogue, today)(record, entries);
}

/** The check with its schemas built once, for checking many records of one province and stage. */
export function completenessChecker(catalogue: EffectiveCatalogue, today?: string) {
  const checks = catalogue.subsets.map((subset) => ({
    subset,
    schema: buildSubsetSchema(subset, { enforceRequired: true, today }),
    labels: new Map(subset.fields.map((field) => [field.key, field.label])),
  }));
  return (record: StoredRecord, entries: Record<string, Record<string, StoredValue>[]>): CompletenessProblem[] => {
    const problems: CompletenessProblem[] = [];
    for (const { subset, schema, labels } of checks) {
      const report = (values: RecordValues, entryNumber: number | null) => {
        const parsed = schema.safeParse(values);
        if (parsed.success) return;
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '') || null;
          problems.push({ subset: subset.key, subsetLabel: subset.label, field, fieldLabel: field ? (labels.get(field) ?? field) : null, entryNumber, message: issue.message });
        }
      };
      if (!subset.multi) {
        report(record[subset.key] ?? {}, null);
        continue;
      }
      const list = entries[subset.key] ?? [];
      if (subset.requiresEntry && list.length === 0) {
        problems.push({ subset: subset.key, subsetLabel: subset.label, field: null, fieldLabel: null, entryNumber: null, message: `至少须填写一条${subset.label}` });
      }
      list.forEach((values, i) => report(values, i + 1));
    }
    return problems;
  };
}

/** "基本信息·民族：请选择" — one line per problem, for lists and spreadsheets. */
export function describeProblem(problem: CompletenessProblem): string {
  const where = [problem.subsetLabel, problem.entryNumber ? `第${problem.entryNumber}条` : null, problem.fieldLabel].filter(Boolean).join('·');
  return `${where}：${problem.message}`;
}
