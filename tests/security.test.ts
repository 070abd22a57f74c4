import { eq, sql } from 'drizzle-orm';
import { authenticator } from 'otplib';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, accountSessions, auditLog, importJobs, passwordHistory, signinFailures } from '@/lib/db/schema';
import { changeOwnPassword, resetAccountPassword, resetSecondFactor, unlockAccount } from '@/lib/accounts/service';
import { listManagedAccounts } from '@/lib/accounts/queries';
import { exportAuditLog, listAuditLog } from '@/lib/audit/queries';
import { auditFilters, parseAuditParams } from '@/lib/audit/schemas';
import { sealAuditDays, verifyAuditLog } from '@/lib/audit-integrity/service';
import { clientIp, peerAddressHeader, peerTokenHeader } from '@/lib/auth/client-ip';
import { loadSessionAccount } from '@/lib/auth/queries';
import { safeNextPath } from '@/lib/auth/redirect';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { idParam, parseId, parseSearchParams, textParam } from '@/lib/http/params';
import { redactIdNumbers } from '@/lib/log';
import { maxFailuresPerAddress, slowdownAfterFailures, slowdownMs, signinWindowMinutes } from '@/lib/signin/policy';
import { acknowledgeFailedSignins, addressKeyOf, authenticate, confirmTotpEnrolment, revokeSession, startTotpEnrolment } from '@/lib/signin/service';
import { neutralizeFormula } from '@/lib/spreadsheet/write';
import { parseTeacherFilters } from '@/lib/teachers/schemas';
import { actorFor, getAccount } from './support/factories';

let addressSequence = Math.floor(Math.random() * 50_000);
/** A client address no other test uses, so that address counters start at zero. */
function freshAddress(): string {
  addressSequence += 1;
  return `10.${51 + Math.floor(addressSequence / 62_500)}.${Math.floor(addressSequence / 250) % 250}.${addressSequence % 250}`;
}

async function auditRows(action: string, filter: { accountId?: number; username?: string; ip?: string }) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(
      sql`${auditLog.action} = ${action}
        ${filter.accountId ? sql`and ${auditLog.targetId} = ${String(filter.accountId)}` : sql``}
        ${filter.username ? sql`and ${auditLog.actorUsername} = ${filter.username}` : sql``}
        ${filter.ip ? sql`and ${auditLog.ip} = ${filter.ip}` : sql``}`,
    );
}

describe('sign-in answers', () => {
  it('gives one answer for an unknown name, a wrong password, no password and a disabled account; the log says which', async () => {
    await actorFor('510104.query1', 'Right@pass51');
    const db = await getDb();
    await db.update(accounts).set({ status: 'disabled' }).where(eq(accounts.username, '510104.query1'));
    const ip = freshAddress();
    const outcomes = [
      await authenticate({ username: '510104.nobody', password: 'Whatever@1', ip }),
      await authenticate({ username: '510104.query2', password: 'Whatever@1', ip }),
      await authenticate({ username: '510104.query1', password: 'Wrong@pass51', ip }),
      // The right password of a disabled account must not be confirmed either.
      await authenticate({ username: '510104.query1', password: 'Right@pass51', ip }),
    ];
    for (const outcome of outcomes) expect(outcome).toEqual({ ok: false, reason: 'invalid' });
    const reasons = (await db.select({ detail: auditLog.detail }).from(auditLog).where(sql`${auditLog.action} = 'auth.signin.failed' and ${auditLog.ip} = ${ip}`).orderBy(auditLog.id)).map((r) => r.detail?.reason);
    expect(reasons).toEqual(['unknown_account', 'no_password', 'bad_password', 'disabled']);
  });

  it('keeps nothing of the old lockout: the owner signing in from elsewhere is not locked out by failures (denial of service)', async () => {
    const owner = await actorFor('510104.manager', 'Owner@pass51');
    const attacker = freshAddress();
    const started = Date.now();
    let throttled = 0;
    for (let i = 0; i < 40; i++) {
      const outcome = await authenticate({ username: '510104.manager', password: `Guess@${i}x`, ip: attacker });
      if (!outcome.ok && outcome.reason === 'throttled') throttled++;
    }
    // The address is refused after its quota; the account is never locked.
    expect(throttled).toBe(40 - maxFailuresPerAddress);
    const failures = await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(signinFailures).where(eq(signinFailures.username, '510104.manager'));
    expect(failures[0].n).toBe(maxFailuresPerAddress);
    // Even the right password is refused from the attacking address for the rest of the window …
    const fromAttacker = await authenticate({ username: '510104.manager', password: 'Owner@pass51', ip: attacker });
    expect(fromAttacker).toMatchObject({ ok: false, reason: 'throttled' });
    expect(fromAttacker.ok === false && fromAttacker.reason === 'throttled' && fromAttacker.retryAfterSeconds).toBeLessThanOrEqual(signinWindowMinutes * 60);
    // … while the owner, from their own address, gets in, only slowed by the failures on the name.
    const ownerStarted = Date.now();
    const fromOwner = await authenticate({ username: '510104.manager', password: 'Owner@pass51', ip: freshAddress() });
    expect(fromOwner.ok).toBe(true);
    expect(Date.now() - ownerStarted).toBeGreaterThanOrEqual(slowdownMs(maxFailuresPerAddress) - 5);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await getAccount('510104.manager')).status).toBe('active');
    // The refusals were audited (once a minute per address, so that a flood cannot fill the log), and the block once.
    expect(await auditRows('auth.signin.throttled', { ip: attacker })).toHaveLength(1);
    expect(await auditRows('auth.throttle.address', { ip: attacker })).toHaveLength(1);
    // The owner is told of the failures after signing in.
    const session = await loadSessionAccount(owner.accountId, null);
    expect(session?.actor.signinWarning).toMatchObject({ count: maxFailuresPerAddress, lastIp: attacker });
    await acknowledgeFailedSignins(session!.actor);
    expect((await loadSessionAccount(owner.accountId, null))?.actor.signinWarning).toBeNull();
  });

  it('slows a name down with a growing delay, counts unknown names alike, and lets the managing sysadmin clear it', async () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(slowdownMs)).toEqual([0, 0, 0, 1, 2, 4, 8, 8, 8].map((n) => n * Number(process.env.SIGNIN_DELAY_BASE_MS)));
    await actorFor('510105.query1', 'Right@pass52');
    for (let i = 0; i < slowdownAfterFailures + 1; i++) await authenticate({ username: '510105.query1', password: 'nope', ip: freshAddress() });
    const sysadmin = await actorFor('510105.admin');
    const listed = (await listManagedAccounts(sysadmin, { q: '510105.query1' })).find((a) => a.username === '510105.query1');
    expect(listed?.recentFailures).toBe(slowdownAfterFailures + 1);
    await unlockAccount(sysadmin, { accountId: listed!.id });
    expect((await listManagedAccounts(sysadmin, { q: '510105.query1' })).find((a) => a.username === '510105.query1')?.recentFailures).toBe(0);
    // Nothing to clear is a conflict, and changes nothing.
    await expect(unlockAccount(sysadmin, { accountId: listed!.id })).rejects.toThrow('没有登录限制');
    // A neighbour's sysadmin cannot clear it: not found.
    for (let i = 0; i < 2; i++) await authenticate({ username: '510105.query1', password: 'nope', ip: freshAddress() });
    await expect(unlockAccount(await actorFor('510106.admin'), { accountId: listed!.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listManagedAccounts(sysadmin, { q: '510105.query1' })).find((a) => a.username === '510105.query1')?.recentFailures).toBe(2);
  });
});

