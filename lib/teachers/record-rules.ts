import type { Actor } from '@/lib/auth/actor';
import type { StoredValue } from '@/lib/db/schema';
import { ValidationError } from '@/lib/errors';
import { buildSubsetSchema, compactValues, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveCatalogue, EffectiveSubset } from '@/lib/indicators/settings';
import { can } from '@/lib/auth/policy';
import type { ScopedTeacher } from './schemas';

/* Client-safe rules of the collection flows: which fields an actor may fill or ask to change, and how values are checked. */

/** The fields of a list subset the actor may fill in a new entry after the record is effective. */
export function additionFields(actor: Actor, teacher: ScopedTeacher, subset: EffectiveSubset, selfFillable: string[]): EffectiveSubset['fields'] {
  if (teacher.transferOpen) return [];
  const input = subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity);
  if (actor.role === 'teacher' && teacher.accountId === actor.accountId) {
    const self = new Set(selfFillable);
    return input.filter((field) => self.has(field.id));
  }
  if (actor.role === 'manager' && actor.unitId === teacher.unitId) return input;
  return [];
}

export function validateValues(subset: EffectiveSubset, values: RecordValues, enforceRequired: boolean): Record<string, StoredValue> {
  const known = new Set(subset.fields.map((field) => field.key));
  const picked = Object.fromEntries(Object.entries(values).filter(([key]) => known.has(key)));
  const parsed = buildSubsetSchema(subset, { enforceRequired }).safeParse(picked);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
    throw new ValidationError('请检查标出的内容', fieldErrors);
  }
  return compactValues(parsed.data);
}

/** Fields the school manager may ask to change on an effective record (none for anyone else). */
/**
 * Effective records: the fields this actor may ask to change. The school's information manager may ask
 * about every input field; the teacher about their own record's fields the province lets teachers fill
 * (`selfFillable`), which the school reviews first.
 */
export function changeableFields(actor: Actor, teacher: Pick<ScopedTeacher, 'unitId' | 'recordState' | 'transferOpen' | 'accountId'>, subset: EffectiveSubset, selfFillable: string[]): string[] {
  if (teacher.transferOpen || teacher.recordState !== 'effective') return [];
  // 人员状态 of an effective record changes through 在职情况变动 (its date, reason and 文号), not a change request.
  const input = subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity && field.key !== 'personnelStatus');
  if (actor.role === 'teacher') {
    if (teacher.accountId !== actor.accountId) return [];
    const self = new Set(selfFillable);
    return input.filter((field) => self.has(field.id)).map((field) => field.key);
  }
  if (!can(actor, 'record.fileChange') || actor.unitId !== teacher.unitId) return [];
  return input.map((field) => field.key);
}

/** Which fields of a subset this actor may write on this record; an empty set means read-only. */
export function editableFields(actor: Actor, teacher: ScopedTeacher, subset: EffectiveSubset, catalogue: EffectiveCatalogue): Set<string> {
  if (teacher.recordState !== 'draft') return new Set();
  const inputFields = subset.fields.filter((field) => field.type !== 'photo' && !field.derived && !field.identity);
  if (actor.role === 'teacher' && teacher.accountId === actor.accountId) {
    const self = new Set(catalogue.selfFillable);
    return new Set(inputFields.filter((field) => self.has(field.id)).map((field) => field.key));
  }
  if (can(actor, 'teacher.edit')) return new Set(inputFields.map((field) => field.key));
  return new Set();
}
