import 'server-only';
import { and, asc, eq, gte, ilike, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { containsPattern } from '@/lib/db/like';
import { unitRollupParts, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { schoolTypes } from '@/lib/reference/school-types';

/** The counted fields of a unit's subtree totals (folded rows and deltas alike). */
export const rollupColumns = ['authorities', 'schools', 'closedSchools', 'institutions', 'accounts', 'teachers', 'recordsComplete', 'recordsSubmitted', 'recordsEffective', 'recordsReturned'] as const;
export type RollupTotals = Record<(typeof rollupColumns)[number], number>;

export function zeroRollupTotals(): RollupTotals {
  return Object.fromEntries(rollupColumns.map((column) => [column, 0])) as RollupTotals;
}

/** A unit's subtree totals are its folded row plus its pending deltas: these sums, in a select grouped by unit. */
export const rollupSums = Object.fromEntries(
  rollupColumns.map((column) => [column, sql<number>`coalesce(sum(${unitRollupParts[column]}), 0)::int`.mapWith(Number)]),
) as Record<(typeof rollupColumns)[number], SQL<number>>;

/** The subtree totals of these units (zeros for a unit with nothing counted yet). */
export async function rollupTotalsOf(executor: Executor, unitIds: number[]): Promise<Map<number, RollupTotals>> {
  const totals = new Map<number, RollupTotals>(unitIds.map((id) => [id, zeroRollupTotals()]));
  if (unitIds.length === 0) return totals;
  const rows = await executor
    .select({ unitId: unitRollupParts.unitId, ...rollupSums })
    .from(unitRollupParts)
    .where(inArray(unitRollupParts.unitId, unitIds))
    .groupBy(unitRollupParts.unitId);
  for (const { unitId, ...sums } of rows) totals.set(unitId, sums as RollupTotals);
  return totals;
}

export interface UnitSummary {
  id: number;
  code: string;
  name: string;
  kind: 'authority' | 'school' | 'institution';
  tier: 'central' | 'province' | 'city' | 'county' | 'school';
  status: 'active' | 'closed';
  schoolTypeName: string | null;
  stageName: string | null;
  ownership: 'public' | 'private' | null;
  divisionCode: string | null;
}

const summaryColumns = {
  id: units.id,
  code: units.code,
  name: units.name,
  kind: units.kind,
  tier: units.tier,
  status: units.status,
  schoolTypeCode: units.schoolTypeCode,
  ownership: units.ownership,
  divisionCode: units.divisionCode,
};

function toSummary(row: { schoolTypeCode: string | null } & Omit<UnitSummary, 'schoolTypeName' | 'stageName'>): UnitSummary {
  const { schoolTypeCode, ...rest } = row;
  const type = schoolTypeCode ? schoolTypes.get(schoolTypeCode) : undefined;
  return { ...rest, schoolTypeName: type?.name ?? null, stageName: type?.stageName ?? null };
}

export interface UnitCursor {
  kind: UnitSummary['kind'];
  code: string;
}

/** Direct children of a unit, keyset-paginated by (kind, code). Uses the (parent_id, kind, code) index. */
export async function listChildUnits(
  executor: Executor,
  options: { parentId: number; kind?: UnitSummary['kind']; after?: UnitCursor; limit: number },
): Promise<UnitSummary[]> {
  const conditions: SQL[] = [eq(units.parentId, options.parentId)];
  if (options.kind) conditions.push(eq(units.kind, options.kind));
  if (options.after) conditions.push(sql`(${units.kind}, ${units.code}) > (${options.after.kind}::unit_kind, ${options.after.code})`);
  const rows = await executor
    .select(summaryColumns)
    .from(units)
    .where(and(...conditions))
    .orderBy(asc(units.kind), asc(units.code))
    .limit(options.limit);
  return rows.map(toSummary);
}

/** Schools anywhere below the unit at `path`: one GiST index scan on the materialised path. */
export async function countSubtreeSchools(executor: Executor, path: string): Promise<number> {
  const [row] = await executor
    .select({ count: sql<number>`count(*)::int` })
    .from(units)
    .where(and(sql`${units.path} <@ ${path}::ltree`, eq(units.kind, 'school')));
  return row.count;
}

export interface UnitDetail extends UnitSummary {
  path: string;
  parentId: number | null;
  breadcrumb: { id: number; name: string; inScope: boolean }[];
  counts: { authorities: number; schools: number; activeSchools: number; institutions: number; accounts: number; closedSchools: number; teachers: number; recordsEffective: number; recordsSubmitted: number; recordsReturned: number };
  updatedAt: Date;
}

/** One unit in the actor's jurisdiction, with its breadcrumb and subtree counts; otherwise not found. */
export async function getUnitDetail(actor: Actor, unitId: number): Promise<UnitDetail> {
  assertCan(actor, 'unit.browse');
  const db = await getDb();
  const [unit] = await db
    .select({ ...summaryColumns, path: units.path, parentId: units.parentId, updatedAt: units.updatedAt })
    .from(units)
    .where(and(eq(units.id, unitId), inJurisdiction(actor, units.path)));
  if (!unit) throw new NotFoundError('单位不存在或不在您的管辖范围内');

  const ancestorIds = unit.path.split('.').map(Number);
  const [ancestors, totals] = await Promise.all([
    db.select({ id: units.id, name: units.name, path: units.path }).from(units).where(inArray(units.id, ancestorIds)),
    rollupTotalsOf(db, [unit.id]),
  ]);
  const rollup = totals.get(unit.id)!;
  const byId = new Map(ancestors.map((a) => [a.id, a]));
  const breadcrumb = ancestorIds.map((id) => {
    const ancestor = byId.get(id)!;
    return { id, name: ancestor.name, inScope: ancestor.path.length >= actor.unitPath.length };
  });
  const self = unit.kind === 'authority' ? 1 : 0;
  const counts = {
    authorities: Math.max(0, rollup.authorities - self),
    schools: rollup.schools,
    activeSchools: rollup.schools - rollup.closedSchools,
    closedSchools: rollup.closedSchools,
    institutions: rollup.institutions,
    accounts: rollup.accounts,
    teachers: rollup.teachers,
    recordsEffective: rollup.recordsEffective,
    recordsSubmitted: rollup.recordsSubmitted,
    recordsReturned: rollup.recordsReturned,
  };
  return { ...toSummary(unit), path: unit.path, parentId: unit.parentId, updatedAt: unit.updatedAt, breadcrumb, counts };
}

export interface ChildUnitRow extends UnitSummary {
  schoolCount: number;
  authorityCount: number;
  accountCount: number;
}

/** A page of a unit's direct children, each with the totals below it. The parent comes from the scoped getUnitDetail. */
export async function listChildrenWithCounts(
  parent: UnitDetail,
  options: { kind?: UnitSummary['kind']; after?: UnitCursor; limit: number },
): Promise<ChildUnitRow[]> {
  const db = await getDb();
  const children = await listChildUnits(db, { parentId: parent.id, kind: options.kind, after: options.after, limit: options.limit });
  if (children.length === 0) return [];
  const byId = await rollupTotalsOf(db, children.map((c) => c.id));
  return children.map((c) => {
    const rollup = byId.get(c.id)!;
    return {
      ...c,
      schoolCount: rollup.schools,
      authorityCount: Math.max(0, rollup.authorities - (c.kind === 'authority' ? 1 : 0)),
      accountCount: rollup.accounts,
    };
  });
}

/** The smallest code of the same length after every code starting with `digits` ("3309" -> "3310"); null past "999…". */
function nextDigitPrefix(digits: string): string | null {
  const next = (BigInt(digits) + BigInt(1)).toString().padStart(digits.length, '0');
  return next.length > digits.length ? null : next;
}

/**
 * Search the actor's jurisdiction: a number is a code prefix (a range on the unique code index),
 * anything else a substring of the name (trigram-indexed from 3 characters on).
 */
export async function searchUnits(actor: Actor, query: string, limit = 50): Promise<UnitSummary[]> {
  assertCan(actor, 'unit.browse');
  const db = await getDb();
  const term = query.trim();
  if (!term) return [];
  let match: SQL;
  if (/^\d{1,16}$/.test(term)) {
    const upper = nextDigitPrefix(term);
    match = upper ? and(gte(units.code, term), lt(units.code, upper))! : gte(units.code, term);
  } else {
    match = ilike(units.name, containsPattern(term));
  }
  const rows = await db
    .select(summaryColumns)
    .from(units)
    .where(and(inJurisdiction(actor, units.path), match))
    .orderBy(asc(units.kind), asc(units.code))
    .limit(limit);
  return rows.map(toSummary);
}

/** Names along the actor's own path, from the ministry down, for the header breadcrumb. */
export async function getOwnUnitTrail(actor: Actor): Promise<string[]> {
  const db = await getDb();
  const ids = actor.unitPath.split('.').map(Number);
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => byId.get(id) ?? '');
}

/** The units from the top of the actor's jurisdiction down to the given path: links for drilling back up. */
export async function getJurisdictionTrail(actor: Actor, path: string): Promise<{ id: number; name: string }[]> {
  const db = await getDb();
  const ids = path.split('.').map(Number);
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(and(inArray(units.id, ids), inJurisdiction(actor, units.path)));
  const byId = new Map(rows.map((row) => [row.id, row.name]));
  return ids.filter((id) => byId.has(id)).map((id) => ({ id, name: byId.get(id)! }));
}
