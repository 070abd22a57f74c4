import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { activeKeyId, decryptText, encryptText, textKeyIdOf } from '@/lib/crypto/envelope';
import { loginNameFor } from '@/lib/teachers/identity';
import { and, eq, gt, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import ipaddr from 'ipaddr.js';
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

/** Rows of attempts whose address is unknown: they count for the name only, never as one shared address. */
const unknownAddress = 'unknown';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One 30-second step either side, for phone clocks that drift; replays are refused by totp_last_step.
authenticator.options = { window: 1 };

/**
 * The key an address is counted under: IPv4 as it is, IPv6 by its /64 (one customer's whole prefix),
 * or null when the address is unknown.
 */
export function addressKeyOf(ip: string | null): string | null {
  if (!ip || !ipaddr.isValid(ip)) return null;
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
    return `${v6.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
  }
  return parsed.toString();
}

const windowStart = sql`now() - make_interval(mins => ${signinWindowMinutes})`;

async function failuresFromAddress(executor: Executor, address: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${signinFailures.occurredAt})::text` })
    .from(signinFailures)
    .where(and(eq(signinFailures.ip, address), gt(signinFailures.occurredAt, windowStart)));
  return { count: row.n, oldest: row.oldest ? new Date(row.oldest) : null };
}

async function failuresOnName(executor: Executor, username: string): Promise<number> {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(signinFailures)
    .where(and(eq(signinFailures.username, username), gt(signinFailures.occurredAt, windowStart), isNull(signinFailures.nameClearedAt)));
  return row.n;
}

/** Throttled attempts are audited once a minute per address and node, so a flood cannot fill the log. */
const throttleAudited = new Map<string, number>();

function shouldAuditThrottle(address: string): boolean {
  const now = Date.now();
  if ((throttleAudited.get(address) ?? 0) > now - 60_000) return false;
  throttleAudited.set(address, now);
  if (throttleAudited.size > 10_000) for (const [key, at] of throttleAudited) if (at < now - 60_000) throttleAudited.delete(key);
  return true;
}

/**
 * Checks a sign-in. Failures are counted per client address and per name typed, in a sliding window
 * kept in PostgreSQL (so it holds across restarts and app nodes): an address with too many failures
 * is refused for the window, while the name is only slowed down, so that an attacker cannot lock the
 * owner out. Each attempt is written as a failure before the password is checked (and removed if it
 * succeeds), so that parallel attempts count each other. Every outcome is audited.
 */
export async function authenticate(input: SignInAttempt): Promise<SignInOutcome> {
  const db = await getDb();
  // An ID number typed as the name is looked up (and counted) by its keyed hash, never kept in clear.
  const username = loginNameFor(input.username);
  const address = addressKeyOf(input.ip);
  const auditAnonymous: AuditActor = { accountId: null, username: input.username.trim(), unitId: null, unitPath: null, ip: input.ip };

  const throttled = async (byAddress: { count: number; oldest: Date | null }): Promise<SignInOutcome> => {
    const retryAt = (byAddress.oldest?.getTime() ?? Date.now()) + signinWindowMinutes * 60_000;
    if (address && shouldAuditThrottle(address)) await recordAudit(db, auditAnonymous, { action: 'auth.signin.throttled', detail: { failures: byAddress.count, address } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) };
  };
  if (address) {
    const byAddress = await failuresFromAddress(db, address);
    if (byAddress.count >= maxFailuresPerAddress) return throttled(byAddress);
  }

  const [attempt] = await db.insert(signinFailures).values({ ip: address ?? unknownAddress, username }).returning({ id: signinFailures.id });
  if (address) {
    // Parallel attempts that got past the check above see each other now; those beyond the quota go unchecked.
    const withOthers = await failuresFromAddress(db, address);
    if (withOthers.count > maxFailuresPerAddress) {
      await db.delete(signinFailures).where(eq(signinFailures.id, attempt.id));
      return throttled(withOthers);
    }
  }
  await sleep(slowdownMs((await failuresOnName(db, username)) - 1));

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
    await recordFailure(db, { address, accountId: account?.id ?? null, auditActor, reason });
    return { ok: false, reason: 'invalid' };
  }

  if (account.totpEnabledAt && account.totpSecret) {
    if (!input.code) {
      // The password was right: asking for the code is no failure.
      await db.delete(signinFailures).where(eq(signinFailures.id, attempt.id));
      return { ok: false, reason: 'second_factor', codeRejected: false };
    }
    const accepted = await acceptSecondFactor(db, account.id, decryptText(account.totpSecret), input.code);
    if (!accepted) {
      await recordFailure(db, { address, accountId: account.id, auditActor, reason: 'bad_second_factor' });
      return { ok: false, reason: 'second_factor', codeRejected: true };
    }
  }

  return db.transaction(async (tx) => {
    await tx.delete(signinFailures).where(eq(signinFailures.id, attempt.id));
    const [session] = await tx
      .insert(accountSessions)
      .values({ accountId: account.id, expiresAt: sql`now() + make_interval(hours => ${sessionMaxHours()})`, ip: input.ip })
      .returning({ id: accountSessions.id });
    await tx.update(accounts).set({ lastLoginAt: new Date() }).where(eq(accounts.id, account.id));
    await recordAudit(tx, auditActor, { action: 'auth.signin', targetType: 'account', targetId: account.id, detail: account.totpEnabledAt ? { secondFactor: true } : undefined });
    return { ok: true as const, accountId: account.id, sessionId: session.id, sessionVersion: account.sessionVersion };
  });
}

