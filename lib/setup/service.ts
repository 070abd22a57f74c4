import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { accounts, units } from '@/lib/db/schema';
import { recordAudit } from '@/lib/audit/service';
import { generateInitialPassword, hashPassword } from '@/lib/auth/password';
import { centralUnitCode } from '@/lib/units/defaults';
import { initializeNationalTree } from '@/lib/units/service';
import { sealLegacyIdNumbers } from '@/lib/teachers/id-numbers/service';
import { loginNameFor } from '@/lib/teachers/identity';

/* What every start runs, with or without demo data: the national tree, sealing, the first password. */

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(units);
  return row.n === 0;
}

/** Creates the national authority tree; safe to run on every start. */
export async function initializeReferenceData(db: Database): Promise<number> {
  const created = await db.transaction(async (tx) => (await initializeNationalTree(tx)).created);
  // ID numbers left in clear by an older version (or a raw load) are encrypted before anyone signs in.
  await sealLegacyIdNumbers(db);
  return created;
}

/**
 * The ministry's sysadmin has no superior to issue its password. On an install without demo data
 * it gets one here, printed once on the server console and to be changed at first sign-in.
 */
export async function issueBootstrapPassword(db: Database): Promise<{ username: string; password: string } | null> {
  const username = `${centralUnitCode}.admin`;
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, passwordIssuedAt: new Date() })
      .where(and(eq(accounts.username, username), isNull(accounts.passwordHash)))
      .returning({ id: accounts.id });
    if (!row) return null;
    await recordAudit(tx, { accountId: null, username: 'system', unitId: null, ip: null }, { action: 'account.password.bootstrap', targetType: 'account', targetId: row.id });
    return { username, password };
  });
}

/** Console tool: issue a fresh initial password to one account (e.g. the ministry's sysadmin). */
export async function issuePasswordFromConsole(db: Database, username: string): Promise<string> {
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, isDemo: false, sessionVersion: sql`${accounts.sessionVersion} + 1`, passwordIssuedAt: new Date() })
      .where(eq(accounts.username, loginNameFor(username)))
      .returning({ id: accounts.id });
    if (!row) throw new Error(`no account named ${username}`);
    await recordAudit(tx, { accountId: null, username: 'console', unitId: null, ip: null }, { action: 'account.password.reset', targetType: 'account', targetId: row.id, detail: { username, via: 'console' } });
  });
  return password;
}