describe('sessions', () => {
  it('end for good at sign-out, at their absolute expiry, and all at once when the password changes', async () => {
    await actorFor('510106.query1', 'Session@pass1');
    const ip = freshAddress();
    const first = await authenticate({ username: '510106.query1', password: 'Session@pass1', ip });
    const second = await authenticate({ username: '510106.query1', password: 'Session@pass1', ip });
    if (!first.ok || !second.ok) throw new Error('sign-in failed');
    expect(await loadSessionAccount(first.accountId, ip, first.sessionId)).not.toBeNull();
    const [row] = await (await getDb()).select().from(accountSessions).where(eq(accountSessions.id, first.sessionId));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 3600_000);

    const actor = (await loadSessionAccount(first.accountId, ip, first.sessionId))!.actor;
    await revokeSession(actor, first.sessionId);
    expect(await loadSessionAccount(first.accountId, ip, first.sessionId)).toBeNull();
    expect(await loadSessionAccount(second.accountId, ip, second.sessionId)).not.toBeNull();

    await (await getDb()).update(accountSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accountSessions.id, second.sessionId));
    expect(await loadSessionAccount(second.accountId, ip, second.sessionId)).toBeNull();

    const third = await authenticate({ username: '510106.query1', password: 'Session@pass1', ip });
    if (!third.ok) throw new Error('sign-in failed');
    await changeOwnPassword(actor, { currentPassword: 'Session@pass1', newPassword: 'Session@pass2', confirmPassword: 'Session@pass2' });
    expect(await loadSessionAccount(third.accountId, ip, third.sessionId)).toBeNull();
  });
});

describe('attempts racing each other', () => {
  it('count each other: 30 parallel wrong passwords from one address get at most the quota checked', async () => {
    await actorFor('510105.manager', 'Race@pass51');
    const attacker = freshAddress();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => authenticate({ username: '510105.manager', password: `Race#${i}x`, ip: attacker })));
    const checked = outcomes.filter((o) => !o.ok && o.reason === 'invalid').length;
    expect(checked).toBeLessThanOrEqual(maxFailuresPerAddress);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'throttled').length).toBe(30 - checked);
    expect(await auditRows('auth.signin.failed', { ip: attacker })).toHaveLength(checked);
  });

  it('group IPv6 clients by their /64 and never lump unknown addresses together', () => {
    expect(addressKeyOf('2001:db8:1:2:aaaa::1')).toBe(addressKeyOf('2001:db8:1:2:bbbb::9'));
    expect(addressKeyOf('2001:db8:1:2::1')).not.toBe(addressKeyOf('2001:db8:1:3::1'));
    expect(addressKeyOf('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(addressKeyOf(null)).toBeNull();
    expect(addressKeyOf('not an address')).toBeNull();
  });
});

