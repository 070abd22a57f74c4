import { maskIdNumber } from '@/lib/reference/id-number';
import type { Actor } from './actor';
import { competentAuthorityOf } from './relations';

/**
 * The one rule for seeing a full ID number, wherever it appears (record page, export, history, audit,
 * API): the teacher themself, or the sysadmin or information manager of the teacher's own school or
 * of that school's competent authority. Everyone else sees it masked. Client-safe.
 */
export function mayViewFullIdNumber(actor: Pick<Actor, 'role' | 'unitId' | 'accountId'>, teacher: { unitId: number; unitParentId: number | null; accountId?: number | null }): boolean {
  if (actor.role === 'teacher') return teacher.accountId != null && teacher.accountId === actor.accountId;
  if (!holdsFullIdRight(actor)) return false;
  return actor.unitId === teacher.unitId || actor.unitId === competentAuthorityOf({ parentId: teacher.unitParentId });
}

/** Staff roles that can see full numbers at all (for the teachers of their school or its schools). */
export function holdsFullIdRight(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'manager' || actor.role === 'sysadmin';
}

/** Fields that identify the person and are masked in every diff, version and timeline view. */
const identityFields = new Set(['idNumber']);

function maskValue(value: unknown): unknown {
  return typeof value === 'string' && value ? maskIdNumber(value) : value;
}

/**
 * A diff as lists show it: identity fields masked. Diffs are never a way to reveal the number; the
 * record page's audited reveal is.
 */
export function maskIdentityInDiff<D extends { field: string; oldValue: unknown; newValue: unknown }>(diffs: D[]): D[] {
  return diffs.map((d) => (identityFields.has(d.field) ? { ...d, oldValue: maskValue(d.oldValue), newValue: maskValue(d.newValue) } : d));
}
