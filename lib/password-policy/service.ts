import 'server-only';
import { getDb } from '@/lib/db';
import { passwordPolicies } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { recordAudit } from '@/lib/audit/service';
import { policyKeysByScope, type SavePasswordPolicyInput } from './schemas';

/**
 * The ministry (for its own accounts) or a province (for every tier in it, and its teachers) sets how
 * many days a password lasts; an empty value means no expiry. Accounts past it must change the
 * password at their next request.
 */
export async function savePasswordPolicy(actor: Actor, input: SavePasswordPolicyInput): Promise<void> {
  assertCan(actor, 'security.configure');
  const keys: readonly string[] = policyKeysByScope[actor.unitTier as keyof typeof policyKeysByScope];
  const maxAgeDays: Record<string, number> = {};
  for (const key of keys) {
    const value = input.maxAgeDays[key];
    if (typeof value === 'number') maxAgeDays[key] = value;
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .insert(passwordPolicies)
      .values({ scopeUnitId: actor.unitId, maxAgeDays, updatedBy: actor.accountId })
      .onConflictDoUpdate({ target: passwordPolicies.scopeUnitId, set: { maxAgeDays, updatedBy: actor.accountId, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'security.passwordPolicy.save', targetType: 'unit', targetId: actor.unitId, detail: { maxAgeDays } });
  });
}
