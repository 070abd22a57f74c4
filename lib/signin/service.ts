import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { authenticator } from 'otplib';
import { getDb, type Executor } from '@/lib/db';
import { accounts, accountSessions, recoveryCodes, signinFailures, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { verifyPassword } from '@/lib/auth/password';
import { recordAudit, type AuditActor } from '@/lib/audit/service';
import { ConflictError, ValidationError } from '@/lib/errors';
import { maxFailuresPerAddress, sessionMaxHours, signinWindowMinutes, slowdownMs } from './policy';

/**
 * One answer for an unknown name, a wrong password, an account without a password and a disabled
 * account, so that nobody learns from the sign-in page whether an account (or an ID number) exists.
 */
export type SignInOutcome =
  | { ok: true; accountId: number; sessionId: string; sessionVersion: number }
  | { ok: false; reason: 'invalid' }
  /** The client address, not the account, is refused for the rest of the window. */
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** The password was right and the account signs in with a second factor: ask for the code. */
  | { ok: false; reason: 'second_factor'; codeRejected: boolean };

export interface SignInAttempt {
  username: string;
  password: string;
  /** TOTP code or a recovery code, once the password has been accepted. */
  code?: string;
  ip: string | null;
}

/** The address key of a client whose address is unknown: they share one counter. */
const unknownAddress = 'unknown';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failuresSince(executor: Executor, column: 'ip' | 'username', value: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${signinFailures.occurredAt})::text` })
    .from(signinFailures)
    .where(and(eq(column === 'ip' ? signinFailures.ip : signinFailures.username, value), gt(signinFailures.occurredAt, sql`now() - make_interval(mins => ${signinWindowMinutes})`)));
  return { count: row.n, oldest: row.oldest ? new Date(row.oldest) : null };
}

/**
 * Checks a sign-in. Failures are counted per client address and per name typed, in a sliding window
 * kept in PostgreSQL (so it holds across restarts and app nodes): an address with too many failures
 * is refused for the window, while the name is only slowed down, so that an attacker cannot lock the
 * owner out. Every outcome is audited.
 */
export async function authenticate(input: SignInAttempt): Promise<SignInOutcome> {
  const db = await getDb();
  const username = input.username.trim();
  const address = input.ip ?? unknownAddress;
  const auditAnonymous: AuditActor = { accountId: null, username, unitId: null, unitPath: null, ip: input.ip };

  const byAddress = await failuresSince(db, 'ip', address);
  if (byAddress.count >= maxFailuresPerAddress) {
    const retryAt = (byAddress.oldest?.getTime() ?? Date.now()) + signinWindowMinutes * 60_000;
    await recordAudit(db, auditAnonymous, { action: 'auth.signin.throttled', detail: { failures: byAddress.count } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) };
  }
  const byName = await failuresSince(db, 'username', username);
  await sleep(slowdownMs(byName.count));

  const [account] = await db
    .select({
      id: accounts.id,
      unitId: accounts.unitId,
      role: accounts.role,
      passwordHash: accounts.passwordHash,
      status: accounts.status,
      sessionVersion: accounts.sessionVersion,
      totpSecret: accounts.totpSecret,
      totpEnabledAt: accounts.totpEnabledAt,
      unitPath: units.path,
      unitStatus: units.status,
    })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(eq(accounts.username, username));
  const passwordOk = await verifyPassword(account?.passwordHash ?? null, input.password);
  const usable = account && account.status === 'active' && account.unitStatus === 'active';
  const auditActor: AuditActor = account ? { accountId: account.id, username, unitId: account.unitId, unitPath: account.unitPath, ip: input.ip } : auditAnonymous;

  if (!account || !passwordOk || !usable) {
    const reason = !account ? 'unknown_account' : !account.passwordHash ? 'no_password' : !passwordOk ? 'bad_password' : 'disabled';
    await recordFailure(db, { username, address, accountId: account?.id ?? null, auditActor, reason, addressFailures: byAddress.count + 1 });
    return { ok: false, reason: 'invalid' };
  }

  if (account.totpEnabledAt && account.totpSecret) {
    if (!input.code) return { ok: false, reason: 'second_factor', codeRejected: false };
    const accepted = await acceptSecondFactor(db, account.id, account.totpSecret, input.code);
    if (!accepted) {
      await recordFailure(db, { username, address, accountId: account.id, auditActor, reason: 'bad_second_factor', addressFailures: byAddress.count + 1 });
      return { ok: false, reason: 'second_factor', codeRejected: true };
    }
  }

  return db.transaction(async (tx) => {
    const [session] = await tx
      .insert(accountSessions)
      .values({ accountId: account.id, expiresAt: sql`now() + make_interval(hours => ${sessionMaxHours()})`, ip: input.ip })
      .returning({ id: accountSessions.id });
    await tx.update(accounts).set({ lastLoginAt: new Date() }).where(eq(accounts.id, account.id));
    await recordAudit(tx, auditActor, { action: 'auth.signin', targetType: 'account', targetId: account.id, detail: account.totpEnabledAt ? { secondFactor: true } : undefined });
    return { ok: true as const, accountId: account.id, sessionId: session.id, sessionVersion: account.sessionVersion };
  });
}

async function recordFailure(
  db: Executor,
  failure: { username: string; address: string; accountId: number | null; auditActor: AuditActor; reason: string; addressFailures: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(signinFailures).values({ ip: failure.address, username: failure.username });
    if (failure.accountId) {
      // The owner is told at the next sign-in; the counter never says anything to the caller.
      await tx
        .update(accounts)
        .set({ unseenFailedSignins: sql`${accounts.unseenFailedSignins} + 1`, lastFailedSigninAt: new Date(), lastFailedSigninIp: failure.address })
        .where(eq(accounts.id, failure.accountId));
    }
    await recordAudit(
      tx,
      failure.auditActor,
      { action: 'auth.signin.failed', targetType: failure.accountId ? 'account' : undefined, targetId: failure.accountId ?? undefined, detail: { reason: failure.reason } },
      ...(failure.addressFailures === maxFailuresPerAddress ? [{ action: 'auth.throttle.address', unitPath: null, detail: { address: failure.address, minutes: signinWindowMinutes } }] : []),
    );
  });
  // Old rows matter to no window; sweep now and then rather than on a schedule.
  if (Math.random() < 0.02) await db.delete(signinFailures).where(lt(signinFailures.occurredAt, sql`now() - interval '1 day'`));
}

/** A TOTP code of the current or a neighbouring 30-second step, once only; or an unused recovery code. */
async function acceptSecondFactor(db: Executor, accountId: number, secret: string, code: string): Promise<boolean> {
  const digits = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(digits)) {
    const delta = authenticator.checkDelta(digits, secret);
    if (delta === null) return false;
    const step = Math.floor(Date.now() / 30_000) + delta;
    // The conditional update refuses a replayed code, also when two requests race with it.
    const [row] = await db
      .update(accounts)
      .set({ totpLastStep: step })
      .where(and(eq(accounts.id, accountId), sql`coalesce(${accounts.totpLastStep}, 0) < ${step}`))
      .returning({ id: accounts.id });
    return Boolean(row);
  }
  const [used] = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.accountId, accountId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ accountId: recoveryCodes.accountId });
  return Boolean(used);
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/** Ends one session for good (sign-out): the token may live on in a browser, but the row says no. */
export async function revokeSession(actor: Actor, sessionId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(accountSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(accountSessions.id, sessionId), eq(accountSessions.accountId, actor.accountId), isNull(accountSessions.revokedAt)));
    await recordAudit(tx, actor, { action: 'auth.signout', targetType: 'account', targetId: actor.accountId });
  });
}

/** Every open session of an account ends (password change, reset, disabling). */
export async function revokeAllSessions(executor: Executor, accountId: number): Promise<void> {
  await executor
    .update(accountSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(accountSessions.accountId, accountId), isNull(accountSessions.revokedAt)));
}

/** The owner has read the notice of failed sign-ins. */
export async function acknowledgeFailedSignins(actor: Actor): Promise<void> {
  const db = await getDb();
  await db.update(accounts).set({ unseenFailedSignins: 0 }).where(eq(accounts.id, actor.accountId));
}

/** Recent failures on each of the given names, for the sysadmin's account list. */
export async function recentFailuresByName(usernames: string[]): Promise<Map<string, number>> {
  if (usernames.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ username: signinFailures.username, n: sql<number>`count(*)::int` })
    .from(signinFailures)
    .where(and(inArray(signinFailures.username, usernames), gt(signinFailures.occurredAt, sql`now() - make_interval(mins => ${signinWindowMinutes})`)))
    .groupBy(signinFailures.username);
  return new Map(rows.map((r) => [r.username, r.n]));
}

/** Clears the slowdown on a name (the managing sysadmin, after checking with the owner). */
export async function clearFailuresForName(executor: Executor, username: string): Promise<number> {
  const removed = await executor.delete(signinFailures).where(eq(signinFailures.username, username)).returning({ id: signinFailures.id });
  return removed.length;
}

// ---- Two-factor enrolment ----

/** Starts (or restarts) enrolment: a new secret, not yet in force. Answers the otpauth URI for the QR code. */
export async function startTotpEnrolment(actor: Actor): Promise<{ secret: string; uri: string }> {
  const db = await getDb();
  const secret = authenticator.generateSecret(20);
  const [row] = await db
    .update(accounts)
    .set({ totpSecret: secret, updatedAt: new Date() })
    .where(and(eq(accounts.id, actor.accountId), isNull(accounts.totpEnabledAt)))
    .returning({ id: accounts.id });
  if (!row) throw new ConflictError('已启用双因素认证；如需更换设备，请先由系统管理员重置');
  return { secret, uri: authenticator.keyuri(actor.username, '师管 教师管理信息系统', secret) };
}

/** Confirms enrolment with a code from the app; answers ten one-time recovery codes, shown once. */
export async function confirmTotpEnrolment(actor: Actor, code: string): Promise<string[]> {
  const db = await getDb();
  const [account] = await db.select({ secret: accounts.totpSecret, enabledAt: accounts.totpEnabledAt }).from(accounts).where(eq(accounts.id, actor.accountId));
  if (!account?.secret || account.enabledAt) throw new ConflictError('请先开始绑定，或刷新页面后重试');
  const delta = /^\d{6}$/.test(code) ? authenticator.checkDelta(code, account.secret) : null;
  if (delta === null) throw new ValidationError('验证码不正确，请核对手机时间后重试', { code: ['验证码不正确'] });
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(5).toString('hex').toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ totpEnabledAt: new Date(), totpLastStep: Math.floor(Date.now() / 30_000) + delta, updatedAt: new Date() })
      .where(and(eq(accounts.id, actor.accountId), isNull(accounts.totpEnabledAt), eq(accounts.totpSecret, account.secret!)))
      .returning({ id: accounts.id });
    if (!row) throw new ConflictError('绑定状态已变化，请刷新页面后重试');
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.accountId, actor.accountId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ accountId: actor.accountId, codeHash: hashRecoveryCode(c) })));
    await recordAudit(tx, actor, { action: 'account.totp.enable', targetType: 'account', targetId: actor.accountId });
  });
  return codes;
}

/** Removes the second factor (the managing sysadmin, for a lost phone); the owner enrols again. */
export async function clearSecondFactor(executor: Executor, accountId: number): Promise<void> {
  await executor.update(accounts).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(accounts.id, accountId));
  await executor.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId));
}
