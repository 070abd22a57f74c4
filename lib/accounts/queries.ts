import 'server-only';
import { loginNameFor } from '@/lib/teachers/identity';
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { containsPattern } from '@/lib/db/like';
import { accounts, signinFailures, teachers, units } from '@/lib/db/schema';
import { signinWindowMinutes } from '@/lib/signin/policy';
import type { Actor, Role } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { accountIdsManagedBy, inJurisdiction, subordinateHeadRoles } from '@/lib/auth/scope';

export interface ManagedAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  status: 'active' | 'disabled';
  isDemo: boolean;
  mustChangePassword: boolean;
  hasPassword: boolean;
  /** Failed sign-ins on the name within the throttle window: each further attempt is slowed down. */
  recentFailures: number;
  /** How the holder signs in: the account name, or a teacher's masked ID number. */
  loginLabel: string;
  totpEnabled: boolean;
  lastLoginAt: Date | null;
  passwordIssuedAt: Date | null;
  unitId: number;
  unitCode: string;
  unitName: string;
  isOwnUnit: boolean;
}

export const accountPageSize = 50;

/** The accounts a sysadmin manages: its own unit's, then the sysadmins of the units directly below. */
export async function listManagedAccounts(actor: Actor, filters: { q?: string; after?: string }): Promise<ManagedAccount[]> {
  assertCan(actor, 'account.manage');
  const db = await getDb();
  const conditions: SQL[] = [sql`${accounts.id} in ${accountIdsManagedBy(actor)}`];
  if (filters.q) {
    const term = containsPattern(filters.q);
    // A teacher is found by the ID number typed here, through the hash the account is named by.
    conditions.push(or(ilike(accounts.username, term), eq(accounts.username, loginNameFor(filters.q)), ilike(units.name, term), ilike(accounts.displayName, term))!);
  }
  if (filters.after) conditions.push(gt(accounts.username, filters.after));
  const rows = await db
    .select({
      id: accounts.id,
      username: accounts.username,
      displayName: accounts.displayName,
      role: accounts.role,
      status: accounts.status,
      isDemo: accounts.isDemo,
      mustChangePassword: accounts.mustChangePassword,
      hasPassword: sql<boolean>`${accounts.passwordHash} is not null`,
      loginLabel: sql<string>`coalesce((select t.id_number_masked from ${teachers} t where t.account_id = ${accounts.id}), ${accounts.username})`,
      recentFailures: sql<number>`(select count(*)::int from ${signinFailures} f where f.username = ${accounts.username} and f.name_cleared_at is null and f.occurred_at > now() - make_interval(mins => ${signinWindowMinutes}))`,
      totpEnabled: sql<boolean>`${accounts.totpEnabledAt} is not null`,
      lastLoginAt: accounts.lastLoginAt,
      passwordIssuedAt: accounts.passwordIssuedAt,
      unitId: units.id,
      unitCode: units.code,
      unitName: units.name,
    })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(and(...conditions))
    .orderBy(asc(accounts.username))
    .limit(accountPageSize + 1); // one extra row tells the page whether there is a next one
  return rows.map((row) => ({
    ...row,
    isOwnUnit: row.unitId === actor.unitId,
  }));
}

export interface IssuableUnit {
  unitId: number;
  code: string;
  name: string;
  kind: 'authority' | 'school' | 'institution';
  username: string;
  passwordIssuedAt: Date | null;
  lastLoginAt: Date | null;
}

/** Active units directly below the actor's, with their sysadmin account, for distributing credentials. */
export async function listIssuableUnits(actor: Actor): Promise<IssuableUnit[]> {
  assertCan(actor, 'credential.issue');
  const db = await getDb();
  return db
    .select({
      unitId: units.id,
      code: units.code,
      name: units.name,
      kind: units.kind,
      username: accounts.username,
      passwordIssuedAt: accounts.passwordIssuedAt,
      lastLoginAt: accounts.lastLoginAt,
    })
    .from(units)
    .innerJoin(accounts, and(eq(accounts.unitId, units.id), inArray(accounts.role, [...subordinateHeadRoles])))
    .where(and(eq(units.parentId, actor.unitId), eq(units.status, 'active')))
    .orderBy(asc(units.kind), asc(units.code), asc(accounts.username));
}

/** Higher-education institutions in the province, for adding manager accounts. */
export async function listUniversities(actor: Actor): Promise<{ id: number; code: string; name: string; managers: number }[]> {
  assertCan(actor, 'account.addUniversityManager');
  const db = await getDb();
  return db
    .select({
      id: units.id,
      code: units.code,
      name: units.name,
      managers: sql<number>`(select count(*)::int from accounts a where a.unit_id = ${units.id} and a.role = 'manager')`,
    })
    .from(units)
    .where(and(eq(units.kind, 'school'), eq(units.stage, 'higher_education'), eq(units.status, 'active'), inJurisdiction(actor, units.path)))
    .orderBy(asc(units.code))
    .limit(500);
}

/** Whether the school's manager holds the head's right to review and report records; for the school sysadmin's switch. */
export async function getSchoolManagerDelegation(actor: Actor): Promise<boolean> {
  assertCan(actor, 'record.delegateReview');
  const db = await getDb();
  const [row] = await db.select({ granted: accounts.mayReviewRecords }).from(accounts).where(and(eq(accounts.unitId, actor.unitId), eq(accounts.role, 'manager'))).limit(1);
  return row?.granted ?? false;
}
