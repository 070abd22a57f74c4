import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { passwordPolicies } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';

/** The actor's own scope's policy (the ministry's or its province's): days per tier, and when it was last set. */
export async function getPasswordPolicy(actor: Actor): Promise<{ maxAgeDays: Record<string, number>; updatedAt: Date | null }> {
  assertCan(actor, 'security.configure');
  const db = await getDb();
  const [row] = await db.select({ maxAgeDays: passwordPolicies.maxAgeDays, updatedAt: passwordPolicies.updatedAt }).from(passwordPolicies).where(eq(passwordPolicies.scopeUnitId, actor.unitId));
  return row ?? { maxAgeDays: {}, updatedAt: null };
}