describe('client address', () => {
  const request = (peer: string | null, forwarded?: string, token = 'front-token') => {
    const headers = new Headers();
    if (peer) headers.set(peerAddressHeader, peer);
    headers.set(peerTokenHeader, token);
    if (forwarded) headers.set('x-forwarded-for', forwarded);
    return headers;
  };

  it('believes X-Forwarded-For only from a configured proxy, and the peer only from our own front', () => {
    const saved = process.env.TRUSTED_PROXIES;
    process.env.TMIS_PEER_TOKEN = 'front-token';
    try {
      expect(clientIp(request('203.0.113.9', undefined, 'forged'))).toBeNull();
      delete process.env.TRUSTED_PROXIES;
      expect(clientIp(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
      expect(clientIp(request(null, '198.51.100.1'))).toBeNull();
      process.env.TRUSTED_PROXIES = '127.0.0.1, 10.0.0.0/8';
      expect(clientIp(request('127.0.0.1', '198.51.100.1'))).toBe('198.51.100.1');
      // A client writing its own header in front of the proxy's is ignored: the proxy's entry counts.
      expect(clientIp(request('127.0.0.1', '1.2.3.4, 198.51.100.1'))).toBe('198.51.100.1');
      expect(clientIp(request('10.1.2.3', '198.51.100.7, 10.0.0.5'))).toBe('198.51.100.7');
      expect(clientIp(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
    } finally {
      delete process.env.TMIS_PEER_TOKEN;
      if (saved === undefined) delete process.env.TRUSTED_PROXIES;
      else process.env.TRUSTED_PROXIES = saved;
    }
  });
});

describe('the page after sign-in', () => {
  it('is only ever a path of this site', () => {
    expect(safeNextPath('/teachers?unit=3')).toBe('/teachers?unit=3');
    expect(safeNextPath(decodeURIComponent('/%5Cevil.example/phish'))).toBe('/');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '\\\\evil', '/\t/evil.example', 'javascript:alert(1)', '', 42, null]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});

describe('passwords', () => {
  it('refuse the name, the ID number, common passwords and the last five; a refusal changes nothing', async () => {
    const actor = await actorFor('510107.query1', 'First@pass1');
    const change = (newPassword: string, currentPassword = 'First@pass1') => changeOwnPassword(actor, { currentPassword, newPassword, confirmPassword: newPassword });
    const before = await getAccount('510107.query1');
    await expect(change('x510107.query1X')).rejects.toThrow('不能包含账号');
    await expect(change('Password@2026')).rejects.toThrow('过于常见');
    await expect(change('Qwerty123!')).rejects.toThrow('过于常见');
    expect(await getAccount('510107.query1')).toEqual(before);

    const sequence = ['Second@pw2x', 'Third@pw3xy', 'Fourth@pw4z', 'Fifth@pw5ab', 'Sixth@pw6cd'];
    let current = 'First@pass1';
    for (const next of sequence) {
      await change(next, current);
      current = next;
    }
    const history = await (await getDb()).select().from(passwordHistory).where(eq(passwordHistory.accountId, actor.accountId));
    expect(history).toHaveLength(5);
    // The last five are refused; the sixth before is allowed again.
    const beforeReuse = await getAccount('510107.query1');
    await expect(change('Second@pw2x', current)).rejects.toThrow('最近 5 次');
    expect(await getAccount('510107.query1')).toEqual(beforeReuse);
    await change('First@pass1', current);
  });
});

describe('two-factor sign-in', () => {
  it('asks for the code after the password, refuses a wrong or replayed one, and takes a recovery code once', async () => {
    const actor = await actorFor('510100.query1', 'Totp@pass51');
    const { secret, uri } = await startTotpEnrolment(actor);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    await expect(confirmTotpEnrolment(actor, '000000')).rejects.toBeInstanceOf(ValidationError);
    const codes = await confirmTotpEnrolment(actor, authenticator.generate(secret));
    expect(codes).toHaveLength(10);
    // The secret is stored encrypted, the recovery codes as keyed hashes.
    const stored = await getAccount('510100.query1');
    expect(stored.totpSecret).toMatch(/^enc:/);
    expect(stored.totpSecret).not.toContain(secret);
    await expect(startTotpEnrolment(actor)).rejects.toThrow('已启用');

    const ip = freshAddress();
    expect(await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip })).toEqual({ ok: false, reason: 'second_factor', codeRejected: false });
    expect(await authenticate({ username: '510100.query1', password: 'Wrong@pass51', ip, code: '123456' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip, code: '999999' })).toEqual({ ok: false, reason: 'second_factor', codeRejected: true });

    // The enrolment spent the current step; with the stored step set back, the current code signs in once, never twice.
    const next = authenticator.generate(secret);
    await (await getDb()).update(accounts).set({ totpLastStep: Math.floor(Date.now() / 30_000) - 1 }).where(eq(accounts.id, actor.accountId));
    expect((await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip, code: next })).ok).toBe(true);
    expect(await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip, code: next })).toMatchObject({ ok: false, reason: 'second_factor', codeRejected: true });

    expect((await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip, code: codes[0].toLowerCase() })).ok).toBe(true);
    expect(await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip, code: codes[0] })).toMatchObject({ reason: 'second_factor', codeRejected: true });

    // The managing sysadmin resets it for a lost phone; then the password alone signs in again.
    await resetSecondFactor(await actorFor('510100.admin'), { accountId: actor.accountId });
    expect((await authenticate({ username: '510100.query1', password: 'Totp@pass51', ip })).ok).toBe(true);
    expect(await auditRows('account.totp.reset', { accountId: actor.accountId })).toHaveLength(1);
  });
});

