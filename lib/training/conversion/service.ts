import 'server-only';
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { trainingRules, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/service';
import { ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { exampleRules } from '../examples';
import type { SaveRuleInput } from '../schemas';
import { refreshStandings } from '../ledger/service';
import { ruleScopeOf } from './queries';

/**
 * A province sysadmin saves a new version of its conversion rule. It applies from its effective date,
 * which cannot lie in the past: credits already confirmed keep the version they were computed by.
 */
export async function saveTrainingRule(actor: Actor, input: SaveRuleInput): Promise<{ version: number }> {
  const scope = ruleScopeOf(actor);
  if (input.rule.effectiveFrom < todayIso()) throw new ValidationError('生效日期不能早于今天', { 'rule.effectiveFrom': [`生效日期不能早于今天（${todayIso()}）：已确认的学分不因规则调整而改变`] });
  const db = await getDb();
  return db.transaction(async (tx) => {
    // One save at a time per province: the version number is the next after the highest.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('training_rules'), ${scope})`);
    const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${trainingRules.version}), 0)::int + 1` }).from(trainingRules).where(eq(trainingRules.scopeUnitId, scope));
    const [saved] = await tx.insert(trainingRules).values({ scopeUnitId: scope, version: next, effectiveFrom: input.rule.effectiveFrom, rule: input.rule, note: input.note || null, createdBy: actor.accountId, createdByName: actor.displayName }).returning({ id: trainingRules.id });
    await recordAudit(tx, actor, { action: 'training.rule.save', targetType: 'training_rule', targetId: saved.id, detail: { version: next, effectiveFrom: input.rule.effectiveFrom, rule: input.rule } });
    // Confirmations use it from its effective date on; the stored standings follow in applyDueTrainingRules.
    return { version: next };
  });
}

/** Teachers re-evaluated per transaction when a rule version takes effect. */
const standingsBatch = 5000;

/**
 * Rule versions whose effective date has come re-evaluate the standings of their scope: a province's
 * teachers, or for the national default those of provinces without a rule of their own in force. Run
 * after a save effective today and by the hourly housekeeping, so a version dated ahead takes over on
 * its day. Standings are derived data, recomputed from the ledger: each batch of teachers is its own
 * transaction, a run cut short is simply done again (the version is marked applied only at the end),
 * and two nodes running it at once only repeat work. Answers the versions applied.
 */
export async function applyDueTrainingRules(day = todayIso()): Promise<number> {
  const db = await getDb();
  const due = await db
    .select({ id: trainingRules.id, scopeUnitId: trainingRules.scopeUnitId, tier: units.tier })
    .from(trainingRules)
    .innerJoin(units, eq(units.id, trainingRules.scopeUnitId))
    .where(and(isNull(trainingRules.appliedAt), lte(trainingRules.effectiveFrom, day)))
    .orderBy(asc(trainingRules.effectiveFrom), asc(trainingRules.id));
  if (due.length === 0) return 0;
  let applied = 0;
  for (const rule of due) {
    const inScope =
      rule.tier === 'province'
        ? sql`t.province_unit_id = ${rule.scopeUnitId}`
        : sql`not exists (select 1 from training_rules own where own.scope_unit_id = t.province_unit_id and own.effective_from <= ${day}::date)`;
    let after = 0;
    for (;;) {
      const ids = rowsOf<{ id: number }>(
        await db.execute(sql`select distinct s.teacher_id as id from training_standings s join teachers t on t.id = s.teacher_id where ${inScope} and s.teacher_id > ${after} order by 1 limit ${standingsBatch}`),
      ).map((row) => Number(row.id));
      if (ids.length === 0) break;
      await db.transaction((tx) => refreshStandings(tx, ids, undefined, day));
      after = ids[ids.length - 1];
    }
    const [marked] = await db.update(trainingRules).set({ appliedAt: new Date() }).where(and(eq(trainingRules.id, rule.id), isNull(trainingRules.appliedAt))).returning({ id: trainingRules.id });
    if (marked) applied += 1;
  }
  return applied;
}

/** The national default (the generic 360-hour rule) for a new installation's ministry. */
export async function ensureNationalDefaultRule(executor: Executor, centralUnitId: number): Promise<void> {
  await executor
    .insert(trainingRules)
    .values({ scopeUnitId: centralUnitId, version: 1, effectiveFrom: exampleRules.generic.effectiveFrom, rule: exampleRules.generic, note: '全国默认：集中培训 6 学时折合 1 学分，其他 8 学时折合 1 学分；5 年不少于 360 学时', createdByName: '系统初始化', appliedAt: new Date() })
    .onConflictDoNothing();
}
