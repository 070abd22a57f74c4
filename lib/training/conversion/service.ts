import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { trainingRules } from '@/lib/db/schema';
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
    // In force from today: the province's standings are evaluated again under it. A version dated
    // ahead takes over the standings at their next confirmation (a daily job would do it on the day).
    if (input.rule.effectiveFrom === todayIso() && actor.unitTier === 'province') {
      const ids = rowsOf<{ id: number }>(await tx.execute(sql`select s.teacher_id as id from training_standings s join teachers t on t.id = s.teacher_id where t.province_unit_id = ${scope} group by 1 order by 1`)).map((row) => Number(row.id));
      await refreshStandings(tx, ids);
    }
    return { version: next };
  });
}

/** The national default (the generic 360-hour rule) for a new installation's ministry. */
export async function ensureNationalDefaultRule(executor: Executor, centralUnitId: number): Promise<void> {
  await executor
    .insert(trainingRules)
    .values({ scopeUnitId: centralUnitId, version: 1, effectiveFrom: exampleRules.generic.effectiveFrom, rule: exampleRules.generic, note: '全国默认：集中培训 6 学时折合 1 学分，其他 8 学时折合 1 学分；5 年不少于 360 学时', createdByName: '系统初始化' })
    .onConflictDoNothing();
}
