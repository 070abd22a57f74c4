import 'server-only';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { trainingRules, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { centralUnitCode } from '@/lib/units/defaults';
import { todayIso } from '@/lib/indicators/form-schema';
import { conversionRuleSchema, type ConversionRule } from '../rules';

export interface StoredRule {
  id: number;
  scopeUnitId: number;
  version: number;
  effectiveFrom: string;
  rule: ConversionRule;
  note: string | null;
  createdByName: string;
  createdAt: Date;
}

function toStored(row: typeof trainingRules.$inferSelect): StoredRule {
  // Parsing fills defaults added to the schema after the version was saved.
  return { ...row, rule: conversionRuleSchema.parse({ ...row.rule, effectiveFrom: row.effectiveFrom }) };
}

export async function centralUnitId(executor: Executor): Promise<number> {
  const [central] = await executor.select({ id: units.id }).from(units).where(eq(units.code, centralUnitCode));
  return central.id;
}

/** The unit whose rules the actor edits: its province, or the ministry's national default. */
export function ruleScopeOf(actor: Actor): number {
  assertCan(actor, 'training.rules');
  return actor.unitId;
}

/** Every version of the actor's rules, newest first. */
export async function listRuleVersions(actor: Actor): Promise<StoredRule[]> {
  const scope = ruleScopeOf(actor);
  const db = await getDb();
  return (await db.select().from(trainingRules).where(eq(trainingRules.scopeUnitId, scope)).orderBy(desc(trainingRules.version))).map(toStored);
}

/**
 * The rule books of some provinces and of the nation, for confirming many teachers at once: each
 * province's versions (a teacher outside any province, or in a province without a rule in force on
 * the day, gets the national default's).
 */
export class RuleBook {
  private constructor(
    private readonly byScope: Map<number, StoredRule[]>,
    private readonly centralId: number,
  ) {}

  static async load(executor: Executor, provinceIds: (number | null)[]): Promise<RuleBook> {
    const centralId = await centralUnitId(executor);
    const scopes = [...new Set([centralId, ...provinceIds.filter((id): id is number => id !== null)])];
    const rows = await executor.select().from(trainingRules).where(inArray(trainingRules.scopeUnitId, scopes)).orderBy(trainingRules.scopeUnitId, trainingRules.version);
    const byScope = new Map<number, StoredRule[]>();
    for (const row of rows) (byScope.get(row.scopeUnitId) ?? byScope.set(row.scopeUnitId, []).get(row.scopeUnitId)!).push(toStored(row));
    return new RuleBook(byScope, centralId);
  }

  /** The version in force on a day: the latest effective date not after it, the later save among equals. */
  inForce(provinceUnitId: number | null, day: string): StoredRule | null {
    const pick = (scope: number) =>
      (this.byScope.get(scope) ?? []).filter((r) => r.effectiveFrom <= day).sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? b.version - a.version : a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0] ?? null;
    return (provinceUnitId !== null ? pick(provinceUnitId) : null) ?? pick(this.centralId);
  }

  byId(ruleId: number): StoredRule | null {
    for (const versions of this.byScope.values()) for (const rule of versions) if (rule.id === ruleId) return rule;
    return null;
  }
}

export async function ruleScopeNames(executor: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  return new Map((await executor.select({ id: units.id, name: units.name }).from(units).where(and(inArray(units.id, ids)))).map((row) => [row.id, row.name]));
}

/** The rule page: the actor's versions, and what applies today (its own, else the national default). */
export async function getRulePage(actor: Actor): Promise<{ versions: StoredRule[]; inForce: StoredRule | null; inForceScopeName: string; own: boolean }> {
  const versions = await listRuleVersions(actor);
  const db = await getDb();
  const book = await RuleBook.load(db, [actor.unitId]);
  const inForce = book.inForce(actor.unitId, todayIso());
  const names = await ruleScopeNames(db, inForce ? [inForce.scopeUnitId] : []);
  return { versions, inForce, inForceScopeName: inForce ? (names.get(inForce.scopeUnitId) ?? '') : '', own: inForce?.scopeUnitId === actor.unitId };
}