describe('the audit log', () => {
  it('is append-only for the application: UPDATE, DELETE and TRUNCATE are refused and nothing changes', async () => {
    const db = await getDb();
    const [{ n: before }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_log`));
    const [latest] = await db.select().from(auditLog).orderBy(sql`id desc`).limit(1);
    const refusal = (statement: Promise<unknown>) => statement.then(() => 'done', (error: Error & { cause?: Error }) => (error.cause ?? error).message);
    expect(await refusal(db.execute(sql`update audit_log set action = 'x' where id = ${latest.id}`))).toMatch(/只能追加/);
    expect(await refusal(db.execute(sql`delete from audit_log where id = ${latest.id}`))).toMatch(/只能追加/);
    expect(await refusal(db.execute(sql`truncate audit_log`))).toMatch(/只能追加/);
    const [{ n: after }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_log`));
    expect(after).toBe(before);
    expect((await db.select().from(auditLog).where(eq(auditLog.id, latest.id)))[0]).toEqual(latest);
  });

  it('is sealed per day, and the verification finds a changed, a removed and a slipped-in row', async () => {
    const db = await getDb();
    const days = ['2001-03-01', '2001-03-02', '2001-03-03'];
    for (const day of days) {
      for (let i = 0; i < 3; i++) {
        await db.insert(auditLog).values({ occurredAt: new Date(`${day}T0${i + 1}:00:00+08:00`), actorUsername: 'seal-test', action: 'test.event', detail: { i } });
      }
    }
    const { sealed } = await sealAuditDays();
    expect(sealed).toEqual(expect.arrayContaining(days));
    expect((await verifyAuditLog()).problems).toEqual([]);
    // Sealing again seals nothing new.
    expect((await sealAuditDays()).sealed).toEqual([]);

    // Tampering needs the table owner to switch the guard off, as a rogue administrator would.
    await db.execute(sql`alter table audit_log disable trigger audit_log_append_only_rows`);
    try {
      await db.execute(sql`update audit_log set detail = '{"i": 99}' where actor_username = 'seal-test' and occurred_at = ${'2001-03-01T02:00:00+08:00'}::timestamptz`);
      await db.execute(sql`delete from audit_log where actor_username = 'seal-test' and occurred_at = ${'2001-03-02T01:00:00+08:00'}::timestamptz`);
    } finally {
      await db.execute(sql`alter table audit_log enable trigger audit_log_append_only_rows`);
    }
    await db.insert(auditLog).values({ occurredAt: new Date('2001-03-03T09:00:00+08:00'), actorUsername: 'seal-test', action: 'test.event' });
    await db.insert(auditLog).values({ occurredAt: new Date('2001-02-15T09:00:00+08:00'), actorUsername: 'seal-test', action: 'test.event' });
    const { problems } = await verifyAuditLog();
    expect(problems.map((p) => p.day)).toEqual(expect.arrayContaining(['2001-03-01', '2001-03-02', '2001-03-03', '2001-02-15']));
    expect(problems.find((p) => p.day === '2001-03-01')?.problem).toMatch(/修改/);
    expect(problems.find((p) => p.day === '2001-03-02')?.problem).toMatch(/删除|补写/);
    // Removing a day's seal to hide the edit leaves the day unsealed, which is reported too.
    await db.execute(sql`alter table audit_seals disable trigger audit_seals_append_only_rows`);
    try {
      await db.execute(sql`delete from audit_seals where day = '2001-03-02'`);
    } finally {
      await db.execute(sql`alter table audit_seals enable trigger audit_seals_append_only_rows`);
    }
    expect((await verifyAuditLog()).problems.find((p) => p.day === '2001-03-02')?.problem).toMatch(/未封存/);
  });

  it('filters by China days exactly, rows written after a later one included', async () => {
    const auditor = await actorFor('000000.audit');
    const db = await getDb();
    // A row is stamped with the time its transaction began, and written within a transaction's length of it. Days to
    // come, so that every row written before is stamped earlier, as in a real log. In the order written: two rows are
    // written half an hour after their time, one stamped before midnight but written after the next day's first row,
    // and one stamped late on the day but written after the next day's first row.
    const written = ['2099-05-01T23:00:00+08:00', '2099-05-02T00:05:00+08:00', '2099-05-01T23:40:00+08:00', '2099-05-02T08:00:00+08:00', '2099-05-02T20:00:00+08:00', '2099-05-03T00:10:00+08:00', '2099-05-02T23:50:00+08:00'];
    for (const at of written) await db.insert(auditLog).values({ occurredAt: new Date(at), actorUsername: 'window-test', action: 'test.event' });
    const times = async (params: Record<string, string>) => (await listAuditLog(auditor, auditFilters(parseAuditParams({ username: 'window-test', ...params })))).map((row) => row.occurredAt.getTime()).sort();
    const expected = (list: string[]) => list.map((at) => new Date(at).getTime()).sort();
    expect(await times({ from: '2099-05-02', to: '2099-05-02' })).toEqual(expected(['2099-05-02T00:05:00+08:00', '2099-05-02T08:00:00+08:00', '2099-05-02T20:00:00+08:00', '2099-05-02T23:50:00+08:00']));
    expect(await times({ from: '2099-05-02' })).toEqual(expected(['2099-05-02T00:05:00+08:00', '2099-05-02T08:00:00+08:00', '2099-05-02T20:00:00+08:00', '2099-05-03T00:10:00+08:00', '2099-05-02T23:50:00+08:00']));
    expect(await times({ to: '2099-05-01' })).toEqual(expected(['2099-05-01T23:00:00+08:00', '2099-05-01T23:40:00+08:00']));
  });

  it('is read by the security auditor at the ministry and provinces, no longer by their sysadmin, and names its targets', async () => {
    const provinceAdmin = await actorFor('510000.admin');
    const auditor = await actorFor('510000.audit');
    await expect(listAuditLog(provinceAdmin, {})).rejects.toBeInstanceOf(ForbiddenError);
    // The sysadmin's own actions are visible to the auditor, with readable targets.
    await resetAccountPassword(provinceAdmin, { accountId: (await getAccount('510000.query1')).id });
    const rows = await listAuditLog(auditor, { username: '510000.admin' });
    expect(rows.find((r) => r.action === 'account.password.reset')?.targetLabel).toBe('510000.query1');
    // Below the provinces the sysadmin still reads its own jurisdiction's log.
    const cityAdmin = await actorFor('510100.admin');
    await resetAccountPassword(cityAdmin, { accountId: (await getAccount('510100.query2')).id });
    expect((await listAuditLog(cityAdmin, { action: 'account.password.reset' })).map((r) => r.targetLabel)).toContain('510100.query2');
    const exported = await exportAuditLog(auditor, { username: '510000.admin' });
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(await auditRows('audit.export', { username: '510000.audit' })).toHaveLength(1);
    // One object's rows (只看此对象), from the address bar: the account reset twice above, and nothing of another account.
    const query1 = await getAccount('510000.query1');
    await resetAccountPassword(provinceAdmin, { accountId: query1.id });
    const byTarget = await listAuditLog(auditor, auditFilters(parseAuditParams({ target: `account:${query1.id}` })));
    expect(byTarget.length).toBeGreaterThanOrEqual(2);
    expect(byTarget.every((r) => r.targetType === 'account' && r.targetId === String(query1.id))).toBe(true);
    expect(byTarget.filter((r) => r.action === 'account.password.reset')).toHaveLength(2);
    // A malformed or unknown target is dropped, never sent as a condition; out of the auditor's scope is nothing.
    for (const odd of ['account', 'nothing:1', `account:${'9'.repeat(70)}`, 'account:1;drop']) expect(parseAuditParams({ target: odd }).target).toBeUndefined();
    expect(await listAuditLog(await actorFor('330000.audit'), { target: { type: 'account', id: String(query1.id) } })).toEqual([]);
    // Auditors do not reach teacher data.
    const { listTeachers } = await import('@/lib/teachers/queries');
    await expect(listTeachers(auditor, { conditions: [] })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('address-bar parameters', () => {
  it('never reach the database malformed', () => {
    expect(parseId('9999999999')).toBeNull();
    expect(parseId('2147483647')).toBe(2147483647);
    expect(parseId('0')).toBeNull();
    expect(parseId('1e3')).toBeNull();
    expect(idParam.safeParse('12').success).toBe(true);
    expect(textParam(10).parse('王\u0000芳 ')).toBe('王芳');
    expect(textParam(3).safeParse('很长的文字').success).toBe(false);
    const filters = parseTeacherFilters({ q: '王\u0000', after: '99999999999999', unit: ['12', '13'], stage: 'x'.repeat(200) });
    expect(filters).toMatchObject({ q: '王', after: undefined, unitId: 12, stage: undefined });
    expect(parseSearchParams({ before: idParam }, { before: '1'.repeat(40) })).toEqual({});
  });
});

describe('personal data in logs and spreadsheets', () => {
  it('masks ID numbers in log lines and neutralises formulas while keeping the text', () => {
    expect(redactIdNumbers('duplicate key (id_number)=(330106198503150024)')).toBe('duplicate key (id_number)=(3301**********0024)');
    expect(neutralizeFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    for (const lead of ['+', '-', '@', '\t']) expect(neutralizeFormula(`${lead}1`)).toBe(`'${lead}1`);
    expect(neutralizeFormula('王芳')).toBe('王芳');
  });
});

describe('import leftovers', () => {
  it('marks a job whose process died as interrupted and drops uploaded files after the retention time', async () => {
    const manager = await actorFor('510104.manager');
    const db = await getDb();
    const [stale] = await db
      .insert(importJobs)
      .values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'records', fileName: 'stale.xlsx', file: Buffer.from('x'), status: 'importing', heartbeatAt: new Date(Date.now() - 5 * 60_000) })
      .returning({ id: importJobs.id });
    const [old] = await db
      .insert(importJobs)
      .values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'records', fileName: 'old.xlsx', file: Buffer.from('x'), errorFile: Buffer.from('y'), status: 'valid', createdAt: new Date(Date.now() - 48 * 3600_000) })
      .returning({ id: importJobs.id });
    const [alive] = await db
      .insert(importJobs)
      .values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'records', fileName: 'alive.xlsx', file: Buffer.from('x'), status: 'importing', heartbeatAt: new Date() })
      .returning({ id: importJobs.id });
    // Queued ten minutes ago, no worker has started it yet (a busy queue): waiting, not cut off.
    const [waiting] = await db
      .insert(importJobs)
      .values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'records', fileName: 'waiting.xlsx', file: Buffer.from('x'), status: 'validating', createdAt: new Date(Date.now() - 10 * 60_000) })
      .returning({ id: importJobs.id });
    const { markInterruptedJobs, purgeImportLeftovers } = await import('@/lib/teacher-import/service');
    await markInterruptedJobs(db, manager.accountId);
    expect((await db.select().from(importJobs).where(eq(importJobs.id, waiting.id)))[0]).toMatchObject({ status: 'validating', fileName: 'waiting.xlsx' });
    // A job whose heartbeat is fresh (another node working on it) is left alone.
    expect((await db.select().from(importJobs).where(eq(importJobs.id, alive.id)))[0]).toMatchObject({ status: 'importing', fileName: 'alive.xlsx' });
    const [afterMark] = await db.select().from(importJobs).where(eq(importJobs.id, stale.id));
    expect(afterMark).toMatchObject({ status: 'interrupted', file: null });
    expect(await purgeImportLeftovers()).toBeGreaterThanOrEqual(1);
    const [afterPurge] = await db.select().from(importJobs).where(eq(importJobs.id, old.id));
    expect(afterPurge).toMatchObject({ file: null, errorFile: null, status: 'valid' });
  });
});

