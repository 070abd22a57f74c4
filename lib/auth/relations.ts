import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor, UnitKind } from './actor';
import { can, type Permission } from './policy';
import { inJurisdiction } from './scope';

/**
 * The one home of the rules that relate an actor to a unit or a case: services, page guards, the UI's
 * "may" flags and inbox sources all call these. Client-safe apart from the SQL helpers, which only
 * build fragments.
 */

/** Seed 四: a school (or a lower authority) answers to the unit directly above it, its competent authority. */
export function competentAuthorityOf(unit: { parentId: number | null }): number | null {
  return unit.parentId;
}

/** The actor's unit is the competent authority of the given unit. */
export function isCompetentAuthorityOf(actor: Pick<Actor, 'unitId' | 'unitKind'>, unit: { parentId: number | null }): boolean {
  return actor.unitKind === 'authority' && competentAuthorityOf(unit) === actor.unitId;
}

/** SQL twin of isCompetentAuthorityOf, on the column holding the unit's parent id. */
export function competentAuthorityIsActor(actor: Pick<Actor, 'unitId'>, parentIdColumn: AnyPgColumn | SQL): SQL {
  return sql`${parentIdColumn} = ${actor.unitId}`;
}

/** A party of a case: a unit that acts at some step (the receiving school, the sending school's authority …) and the right it takes. */
export interface CaseParty {
  unitId: number | null;
  kind: UnitKind;
  permission: Permission;
  /** A party that is one account, not a unit's staff (the teacher who filed). */
  accountId?: number;
}

/**
 * Whether the actor may take a step that belongs to the given party: staff of the party's own unit
 * holding the step's right; nobody above, beside or below it. A party that does not exist (no
 * province above a ministry school) has no one who may act.
 */
export function mayAct(actor: Actor, party: CaseParty | null): boolean {
  if (!party || party.unitId === null) return false;
  return actor.unitKind === party.kind && actor.unitId === party.unitId && can(actor, party.permission) && (party.accountId === undefined || party.accountId === actor.accountId);
}

/**
 * A case with several parties is seen by the staff of each party through their own jurisdiction (a
 * county sees the transfers of its schools, the ministry all of them); nobody else finds it.
 */
export function caseVisibleTo(actor: Actor, partyPaths: (AnyPgColumn | SQL)[]): SQL {
  if (!can(actor, 'unit.browse')) return sql`false`;
  return sql`(${sql.join(partyPaths.map((path) => inJurisdiction(actor, path)), sql` or `)})`;
}
