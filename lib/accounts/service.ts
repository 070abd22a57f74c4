import 'server-only';
import { addMinutes } from 'date-fns';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { accounts, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { generateInitialPassword, hashPassword, verifyPassword } from '@/lib/auth/password';
import { assertCan } from '@/lib/auth/policy';
import { accountsManagedBy, inJurisdiction, subordinateHeadRoles } from '@/lib/auth/scope';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { applyRollupDeltas } from '@/lib/units/service';
import type {
  AccountIdInput,
  AddUniversityManagerInput,
  ChangePasswordInput,
  IssueCredentialsInput,
  SetAccountStatusInput,
} from './schemas';

export const maxFailedSignIns = 5;
export const lockoutMinutes = 15;

export type SignInOutcome =
  | { ok: true; accountId: number; sessionVersion: number }
  | { ok: false; reason: 'invalid'; attemptsLeft: number | null }
  | { ok: false; reason: 'locked'; lockedUntil: Date }
  | { ok: false; reason: 'disabled' };

/**
 * Checks a sign-in and counts failures under a row lock: the 5th failure in a row locks the
 * account for 15 minutes. Every outcome is audited in the same transaction.
 */
export async function authenticate(input: { username: string; password: string; ip: string | null }): Promise<SignInOutcome> {
  const db = await getDb();
  const username = input.username.trim();
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({
        id: accounts.id,
        unitId: accounts.unitId,
        passwordHash: accounts.passwordHash,
        status: accounts.status,
        failedLoginCount: accounts.failedLoginCount,
        lockedUntil: accounts.lockedUntil,
        sessionVersion: accounts.sessionVersion,
        unitPath: units.path,
        unitStatus: units.status,
      })
      .from(accounts)
      .innerJoin(units, eq(units.id, accounts.unitId))
      .where(eq(accounts.username, username))
      .for('update', { of: accounts });
    const auditActor = { accountId: account?.id ?? null, username, unitId: account?.unitId ?? null, unitPath: account?.unitPath ?? null, ip: input.ip };
    if (!account) {
      await verifyPassword(null, input.password);
      await recordAudit(tx, auditActor, { action: 'auth.signin.failed', detail: { reason: 'unknown_account' } });
      return { ok: false, reason: 'invalid', attemptsLeft: null };
    }
    const now = new Date();
    if (account.lockedUntil && account.lockedUntil > now) {
      await recordAudit(tx, auditActor, { action: 'auth.signin.failed', targetType: 'account', targetId: account.id, detail: { reason: 'locked' } });
      return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil };
    }
    const passwordOk = await verifyPassword(account.passwordHash, input.password);
    if (!passwordOk) {
      const failures = account.failedLoginCount + 1;
      if (failures >= maxFailedSignIns) {
        const lockedUntil = addMinutes(now, lockoutMinutes);
        await tx.update(accounts).set({ failedLoginCount: 0, lockedUntil, updatedAt: now }).where(eq(accounts.id, account.id));
        await recordAudit(
          tx,
          auditActor,
          { action: 'auth.signin.failed', targetType: 'account', targetId: account.id, detail: { reason: 'bad_password', failures } },
          { action: 'auth.lockout', targetType: 'account', targetId: account.id, detail: { lockedUntil: lockedUntil.toISOString() } },
        );
        return { ok: false, reason: 'locked', lockedUntil };
      }
      await tx.update(accounts).set({ failedLoginCount: failures, updatedAt: now }).where(eq(accounts.id, account.id));
      await recordAudit(tx, auditActor, { action: 'auth.signin.failed', targetType: 'account', targetId: account.id, detail: { reason: 'bad_password', failures } });
      return { ok: false, reason: 'invalid', attemptsLeft: maxFailedSignIns - failures };
    }
    if (account.status !== 'active' || account.unitStatus !== 'active') {
      await recordAudit(tx, auditActor, { action: 'auth.signin.failed', targetType: 'account', targetId: account.id, detail: { reason: 'disabled' } });
      return { ok: false, reason: 'disabled' };
    }
    await tx.update(accounts).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now }).where(eq(accounts.id, account.id));
    await recordAudit(tx, auditActor, { action: 'auth.signin', targetType: 'account', targetId: account.id });
    return { ok: true, accountId: account.id, sessionVersion: account.sessionVersion };
  });
}