describe('stored import files', () => {
  it('are encrypted with the active key (AES-256-GCM), detect tampering, and are re-encrypted by key rotation', async () => {
    const { activeKeyId, decryptBytes, encryptBytes, keyIdOf } = await import('@/lib/crypto/envelope');
    const plain = Buffer.from('PK\u0003\u0004 330106198503150024 王芳');
    const blob = encryptBytes(plain);
    expect(keyIdOf(blob)).toBe(activeKeyId());
    expect(blob.includes(Buffer.from('330106198503150024'))).toBe(false);
    expect(decryptBytes(blob).equals(plain)).toBe(true);
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] ^= 1;
    expect(() => decryptBytes(tampered)).toThrow();

    // A file written under the old key (t1) is re-encrypted under the active one (t2) by the rotation.
    const saved = process.env.DATA_ENCRYPTION_KEYS!;
    const [activeEntry, oldEntry] = saved.split(',');
    process.env.DATA_ENCRYPTION_KEYS = oldEntry;
    const oldBlob = encryptBytes(plain);
    process.env.DATA_ENCRYPTION_KEYS = saved;
    expect(keyIdOf(oldBlob)).toBe(oldEntry.split(':')[0]);
    expect(activeKeyId()).toBe(activeEntry.split(':')[0]);
    const manager = await actorFor('510106.manager');
    const db = await getDb();
    const [job] = await db
      .insert(importJobs)
      .values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'records', fileName: 'rotate.xlsx', file: oldBlob, status: 'valid' })
      .returning({ id: importJobs.id });
    const { reencryptImportFiles } = await import('@/lib/teacher-import/service');
    expect(await reencryptImportFiles()).toBeGreaterThanOrEqual(1);
    const [row] = await db.select({ file: importJobs.file }).from(importJobs).where(eq(importJobs.id, job.id));
    expect(keyIdOf(row.file!)).toBe(activeKeyId());
    expect(decryptBytes(row.file!).equals(plain)).toBe(true);
    expect(await reencryptImportFiles()).toBe(0);
    // So is a piece of an export file.
    const { exportJobs, jobFileChunks } = await import('@/lib/db/schema');
    const [exportJob] = await db.insert(exportJobs).values({ accountId: manager.accountId, unitId: manager.unitId, kind: 'teachers', fileName: 'rotate.xlsx', params: {}, status: 'done' }).returning({ id: exportJobs.id });
    await db.insert(jobFileChunks).values({ jobId: exportJob.id, seq: 0, bytes: oldBlob });
    const { reencryptExportFiles } = await import('@/lib/teacher-export/service');
    expect(await reencryptExportFiles()).toBe(1);
    const [piece] = await db.select({ bytes: jobFileChunks.bytes }).from(jobFileChunks).where(eq(jobFileChunks.jobId, exportJob.id));
    expect(keyIdOf(piece.bytes)).toBe(activeKeyId());
    expect(decryptBytes(piece.bytes).equals(plain)).toBe(true);
    expect(await reencryptExportFiles()).toBe(0);

    // ID numbers rotate the same way.
    const { teachers: teachersTable } = await import('@/lib/db/schema');
    const { reencryptIdNumbers } = await import('@/lib/teachers/id-numbers/service');
    const { revealStoredIdNumber } = await import('@/lib/teachers/identity');
    const { encryptText, textKeyIdOf } = await import('@/lib/crypto/envelope');
    const { school, teacherIn } = await import('./support/factories');
    const ownTeacherId = await teacherIn(await school('510104'));
    const [teacher] = await db.select({ id: teachersTable.id, enc: teachersTable.idNumberEnc }).from(teachersTable).where(eq(teachersTable.id, ownTeacherId));
    const idNumber = revealStoredIdNumber(teacher.enc!);
    process.env.DATA_ENCRYPTION_KEYS = oldEntry;
    const oldEnc = encryptText(idNumber);
    process.env.DATA_ENCRYPTION_KEYS = saved;
    await db.update(teachersTable).set({ idNumberEnc: oldEnc }).where(eq(teachersTable.id, teacher.id));
    expect(await reencryptIdNumbers(db)).toBeGreaterThanOrEqual(1);
    const [rotated] = await db.select({ enc: teachersTable.idNumberEnc }).from(teachersTable).where(eq(teachersTable.id, teacher.id));
    expect(textKeyIdOf(rotated.enc!)).toBe(activeKeyId());
    expect(revealStoredIdNumber(rotated.enc!)).toBe(idNumber);
    expect(await reencryptIdNumbers(db)).toBe(0);
  });
});

