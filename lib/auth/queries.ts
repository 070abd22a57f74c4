import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { accounts, accountSessions, passwordPolicies, teachers, units } from '@/lib/db/schema';
import type { Actor } from './actor';

export interface SessionAccount {
  actor: Actor;
  accountStatus: 'active' | 'disabled';
  unitStatus: 'active' | 'closed';
  sessionVersion: number;
}

/**
 * Re-reads the account, its role and unit: the session token alone never authorizes anything. With a
 * session id, the session row must also be open (not signed out, not past its absolute lifetime).
 */
export async function loadSessionAccount(accountId: number, ip: string | null, sessionId?: string): Promise<SessionAccount | null> {
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
      totpEnabled: sql<boolean>`${accounts.totpEnabledAt} is not null`,
      loginLabel: sql<string>`coalesce(${teachers.idNumberMasked}, ${accounts.username})`,
      // Past the lifetime its ministry or province set for its tier (teachers have their own key).
      passwordExpired: sql<boolean>`coalesce(
        (${passwordPolicies.maxAgeDays} ->> (case when ${accounts.role} = 'teacher' then 'teacher' else ${units.tier}::text end))::int > 0
        and ${accounts.passwordHash} is not null
        and coalesce(${accounts.passwordChangedAt}, ${accounts.passwordIssuedAt}, ${accounts.createdAt})
          < now() - make_interval(days => (${passwordPolicies.maxAgeDays} ->> (case when ${accounts.role} = 'teacher' then 'teacher' else ${units.tier}::text end))::int),
        false)`,
      unseenFailedSignins: accounts.unseenFailedSignins,
      lastFailedSigninAt: accounts.lastFailedSigninAt,
      lastFailedSigninIp: accounts.lastFailedSigninIp,
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
    .leftJoin(teachers, eq(teachers.accountId, accounts.id))
    .leftJoin(
      passwordPolicies,
      eq(passwordPolicies.scopeUnitId, sql`case when ${units.tier} = 'central' then ${units.id} else (string_to_array(${units.path}::text, '.'))[2]::int end`),
    )
    .where(
      and(
        eq(accounts.id, accountId),
        sessionId === undefined
          ? undefined
          : sql`exists (select 1 from ${accountSessions} where ${and(eq(accountSessions.id, sessionId), eq(accountSessions.accountId, accounts.id), isNull(accountSessions.revokedAt), gt(accountSessions.expiresAt, sql`now()`))})`,
      ),
    );
  if (!row) return null;
  const { accountStatus, unitStatus, sessionVersion, unseenFailedSignins, lastFailedSigninAt, lastFailedSigninIp, ...actor } = row;
  const signinWarning = unseenFailedSignins > 0 ? { count: unseenFailedSignins, lastAt: lastFailedSigninAt, lastIp: lastFailedSigninIp } : null;
  return { actor: { ...actor, ip, sessionId: sessionId ?? null, signinWarning }, accountStatus, unitStatus, sessionVersion };
}