/** The actor changes its own password; every other session of the account ends. */
export async function changeOwnPassword(actor: Actor, input: ChangePasswordInput): Promise<void> {
  const db = await getDb();
  const [current] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, actor.accountId));
  if (!current || !(await verifyPassword(current.passwordHash, input.currentPassword))) {
    throw new ValidationError('当前密码不正确', { currentPassword: ['当前密码不正确'] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: false, sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(accounts.id, actor.accountId));
    await recordAudit(tx, actor, { action: 'account.password.change', targetType: 'account', targetId: actor.accountId });
  });
}

export interface IssuedCredential {
  unitCode: string;
  unitName: string;
  username: string;
  displayName: string;
  password: string;
}

/**
 * (Re)issues initial passwords to the sysadmins of the chosen units directly below the actor's
 * unit. The plain passwords exist only in the returned rows, which the caller shows or exports once.
 */
export async function issueSubordinateCredentials(actor: Actor, input: IssueCredentialsInput): Promise<IssuedCredential[]> {
  assertCan(actor, 'credential.issue');
  const db = await getDb();
  const unitIds = [...new Set(input.unitIds)];
  const targets = await db
    .select({ accountId: accounts.id, username: accounts.username, displayName: accounts.displayName, unitId: units.id, unitCode: units.code, unitName: units.name, unitPath: units.path })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(and(inArray(units.id, unitIds), eq(units.parentId, actor.unitId), eq(units.status, 'active'), inArray(accounts.role, [...subordinateHeadRoles])))
    .orderBy(units.code, accounts.username);
  const foundUnits = new Set(targets.map((t) => t.unitId));
  if (foundUnits.size !== unitIds.length) throw new NotFoundError('所选单位中有不存在、已撤销或不是本单位直接下级的单位，请刷新后重试');

  const issued = await Promise.all(
    targets.map(async (target) => {
      const password = generateInitialPassword();
      return { target, password, passwordHash: await hashPassword(password) };
    }),
  );
  await db.transaction(async (tx) => {
    await setIssuedPasswords(tx, actor, issued.map(({ target, passwordHash }) => ({ accountId: target.accountId, passwordHash })));
    await recordAudit(
      tx,
      actor,
      ...issued.map(({ target }) => ({
        action: 'account.credentials.issue',
        unitPath: target.unitPath,
        targetType: 'account',
        targetId: target.accountId,
        detail: { username: target.username },
      })),
      { action: 'account.credentials.export', targetType: 'unit', targetId: actor.unitId, detail: { accounts: issued.length, units: unitIds.length } },
    );
  });
  return issued.map(({ target, password }) => ({
    unitCode: target.unitCode,
    unitName: target.unitName,
    username: target.username,
    displayName: target.displayName,
    password,
  }));
}

/** Sets freshly issued password hashes on managed accounts only; fails whole if any row is out of reach. */
export async function setIssuedPasswords(executor: Executor, actor: Actor, rows: { accountId: number; passwordHash: string }[]): Promise<void> {
  const chunk = 1000;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const values = sql.join(slice.map((r) => sql`(${r.accountId}::int, ${r.passwordHash}::text)`), sql`, `);
    const updated = rowsOf<{ id: number }>(
      await executor.execute(sql`
        update accounts a set password_hash = v.hash, must_change_password = true, is_demo = false,
          failed_login_count = 0, locked_until = null, session_version = a.session_version + 1,
          password_issued_at = now(), updated_at = now()
        from (values ${values}) as v(id, hash), units u
        where a.id = v.id and u.id = a.unit_id
          and ${accountsManagedBy(actor, { accountUnitId: sql`a.unit_id`, accountRole: sql`a.role`, unitParentId: sql`u.parent_id` })}
        returning a.id
      `),
    );
    if (updated.length !== slice.length) throw new ConflictError('部分账号已变更或不在您的管理范围内，请刷新后重试');
  }
}

async function getManagedAccount(executor: Executor, actor: Actor, accountId: number) {
  assertCan(actor, 'account.manage');
  const [row] = await executor
    .select({ id: accounts.id, username: accounts.username, displayName: accounts.displayName, status: accounts.status, lockedUntil: accounts.lockedUntil, unitPath: units.path, unitCode: units.code, unitName: units.name })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(and(eq(accounts.id, accountId), accountsManagedBy(actor, { accountUnitId: accounts.unitId, accountRole: accounts.role, unitParentId: units.parentId })));
  if (!row) throw new NotFoundError('账号不存在或不在您的管理范围内');
  return row;
}

