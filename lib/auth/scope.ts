import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from './actor';

/**
 * The one place that turns an actor into a jurisdiction filter on unit paths.
 * Staff see their own unit and everything below it; teachers and institutions only their own unit.
 * Rows outside the filter are simply not found.
 */
export function inJurisdiction(actor: Actor, pathColumn: AnyPgColumn | SQL): SQL {
  if (actor.role === 'teacher' || actor.role === 'institution') {
    return sql`${pathColumn} = ${actor.unitPath}::ltree`;
  }
  return sql`${pathColumn} <@ ${actor.unitPath}::ltree`;
}

/** True when the given unit path lies inside the actor's jurisdiction (for paths already loaded). */
export function pathInJurisdiction(actor: Actor, path: string): boolean {
  if (actor.role === 'teacher' || actor.role === 'institution') return path === actor.unitPath;
  return path === actor.unitPath || path.startsWith(`${actor.unitPath}.`);
}

/**
 * Rows under one unit's subtree that carry a school id and the school's path (teachers). The scope unit
 * must already be checked against the actor's jurisdiction. The planner cannot estimate an ltree
 * subtree's size, and for a county or a school it would walk the whole table by id; naming the schools
 * lets the (unit_id, id) index serve there, while wide scopes keep the path.
 */
export function underUnit(scope: { id: number; path: string; tier: string }, columns: { unitId: AnyPgColumn | SQL; unitPath: AnyPgColumn | SQL }): SQL {
  if (scope.tier === 'school') return sql`${columns.unitId} = ${scope.id}`;
  if (scope.tier === 'county') return sql`${columns.unitId} in (select id from units where path <@ ${scope.path}::ltree)`;
  return sql`${columns.unitPath} <@ ${scope.path}::ltree`;
}

/**
 * The role of the account that represents a subordinate unit to the unit above it: its sysadmin,
 * or for a training institution (which has no sysadmin) its one submitting account.
 */
export const subordinateHeadRoles = ['sysadmin', 'institution'] as const;

/** The accounts of a unit that the sysadmin above manages: its head and its security auditor (三员分立). */
const managedFromAboveRoles = sql.raw([...subordinateHeadRoles, 'auditor'].map((role) => `'${role}'`).join(', '));

/**
 * Accounts a sysadmin manages (seed 四(二)): every account of its own unit, and the head accounts
 * (sysadmin or institution) of the units directly below it. Its own unit's security auditor is the
 * exception (三员分立): the sysadmin above manages it, so that nobody can take over the account
 * that reviews their own actions; the ministry's auditor is issued from the server console.
 * Needs `units` joined on the account's unit.
 */
export function accountsManagedBy(
  actor: Actor,
  columns: { accountUnitId: AnyPgColumn | SQL; accountRole: AnyPgColumn | SQL; unitParentId: AnyPgColumn | SQL },
): SQL {
  if (actor.role !== 'sysadmin') return sql`false`;
  return sql`((${columns.accountUnitId} = ${actor.unitId} and ${columns.accountRole} <> 'auditor') or (${columns.accountRole} in (${managedFromAboveRoles}) and ${columns.unitParentId} = ${actor.unitId}))`;
}

/**
 * The ids of the accounts `accountsManagedBy` admits, as two index lookups (the own unit's accounts, the head accounts of
 * the units directly below): a list ordered by name would otherwise test the predicate on every account of the nation.
 */
export function accountIdsManagedBy(actor: Actor): SQL {
  if (actor.role !== 'sysadmin') return sql`(select null::int where false)`;
  return sql`(select id from accounts where unit_id = ${actor.unitId} and role <> 'auditor'
    union all select a.id from accounts a join units u on u.id = a.unit_id where u.parent_id = ${actor.unitId} and a.role in (${managedFromAboveRoles}))`;
}
