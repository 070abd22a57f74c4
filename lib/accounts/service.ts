import 'server-only';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor, type Transaction } from '@/lib/db';
import { accounts, passwordHistory, teachers, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { generateInitialPassword, hashPassword, hashPasswords, verifyPassword } from '@/lib/auth/password';
import { passwordScreenFailure } from '@/lib/auth/password-screen';
import { revealStoredIdNumber } from '@/lib/teachers/identity';
import { assertCan } from '@/lib/auth/policy';
import { clearFailuresForName, clearSecondFactor, revokeAllSessions } from '@/lib/signin/service';
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

/** How many earlier passwords a change may not return to. */
export const passwordHistoryDepth = 5;

/**
 * The actor changes its own password: not one containing its name or ID number, not a common one,
 * not one of its last five. Every session of the account ends, this one included.
 */
/** Changes the actor's own password and ends every session; answers the name to sign in with again (a teacher's is the ID number). */
export async function changeOwnPassword(actor: Actor, input: ChangePasswordInput): Promise<{ signInName: string }> {
  const db = await getDb();
  const [current] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, actor.accountId));
  if (!current || !(await verifyPassword(current.passwordHash, input.currentPassword))) {
    throw new ValidationError('当前密码不正确', { currentPassword: ['当前密码不正确'] });
  }
  const [teacher] = actor.role === 'teacher' ? await db.select({ idNumberEnc: teachers.idNumberEnc }).from(teachers).where(eq(teachers.accountId, actor.accountId)) : [];
  const idNumber = teacher?.idNumberEnc ? revealStoredIdNumber(teacher.idNumberEnc) : null;
  // A teacher's account name is a hash of the ID number: what must not be in the password is the number.
  const screened = passwordScreenFailure(input.newPassword, { username: actor.role === 'teacher' ? '' : actor.username, idNumber });
  if (screened) throw new ValidationError(screened, { newPassword: [screened] });
  const earlier = await db
    .select({ passwordHash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.accountId, actor.accountId))
    .orderBy(sql`${passwordHistory.changedAt} desc`)
    .limit(passwordHistoryDepth);
  for (const { passwordHash } of earlier) {
    if (await verifyPassword(passwordHash, input.newPassword)) {
      throw new ValidationError(`新密码不能与最近 ${passwordHistoryDepth} 次使用过的密码相同`, { newPassword: [`不能与最近 ${passwordHistoryDepth} 次使用过的密码相同`] });
    }
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: now, sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: now })
      .where(eq(accounts.id, actor.accountId));
    // At the first change the password being replaced starts the history; later it is already in it.
    if (current.passwordHash && earlier.length === 0) await tx.insert(passwordHistory).values({ accountId: actor.accountId, passwordHash: current.passwordHash, changedAt: new Date(now.getTime() - 1) });
    await tx.insert(passwordHistory).values({ accountId: actor.accountId, passwordHash, changedAt: now });
    await tx.execute(sql`
      delete from password_history where account_id = ${actor.accountId} and changed_at not in (
        select changed_at from password_history where account_id = ${actor.accountId} order by changed_at desc limit ${passwordHistoryDepth})`);
    await revokeAllSessions(tx, actor.accountId);
    await recordAudit(tx, actor, { action: 'account.password.change', targetType: 'account', targetId: actor.accountId });
  });
  return { signInName: idNumber ?? actor.username };
}

export interface IssuedCredential {
  unitCode: string;
  unitName: string;
  username: string;
  displayName: string;
  password: string;
}

/** One account's new password hash, waiting to be set, and how its audit row names the account. */
export interface CredentialGrant {
  accountId: number;
  passwordHash: string;
  auditName: string;
  unitPath?: string;
}

/** Passwords made and hashed but not yet set: the sheet's rows and the hashes that go with them. */
export interface PreparedCredentials {
  issued: IssuedCredential[];
  grants: CredentialGrant[];
}

/** Hears how many of `total` passwords are hashed, as the hashing goes. */
export type OnHashed = (done: number, total: number) => Promise<void>;