/** A one-off reset by the managing sysadmin: the new password must be changed at first sign-in. */
export async function resetAccountPassword(actor: Actor, input: AccountIdInput): Promise<IssuedCredential> {
  const db = await getDb();
  const target = await getManagedAccount(db, actor, input.accountId);
  if (target.id === actor.accountId) throw new ForbiddenError('不能重置自己的密码，请使用“修改密码”');
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await setIssuedPasswords(tx, actor, [{ accountId: target.id, passwordHash }]);
    await recordAudit(tx, actor, { action: 'account.password.reset', unitPath: target.unitPath, targetType: 'account', targetId: target.id, detail: { username: target.username } });
  });
  return { unitCode: target.unitCode, unitName: target.unitName, username: target.username, displayName: target.displayName, password };
}

export async function unlockAccount(actor: Actor, input: AccountIdInput): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const target = await getManagedAccount(tx, actor, input.accountId);
    const [row] = await tx
      .update(accounts)
      .set({ lockedUntil: null, failedLoginCount: 0, updatedAt: new Date() })
      .where(and(eq(accounts.id, target.id), sql`${accounts.lockedUntil} > now()`))
      .returning({ id: accounts.id });
    if (!row) throw new ConflictError('该账号当前未被锁定');
    await recordAudit(tx, actor, { action: 'account.unlock', unitPath: target.unitPath, targetType: 'account', targetId: target.id, detail: { username: target.username } });
  });
}

/** Disable or enable; requireActor re-reads the status, so it takes effect at the next request. */
export async function setAccountStatus(actor: Actor, input: SetAccountStatusInput): Promise<void> {
  const db = await getDb();
  if (input.accountId === actor.accountId) throw new ForbiddenError('不能停用或启用自己的账号');
  await db.transaction(async (tx) => {
    const target = await getManagedAccount(tx, actor, input.accountId);
    const [row] = await tx
      .update(accounts)
      // Disabling also ends every session for good: enabling again requires a fresh sign-in.
      .set({ status: input.status, updatedAt: new Date(), ...(input.status === 'disabled' ? { sessionVersion: sql`${accounts.sessionVersion} + 1` } : {}) })
      .where(and(eq(accounts.id, target.id), ne(accounts.status, input.status)))
      .returning({ id: accounts.id });
    if (!row) throw new ConflictError(input.status === 'disabled' ? '该账号已是停用状态' : '该账号已是启用状态');
    await recordAudit(tx, actor, {
      action: input.status === 'disabled' ? 'account.disable' : 'account.enable',
      unitPath: target.unitPath,
      targetType: 'account',
      targetId: target.id,
      detail: { username: target.username },
    });
  });
}

/** A province may add manager accounts for higher-education institutions in its province (seed 四(二)). */
export async function addUniversityManager(actor: Actor, input: AddUniversityManagerInput): Promise<IssuedCredential> {
  assertCan(actor, 'account.addUniversityManager');
  const db = await getDb();
  const [school] = await db
    .select({ id: units.id, code: units.code, name: units.name, path: units.path, stage: units.stage, status: units.status })
    .from(units)
    .where(and(eq(units.id, input.schoolId), eq(units.kind, 'school'), inJurisdiction(actor, units.path)));
  if (!school) throw new NotFoundError('学校不存在或不在您的管辖范围内');
  if (school.stage !== 'higher_education') throw new ValidationError('只能为高等学校增设信息管理员账号', { schoolId: ['该学校不是高等学校'] });
  if (school.status !== 'active') throw new ConflictError('该学校已撤销');
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  const username = await db.transaction(async (tx) => {
    const existing = await tx.select({ username: accounts.username }).from(accounts).where(and(eq(accounts.unitId, school.id), eq(accounts.role, 'manager')));
    const taken = new Set(existing.map((a) => a.username));
    let n = 2;
    while (taken.has(`${school.code}.manager${n}`)) n++;
    const name = `${school.code}.manager${n}`;
    const [created] = await tx
      .insert(accounts)
      .values({ username: name, unitId: school.id, role: 'manager', displayName: `${school.name}信息管理员（${input.displayName}）`, passwordHash, passwordIssuedAt: new Date() })
      .returning({ id: accounts.id });
    await applyRollupDeltas(tx, [{ path: school.path, accounts: 1 }]);
    await recordAudit(tx, actor, { action: 'account.create', unitPath: school.path, targetType: 'account', targetId: created.id, detail: { username: name, role: 'manager' } });
    return name;
  });
  return { unitCode: school.code, unitName: school.name, username, displayName: input.displayName, password };
}

export async function recordSignOut(actor: Actor): Promise<void> {
  const db = await getDb();
  await recordAudit(db, actor, { action: 'auth.signout', targetType: 'account', targetId: actor.accountId });
}