/** The attempt's row is already written; the owner's counter, the audit and the address block remain. */
async function recordFailure(db: Executor, failure: { address: string | null; accountId: number | null; auditActor: AuditActor; reason: string }): Promise<void> {
  const addressFailures = failure.address ? (await failuresFromAddress(db, failure.address)).count : 0;
  await db.transaction(async (tx) => {
    if (failure.accountId) {
      // The owner is told at the next sign-in; the counter never says anything to the caller.
      await tx
        .update(accounts)
        .set({ unseenFailedSignins: sql`${accounts.unseenFailedSignins} + 1`, lastFailedSigninAt: new Date(), lastFailedSigninIp: failure.auditActor.ip })
        .where(eq(accounts.id, failure.accountId));
    }
    await recordAudit(
      tx,
      failure.auditActor,
      { action: 'auth.signin.failed', targetType: failure.accountId ? 'account' : undefined, targetId: failure.accountId ?? undefined, detail: { reason: failure.reason } },
      ...(addressFailures === maxFailuresPerAddress ? [{ action: 'auth.throttle.address', unitPath: null, detail: { address: failure.address, minutes: signinWindowMinutes } }] : []),
    );
  });
  // Old rows matter to no window; sweep now and then rather than on a schedule.
  if (Math.random() < 0.02) await db.delete(signinFailures).where(lt(signinFailures.occurredAt, sql`now() - interval '1 day'`));
}

/** A TOTP code of the current or a neighbouring 30-second step, each step once only; or an unused recovery code. */
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

/** Recovery codes are kept as an HMAC under the server's secret: a database dump alone cannot test guesses. */
export function hashRecoveryCode(code: string): string {
  return createHmac('sha256', `recovery:${process.env.AUTH_SECRET ?? ''}`).update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
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

/**
 * Lifts the slowdown on a name (the managing sysadmin, after checking with the owner). The rows stay,
 * so the attacking address remains blocked.
 */
export async function clearFailuresForName(executor: Executor, username: string): Promise<number> {
  const cleared = await executor
    .update(signinFailures)
    .set({ nameClearedAt: new Date() })
    .where(and(eq(signinFailures.username, username), isNull(signinFailures.nameClearedAt), gt(signinFailures.occurredAt, windowStart)))
    .returning({ id: signinFailures.id });
  return cleared.length;
}

// ---- Two-factor enrolment ----

/** Starts (or restarts) enrolment: a new secret, not yet in force. Answers the otpauth URI for the QR code. */
export async function startTotpEnrolment(actor: Actor): Promise<{ secret: string; uri: string }> {
  const db = await getDb();
  const secret = authenticator.generateSecret(20);
  const [row] = await db
    .update(accounts)
    .set({ totpSecret: encryptText(secret), updatedAt: new Date() })
    .where(and(eq(accounts.id, actor.accountId), isNull(accounts.totpEnabledAt)))
    .returning({ id: accounts.id });
  if (!row) throw new ConflictError('已启用双因素认证；如需更换设备，请先由系统管理员重置');
  return { secret, uri: authenticator.keyuri(actor.loginLabel, '师管 教师管理信息系统', secret) };
}

/** Confirms enrolment with a code from the app; answers ten one-time recovery codes, shown once. */
export async function confirmTotpEnrolment(actor: Actor, code: string): Promise<string[]> {
  const db = await getDb();
  const [account] = await db.select({ secret: accounts.totpSecret, enabledAt: accounts.totpEnabledAt }).from(accounts).where(eq(accounts.id, actor.accountId));
  if (!account?.secret || account.enabledAt) throw new ConflictError('请先开始绑定，或刷新页面后重试');
  const delta = /^\d{6}$/.test(code) ? authenticator.checkDelta(code, decryptText(account.secret)) : null;
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

/** Key rotation for TOTP secrets (few rows: one per enrolled account). */
export async function reencryptTotpSecrets(): Promise<number> {
  const db = await getDb();
  const active = activeKeyId();
  const rows = await db.select({ id: accounts.id, secret: accounts.totpSecret }).from(accounts).where(isNotNull(accounts.totpSecret));
  let changed = 0;
  for (const row of rows) {
    if (textKeyIdOf(row.secret!) === active) continue;
    const updated = await db
      .update(accounts)
      .set({ totpSecret: encryptText(decryptText(row.secret!)) })
      .where(and(eq(accounts.id, row.id), eq(accounts.totpSecret, row.secret!)))
      .returning({ id: accounts.id });
    changed += updated.length;
  }
  return changed;
}
