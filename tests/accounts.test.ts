import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { auditLog } from '@/lib/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { meetsPasswordPolicy } from '@/lib/auth/password-policy';
import { generateInitialPassword } from '@/lib/auth/password';
import { listManagedAccounts } from '@/lib/accounts/queries';
import {
  addUniversityManager,
  changeOwnPassword,
  issueSubordinateCredentials,
  resetAccountPassword,
  setAccountStatus,
} from '@/lib/accounts/service';
import { listAuditLog } from '@/lib/audit/queries';
import { authenticate } from '@/lib/signin/service';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { actorFor, getAccount, getUnitByCode, seedSchool } from './support/factories';

async function auditCount(action: string, targetId: number) {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(sql`${auditLog.action} = ${action} and ${auditLog.targetId} = ${String(targetId)}`);
  return row.n;
}

describe('password policy', () => {
  it('wants 8 characters from 3 of the 4 classes', () => {
    expect(meetsPasswordPolicy('abcdefg1')).toBe(false);
    expect(meetsPasswordPolicy('Abcdefg1')).toBe(true);
    expect(meetsPasswordPolicy('Ab1!')).toBe(false);
    expect(meetsPasswordPolicy('abcd!234')).toBe(true);
    for (let i = 0; i < 200; i++) expect(meetsPasswordPolicy(generateInitialPassword())).toBe(true);
  });
});

describe('sign-in', () => {
  it('changes the own password only with the current one, and ends other sessions', async () => {
    const actor = await actorFor('450300.query1', 'Old@pass123');
    const before = await getAccount('450300.query1');
    await expect(changeOwnPassword(actor, { currentPassword: 'nope', newPassword: 'New@pass456', confirmPassword: 'New@pass456' })).rejects.toBeInstanceOf(ValidationError);
    await changeOwnPassword(actor, { currentPassword: 'Old@pass123', newPassword: 'New@pass456', confirmPassword: 'New@pass456' });
    const after = await getAccount('450300.query1');
    expect(after.mustChangePassword).toBe(false);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await verifyPassword(after.passwordHash, 'New@pass456')).toBe(true);
  });
});