/** Fresh initial passwords for the targets, hashed a few at a time. */
export async function preparePasswords<T>(targets: T[], onHashed: OnHashed | undefined, toRows: (target: T, password: string, passwordHash: string) => { issued: IssuedCredential; grant: CredentialGrant }): Promise<PreparedCredentials> {
  await onHashed?.(0, targets.length);
  const passwords = targets.map(() => generateInitialPassword());
  const hashes = await hashPasswords(passwords, onHashed && ((done) => onHashed(done, targets.length)));
  const rows = targets.map((target, i) => toRows(target, passwords[i], hashes[i]));
  return { issued: rows.map((row) => row.issued), grants: rows.map((row) => row.grant) };
}

/**
 * Sets prepared hashes and writes the audit rows, inside the caller's transaction. `onlyWithoutPassword`
 * (teachers created by import) refuses the whole set if any account got a password meanwhile.
 */
export async function grantCredentials(tx: Transaction, actor: Actor, grants: CredentialGrant[], options: { onlyWithoutPassword?: boolean; units?: number } = {}): Promise<void> {
  await setIssuedPasswords(tx, actor, grants, { onlyWithoutPassword: options.onlyWithoutPassword });
  await recordAudit(
    tx,
    actor,
    ...grants.map((grant) => ({ action: 'account.credentials.issue', unitPath: grant.unitPath, targetType: 'account', targetId: grant.accountId, detail: { username: grant.auditName } })),
    { action: 'account.credentials.export', targetType: 'unit', targetId: actor.unitId, detail: { accounts: grants.length, units: options.units } },
  );
}

/** The sysadmins of the chosen active units directly below the actor's unit; any unit not among them is "not found". */
export async function findIssueTargets(executor: Executor, actor: Actor, unitIds: number[]) {
  assertCan(actor, 'credential.issue');
  const wanted = [...new Set(unitIds)];
  const targets = await executor
    .select({ accountId: accounts.id, username: accounts.username, displayName: accounts.displayName, unitId: units.id, unitCode: units.code, unitName: units.name, unitPath: units.path })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(and(inArray(units.id, wanted), eq(units.parentId, actor.unitId), eq(units.status, 'active'), inArray(accounts.role, [...subordinateHeadRoles])))
    .orderBy(units.code, accounts.username);
  if (new Set(targets.map((t) => t.unitId)).size !== wanted.length) throw new NotFoundError('所选单位中有不存在、已撤销或不是本单位直接下级的单位，请刷新后重试');
  return targets;
}

/** Initial passwords for the sysadmins of the chosen units directly below, hashed but not yet set. */
export async function prepareSubordinateCredentials(actor: Actor, input: IssueCredentialsInput, onHashed?: OnHashed): Promise<PreparedCredentials> {
  const targets = await findIssueTargets(await getDb(), actor, input.unitIds);
  return preparePasswords(targets, onHashed, (target, password, passwordHash) => ({
    issued: { unitCode: target.unitCode, unitName: target.unitName, username: target.username, displayName: target.displayName, password },
    grant: { accountId: target.accountId, passwordHash, auditName: target.username, unitPath: target.unitPath },
  }));
}

/**
 * (Re)issues initial passwords to the sysadmins of the chosen units directly below the actor's
 * unit at once. The plain passwords exist only in the returned rows.
 */
export async function issueSubordinateCredentials(actor: Actor, input: IssueCredentialsInput): Promise<IssuedCredential[]> {
  const prepared = await prepareSubordinateCredentials(actor, input);
  const db = await getDb();
  await db.transaction((tx) => grantCredentials(tx, actor, prepared.grants, { units: new Set(input.unitIds).size }));
  return prepared.issued;
}

/** Sets freshly issued password hashes on managed accounts only; fails whole if any row is out of reach. */
export async function setIssuedPasswords(executor: Executor, actor: Actor, rows: { accountId: number; passwordHash: string }[], options: { onlyWithoutPassword?: boolean } = {}): Promise<void> {
  const chunk = 1000;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const values = sql.join(slice.map((r) => sql`(${r.accountId}::int, ${r.passwordHash}::text)`), sql`, `);
    const updated = rowsOf<{ id: number }>(
      await executor.execute(sql`
        update accounts a set password_hash = v.hash, must_change_password = true, is_demo = false,
          session_version = a.session_version + 1,
          password_issued_at = now(), updated_at = now()
        from (values ${values}) as v(id, hash), units u
        where a.id = v.id and u.id = a.unit_id
          and ${accountsManagedBy(actor, { accountUnitId: sql`a.unit_id`, accountRole: sql`a.role`, unitParentId: sql`u.parent_id` })}
          ${options.onlyWithoutPassword ? sql`and a.password_hash is null` : sql``}
        returning a.id
      `),
    );
    if (updated.length !== slice.length) throw new ConflictError(options.onlyWithoutPassword ? '部分教师已另行发放了初始密码，本分发表作废，请重新生成' : '部分账号已变更或不在您的管理范围内，请刷新后重试');
  }
}

