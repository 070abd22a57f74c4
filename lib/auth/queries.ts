import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { accounts, units } from '@/lib/db/schema';
import type { Actor } from './actor';

export interface SessionAccount {
  actor: Actor;
  accountStatus: 'active' | 'disabled';
  unitStatus: 'active' | 'closed';
  sessionVersion: number;
}

/** Re-reads the account, its role and unit: the session token alone never authorizes anything. */
export async function loadSessionAccount(accountId: number, ip: string | null): Promise<SessionAccount | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      accountId: accounts.id,
      username: accounts.username,
      displayName: accounts.displayName,
      role: accounts.role,
      isDemo: accounts.isDemo,
      mustChangePassword: accounts.mustChangePassword,
      mayReviewRecords: accounts.mayReviewRecords,
      accountStatus: accounts.status,
      sessionVersion: accounts.sessionVersion,
      unitId: units.id,
      unitCode: units.code,
      unitName: units.name,
      unitKind: units.kind,
      unitTier: units.tier,
      unitPath: units.path,
      unitParentId: units.parentId,
      unitStatus: units.status,
      stage: units.stage,
    })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(eq(accounts.id, accountId));
  if (!row) return null;
  const { accountStatus, unitStatus, sessionVersion, ...actor } = row;
  return { actor: { ...actor, ip }, accountStatus, unitStatus, sessionVersion };
}