describe('credential distribution', () => {
  it('issues passwords to the sysadmins of chosen direct subordinates only, forcing a change', async () => {
    const city = await actorFor('450100.admin');
    const county = await getUnitByCode('450102');
    const issued = await issueSubordinateCredentials(city, { unitIds: [county.id] });
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ unitCode: '450102', username: '450102.admin' });
    expect(meetsPasswordPolicy(issued[0].password)).toBe(true);
    const account = await getAccount('450102.admin');
    expect(account.mustChangePassword).toBe(true);
    expect(await verifyPassword(account.passwordHash, issued[0].password)).toBe(true);
    expect((await authenticate({ username: '450102.admin', password: issued[0].password, ip: '10.45.0.1' })).ok).toBe(true);
    expect(await auditCount('account.credentials.issue', account.id)).toBe(1);
  });

  it('treats a neighbouring, a grandchild and a superior unit as not found, changing nothing', async () => {
    const city = await actorFor('450100.admin');
    for (const code of ['450200', '450000', '450102']) {
      const unit = await getUnitByCode(code);
      if (code === '450102') {
        const school = await seedSchool({ authorityCode: '450102' });
        const before = await getAccount(`${school.code}.admin`);
        await expect(issueSubordinateCredentials(city, { unitIds: [school.id] })).rejects.toBeInstanceOf(NotFoundError);
        expect(await getAccount(`${school.code}.admin`)).toEqual(before);
      } else {
        const before = await getAccount(`${code}.admin`);
        await expect(issueSubordinateCredentials(city, { unitIds: [unit.id] })).rejects.toBeInstanceOf(NotFoundError);
        expect(await getAccount(`${code}.admin`)).toEqual(before);
      }
    }
  });

  it('lets a sysadmin manage its own unit and its direct subordinates’ sysadmins, nothing else', async () => {
    const county = await actorFor('450103.admin');
    const school = await seedSchool({ authorityCode: '450103' });
    const managed = await listManagedAccounts(county, {});
    const names = managed.map((a) => a.username);
    expect(names).toEqual(expect.arrayContaining(['450103.admin', '450103.manager', '450103.query1', '450103.query2', `${school.code}.admin`]));
    expect(names).not.toContain(`${school.code}.manager`);
    const schoolManager = await getAccount(`${school.code}.manager`);
    await expect(resetAccountPassword(county, { accountId: schoolManager.id })).rejects.toBeInstanceOf(NotFoundError);
    const neighbour = await getAccount('450105.manager');
    await expect(setAccountStatus(county, { accountId: neighbour.id, status: 'disabled' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await getAccount('450105.manager')).status).toBe('active');
    const reset = await resetAccountPassword(county, { accountId: (await getAccount(`${school.code}.admin`)).id });
    expect(reset.username).toBe(`${school.code}.admin`);
    await expect(resetAccountPassword(county, { accountId: county.accountId })).rejects.toBeInstanceOf(ForbiddenError);
    const viewer = await actorFor('450103.query1');
    await expect(listManagedAccounts(viewer, {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets a province add manager accounts to its universities only', async () => {
    const province = await actorFor('450000.admin');
    const university = await seedSchool({ authorityCode: '450000', typeCode: '411', divisionCode: '450102' });
    const primary = await seedSchool({ authorityCode: '450102' });
    const issued = await addUniversityManager(province, { schoolId: university.id, displayName: '人事处' });
    expect(issued.username).toBe(`${university.code}.manager2`);
    expect((await authenticate({ username: issued.username, password: issued.password, ip: '10.45.0.1' })).ok).toBe(true);
    await expect(addUniversityManager(province, { schoolId: primary.id, displayName: '人事处' })).rejects.toBeInstanceOf(ValidationError);
    const otherProvince = await actorFor('440000.admin');
    await expect(addUniversityManager(otherProvince, { schoolId: university.id, displayName: '人事处' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('audit log', () => {
  it('shows a sysadmin (or, at a province, its security auditor) the events of its jurisdiction only', async () => {
    await authenticate({ username: '460100.query1', password: 'wrong', ip: '10.1.1.1' });
    await authenticate({ username: '460200.query1', password: 'wrong', ip: '10.1.1.2' });
    const haikou = await actorFor('460100.admin');
    const rows = await listAuditLog(haikou, { action: 'auth.signin.failed' });
    expect(rows.map((r) => r.actorUsername)).toContain('460100.query1');
    expect(rows.map((r) => r.actorUsername)).not.toContain('460200.query1');
    const hainan = await actorFor('460000.audit');
    const provinceRows = await listAuditLog(hainan, { action: 'auth.signin.failed' });
    expect(provinceRows.map((r) => r.actorUsername)).toEqual(expect.arrayContaining(['460100.query1', '460200.query1']));
    const db = await getDb();
    const [one] = await db.select().from(auditLog).where(eq(auditLog.actorUsername, '460100.query1'));
    expect(one.ip).toBe('10.1.1.1');
  });
});

describe('training institutions', () => {
  it('get their submitting account issued and managed by the registering authority', async () => {
    const { insertUnitsWithDefaultAccounts } = await import('@/lib/units/service');
    const province = await getUnitByCode('450000');
    const db = await getDb();
    const [institution] = await db.transaction((tx) =>
      insertUnitsWithDefaultAccounts(tx, [
        { code: 'PX45000099', name: '广西测试培训机构', kind: 'institution', tier: 'school', parentId: province.id, parentPath: province.path, divisionCode: '450102' },
      ]),
    );
    const provinceAdmin = await actorFor('450000.admin');
    const [issued] = await issueSubordinateCredentials(provinceAdmin, { unitIds: [institution.id] });
    expect(issued.username).toBe('PX45000099.submit');
    expect((await authenticate({ username: issued.username, password: issued.password, ip: '10.45.0.1' })).ok).toBe(true);
    expect((await listManagedAccounts(provinceAdmin, { q: 'PX45000099' })).map((a) => a.username)).toEqual(['PX45000099.submit']);
    const neighbour = await actorFor('440000.admin');
    await expect(issueSubordinateCredentials(neighbour, { unitIds: [institution.id] })).rejects.toBeInstanceOf(NotFoundError);
  });
});