describe('registration as an ID-number oracle', () => {
  it('answers a file with more held numbers than the hourly budget as a whole, without naming them, and writes nothing', async () => {
    const { createTeachers, registerTeachersFromSheet, registrationConflictBudget } = await import('@/lib/teachers/registration/service');
    const { registrationColumns } = await import('@/lib/teachers/schemas');
    const { registration, school } = await import('./support/factories');
    const holder = await school('510107');
    const held = Array.from({ length: registrationConflictBudget + 1 }, () => registration());
    await createTeachers(holder.sysadmin, held);
    const prober = await school('510106');
    const workbook = new (await import('exceljs')).default.Workbook();
    const sheet = workbook.addWorksheet('教师账号');
    sheet.addRow(Object.values(registrationColumns));
    for (const r of held) sheet.addRow(['探测', r.gender === '1' ? '男' : '女', r.birthDate, '居民身份证', r.idNumber, '是', '', '教师岗位']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const db = await getDb();
    const count = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from teachers where unit_id = ${prober.school.id}`))[0].n;
    const error = await registerTeachersFromSheet(prober.sysadmin, { name: 'probe.xlsx', bytes }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toContain(`${held.length} 个证件号码无法登记`);
    for (const r of held) expect((error as Error).message).not.toContain(r.idNumber.slice(-4));
    expect(await count()).toBe(0);
    // The conflicts were audited, and the budget is now spent for single registrations too.
    expect(await auditRows('teacher.register.conflict', { username: prober.sysadmin.username })).toHaveLength(1);
    const { createTeacher } = await import('@/lib/teachers/registration/service');
    await expect(createTeacher(prober.sysadmin, registration())).rejects.toThrow('暂停登记');
    expect(await count()).toBe(0);
  });
});

describe('ID numbers left in clear by an older version', () => {
  it('are encrypted at start: row, record JSON, versions, field history and login, and the teacher still signs in', async () => {
    const { school, teacherIn } = await import('./support/factories');
    const { submitRecords, approveRecords } = await import('@/lib/collection/review/service');
    const { sealLegacyIdNumbers } = await import('@/lib/teachers/id-numbers/service');
    const { idNumberHash, revealStoredIdNumber, teacherLoginName } = await import('@/lib/teachers/identity');
    const { teachers: teachersTable, teacherVersions, teacherFieldChanges } = await import('@/lib/db/schema');
    const own = await school('510105');
    const teacherId = await teacherIn(own);
    await submitRecords(own.sysadmin, { teacherIds: [teacherId] });
    await approveRecords(await actorFor('510105.manager'), { teacherIds: [teacherId], comment: '', sampled: [] });
    const db = await getDb();
    const [row] = await db.select().from(teachersTable).where(eq(teachersTable.id, teacherId));
    const idNumber = revealStoredIdNumber(row.idNumberEnc!);
    // Put the row back as an older version stored it: the number in clear everywhere.
    await db.execute(sql`update teachers set id_number = ${idNumber}, id_number_hash = null, id_number_enc = null, id_number_masked = null,
      record = jsonb_set(record, '{basic,idNumber}', to_jsonb(${idNumber}::text)) where id = ${teacherId}`);
    await db.execute(sql`update accounts set username = ${idNumber} where id = ${row.accountId}`);
    await db.execute(sql`update teacher_versions set snapshot = jsonb_set(snapshot, '{record,basic,idNumber}', to_jsonb(${idNumber}::text)),
      diff = (select jsonb_agg(case when e->>'field' = 'idNumber' then e || jsonb_build_object('newValue', ${idNumber}::text) else e end) from jsonb_array_elements(diff) e) where teacher_id = ${teacherId}`);
    await db.insert(teacherFieldChanges).values({ teacherId, subset: 'basic', field: 'idNumber', oldValue: null, newValue: idNumber, source: 'form' });
    const clearCount = async () =>
      rowsOf<{ n: number }>(
        await db.execute(sql`select (select count(*) from teachers where record::text like ${'%' + idNumber + '%'} or id_number is not null and id = ${teacherId})
          + (select count(*) from teacher_versions where (snapshot::text || diff::text) like ${'%' + idNumber + '%'})
          + (select count(*) from teacher_field_changes where teacher_id = ${teacherId} and (coalesce(old_value::text, '') || coalesce(new_value::text, '')) like ${'%' + idNumber + '%'})
          + (select count(*) from accounts where username = ${idNumber}) as n`),
      )[0].n;
    expect(Number(await clearCount())).toBeGreaterThanOrEqual(4);

    expect(await sealLegacyIdNumbers(db)).toBeGreaterThanOrEqual(1);
    expect(Number(await clearCount())).toBe(0);
    const [sealed] = await db.select().from(teachersTable).where(eq(teachersTable.id, teacherId));
    expect(sealed).toMatchObject({ legacyIdNumber: null, idNumberHash: idNumberHash(idNumber) });
    expect(revealStoredIdNumber(sealed.idNumberEnc!)).toBe(idNumber);
    expect((await db.select({ snapshot: teacherVersions.snapshot }).from(teacherVersions).where(eq(teacherVersions.teacherId, teacherId)))[0].snapshot.record.basic.idNumber).toBe(sealed.idNumberMasked);
    expect((await getAccount(idNumber)).username).toBe(teacherLoginName(idNumber));
    await actorFor(idNumber, 'Legacy@pass51');
    expect((await authenticate({ username: idNumber, password: 'Legacy@pass51', ip: freshAddress() })).ok).toBe(true);
    // Once sealed, nothing is left to do.
    expect(await sealLegacyIdNumbers(db)).toBe(0);
  });
});

describe('teacher logins named by a hash', () => {
  it('are shown to the school as the ID number the teacher types, found by it in searches, and case does not matter', async () => {
    const { school, registration } = await import('./support/factories');
    const { createTeacher } = await import('@/lib/teachers/registration/service');
    const own = await school('510106');
    const { createTeacherSchema } = await import('@/lib/teachers/schemas');
    const typed = registration({ idType: 'A', idNumber: `e${Date.now() % 10_000_000}` });
    // As the action parses it: the number is normalised to upper case.
    const input = { ...createTeacherSchema.parse(typed), idNumber: typed.idNumber };
    const created = await createTeacher(own.sysadmin, createTeacherSchema.parse(typed));
    expect(created.credential.username).toBe(input.idNumber.toUpperCase());
    // The same passport number in other case is the same person.
    await expect(createTeacher(own.sysadmin, { ...input, idNumber: input.idNumber.toUpperCase() })).rejects.toThrow('已在');
    const account = await getAccount(input.idNumber);
    const listed = await listManagedAccounts(own.sysadmin, { q: input.idNumber });
    expect(listed.map((a) => a.id)).toContain(account.id);
    expect(listed.find((a) => a.id === account.id)?.loginLabel).not.toContain(input.idNumber.slice(2));
    const reset = await resetAccountPassword(own.sysadmin, { accountId: account.id });
    expect(reset.username).toBe(input.idNumber.toUpperCase());
    expect((await authenticate({ username: input.idNumber, password: reset.password, ip: freshAddress() })).ok).toBe(true);
  });
});

describe('password lifetimes', () => {
  it('are set per tier by the province; an account past it must change its password, elsewhere nothing changes', async () => {
    const { savePasswordPolicy } = await import('@/lib/password-policy/service');
    const { savePasswordPolicySchema } = await import('@/lib/password-policy/schemas');
    const { getPasswordPolicy } = await import('@/lib/password-policy/queries');
    const { school } = await import('./support/factories');
    const db = await getDb();
    const guizhou = await actorFor('520000.admin');
    const inGuizhou = await school('520102');
    const inSichuan = await school('510104');
    const old = new Date(Date.now() - 100 * 86_400_000);
    for (const s of [inGuizhou, inSichuan]) await db.update(accounts).set({ passwordChangedAt: old }).where(eq(accounts.id, s.manager.accountId));
    const expired = async (accountId: number) => (await loadSessionAccount(accountId, null))!.actor;

    // Refused to a manager, and to values out of range, changing nothing.
    await expect(savePasswordPolicy(await actorFor('520000.manager'), { maxAgeDays: { school: 90 } })).rejects.toBeInstanceOf(ForbiddenError);
    expect(savePasswordPolicySchema.safeParse({ maxAgeDays: { school: '10' } }).success).toBe(false);
    expect((await getPasswordPolicy(guizhou)).maxAgeDays).toEqual({});

    await savePasswordPolicy(guizhou, savePasswordPolicySchema.parse({ maxAgeDays: { school: '90', teacher: '', central: '30' } }));
    expect((await getPasswordPolicy(guizhou)).maxAgeDays).toEqual({ school: 90 });
    const guizhouManager = await expired(inGuizhou.manager.accountId);
    expect(guizhouManager.passwordExpired).toBe(true);
    expect((await expired(inSichuan.manager.accountId)).passwordExpired).toBe(false);
    expect((await expired(guizhou.accountId)).passwordExpired).toBe(false);
    // Changing the password starts a new lifetime.
    await changeOwnPassword(guizhouManager, { currentPassword: 'Test@2026pw', newPassword: 'Renewed@pw52', confirmPassword: 'Renewed@pw52' });
    expect((await expired(inGuizhou.manager.accountId)).passwordExpired).toBe(false);
    expect(await auditRows('security.passwordPolicy.save', { username: '520000.admin' })).toHaveLength(1);
  });
});