async function getManagedAccount(executor: Executor, actor: Actor, accountId: number) {
  assertCan(actor, 'account.manage');
  const [row] = await executor
    .select({ id: accounts.id, username: accounts.username, teacherIdNumberEnc: sql<string | null>`(select t.id_number_enc from ${teachers} t where t.account_id = ${accounts.id})`, loginLabel: sql<string>`coalesce((select t.id_number_masked from ${teachers} t where t.account_id = ${accounts.id}), ${accounts.username})`, displayName: accounts.displayName, status: accounts.status, totpEnabledAt: accounts.totpEnabledAt, unitPath: units.path, unitCode: units.code, unitName: units.name })
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
    await recordAudit(tx, actor, { action: 'account.password.reset', unitPath: target.unitPath, targetType: 'account', targetId: target.id, detail: { username: target.loginLabel } });
  });
  // A teacher signs in with the ID number (the account name is its hash); the managing sysadmin is the
  // school's, whom the full-ID rule allows, and the reset is audited.
  const username = target.teacherIdNumberEnc ? revealStoredIdNumber(target.teacherIdNumberEnc) : target.username;
  return { unitCode: target.unitCode, unitName: target.unitName, username, displayName: target.displayName, password };
}

/** Clears the sign-in slowdown on a managed account's name (recent failures are forgotten). */
export async function unlockAccount(actor: Actor, input: AccountIdInput): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const target = await getManagedAccount(tx, actor, input.accountId);
    const cleared = await clearFailuresForName(tx, target.username);
    if (cleared === 0) throw new ConflictError('该账号当前没有登录限制');
    await recordAudit(tx, actor, { action: 'account.unlock', unitPath: target.unitPath, targetType: 'account', targetId: target.id, detail: { username: target.username, failures: cleared } });
  });
}

/** Removes a managed account's second factor (a lost phone): the owner enrols again at the next sign-in. */
export async function resetSecondFactor(actor: Actor, input: AccountIdInput): Promise<void> {
  const db = await getDb();
  if (input.accountId === actor.accountId) throw new ForbiddenError('不能重置自己的双因素认证');
  await db.transaction(async (tx) => {
    const target = await getManagedAccount(tx, actor, input.accountId);
    if (!target.totpEnabledAt) throw new ConflictError('该账号未启用双因素认证');
    await clearSecondFactor(tx, target.id);
    await tx.update(accounts).set({ sessionVersion: sql`${accounts.sessionVersion} + 1` }).where(eq(accounts.id, target.id));
    await recordAudit(tx, actor, { action: 'account.totp.reset', unitPath: target.unitPath, targetType: 'account', targetId: target.id, detail: { username: target.loginLabel } });
  });
}

/** Disable or enable; requireActor re-reads the status, so it takes effect at the next request. */
export async function setAccountStatus(actor: Actor, input: SetAccountStatusInput): Promise<void> {
  const db = await getDb();
  if (input.accountId === actor.accountId) throw new ForbiddenError('不能停用或启用自己的账号');
  await db.transaction(async (tx) => {
    const target = await getManagedAccount(tx, actor, input.accountId);
    if (input.status === 'active') {
      // A teacher who left (人员状态 3xx) gets the login back only through 重新入职.
      const [left] = await tx.select({ id: teachers.id }).from(teachers).where(and(eq(teachers.accountId, target.id), sql`${teachers.personnelStatus} like '3%'`));
      if (left) throw new ConflictError('该教师已离开本单位，账号不能直接启用；如再次任职，请由新学校通过“教师调动 → 重新入职”办理');
    }
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
      detail: { username: target.loginLabel },
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

