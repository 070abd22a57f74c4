import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { accounts, teachers } from '@/lib/db/schema';
import type { Actor, Role, Tier } from '@/lib/auth/actor';
import { mayViewFullIdNumber } from '@/lib/auth/personal-data';
import { pathInJurisdiction } from '@/lib/auth/scope';
import { can, type Permission } from '@/lib/auth/policy';
import { resetAccountPassword, setAccountStatus } from '@/lib/accounts/service';
import { approveRecords, returnRecords, submitRecords } from '@/lib/collection/review/service';
import { fileChangeRequest } from '@/lib/collection/changes/service';
import { getRecordWorkflow } from '@/lib/collection/queries';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { readTable } from '@/lib/spreadsheet/read-table';
import { maxUploadBytes } from '@/lib/spreadsheet/limits';
import { getTeacherRecord, listFieldChanges, readPhoto } from '@/lib/teachers/queries';
import { revealIdNumber } from '@/lib/teachers/id-numbers/service';
import { saveSection } from '@/lib/teachers/editing/service';
import { revealStoredIdNumber } from '@/lib/teachers/identity';
import { actorFor, exportTeachersNow, getAccount, school, seedSchool, teacherIn } from './support/factories';

/**
 * The access matrix: every staff role at every tier, against a teacher and an account in units above,
 * beside and below it. Whatever the policy table (can) and the jurisdiction rule say is refused must
 * be refused — forbidden or not found — and must change nothing.
 */

const roles: Role[] = ['sysadmin', 'manager', 'viewer'];
const suffix: Record<string, string> = { sysadmin: 'admin', manager: 'manager', viewer: 'query1', auditor: 'audit' };

/**
 * 四川: a school in 锦江区 (own), a school in 青羊区 (beside), a university run by the province (above
 * the counties). The actors sit at every tier on the way, and beside at each level (自贡, 贵州).
 */
async function tree() {
  const own = await school('510104');
  const beside = await school('510105');
  const university = await seedSchool({ authorityCode: '510000', typeCode: '411', divisionCode: '510104' });
  const above = { school: university, sysadmin: await actorFor(`${university.code}.admin`), manager: await actorFor(`${university.code}.manager`) };
  return { own, beside, above, teachers: { own: await teacherIn(own), beside: await teacherIn(beside), above: await teacherIn(above) } };
}

async function snapshot(teacherId: number) {
  const [row] = await (await getDb()).select({ revision: teachers.revision, state: teachers.recordState, record: teachers.record, unitPath: teachers.unitPath }).from(teachers).where(eq(teachers.id, teacherId));
  return row;
}

type Attempt = { permission: Permission; run: (actor: Actor, teacherId: number) => Promise<unknown> };

const teacherAttempts: Attempt[] = [
  { permission: 'teacher.edit', run: async (actor, teacherId) => saveSection(actor, { teacherId, revision: (await snapshot(teacherId)).revision, subset: 'contact', values: { mobile: '13900000000' } }) },
  { permission: 'record.submit', run: (actor, teacherId) => submitRecords(actor, { teacherIds: [teacherId] }) },
  { permission: 'record.review', run: (actor, teacherId) => approveRecords(actor, { teacherIds: [teacherId], comment: '', sampled: [] }) },
  { permission: 'record.review', run: (actor, teacherId) => returnRecords(actor, { teacherIds: [teacherId], reason: '越权测试' }) },
  { permission: 'record.fileChange', run: (actor, teacherId) => fileChangeRequest(actor, { teacherId, subset: 'contact', kind: 'update', values: { mobile: '13900000001' }, reason: '越权测试' }) },
  { permission: 'teacher.list', run: (actor, teacherId) => revealIdNumber(actor, { teacherId }) },
  // Reads: an out-of-scope record, its history, workflow and photo are simply not found.
  { permission: 'teacher.list', run: (actor, teacherId) => getTeacherRecord(actor, teacherId) },
  { permission: 'teacher.list', run: (actor, teacherId) => listFieldChanges(actor, teacherId) },
  { permission: 'teacher.list', run: (actor, teacherId) => getRecordWorkflow(actor, teacherId) },
  { permission: 'teacher.list', run: (actor, teacherId) => readPhoto(actor, teacherId) },
];

describe('the access matrix', () => {
  it('refuses every role at every tier where the policy table or the jurisdiction says no, changing nothing', async () => {
    const { own, teachers: targets } = await tree();
    const units: { tier: Tier; code: string }[] = [
      { tier: 'school', code: own.school.code },
      { tier: 'county', code: '510104' },
      { tier: 'city', code: '510100' },
      { tier: 'city', code: '510300' },
      { tier: 'province', code: '510000' },
      { tier: 'province', code: '520000' },
    ];
    let refusals = 0;
    let outOfScope = 0;
    for (const unit of units) {
      // The ministry's and provinces' security auditors reach no teacher data at all.
      for (const role of unit.tier === 'province' ? [...roles, 'auditor' as const] : roles) {
        const actor = await actorFor(`${unit.code}.${suffix[role]}`);
        for (const [place, teacherId] of Object.entries(targets)) {
          const before = await snapshot(teacherId);
          const inScope = pathInJurisdiction(actor, before.unitPath);
          for (const attempt of teacherAttempts) {
            // Where both the table and the jurisdiction allow it, the attempt may succeed: not a refusal case.
            // (The reveal also needs the full-ID rule, tested on its own below.)
            if (inScope && can(actor, attempt.permission)) continue;
            const error = await attempt.run(actor, teacherId).then(
              () => null,
              (e: unknown) => e,
            );
            const label = `${unit.code} ${role} → ${place} teacher, ${attempt.permission}`;
            if (!inScope && can(actor, attempt.permission)) expect(error, label).toBeInstanceOf(NotFoundError);
            else expect(error instanceof NotFoundError || error instanceof ForbiddenError, `${label}: ${String(error)}`).toBe(true);
            expect(await snapshot(teacherId), label).toEqual(before);
            refusals++;
            if (!inScope) outOfScope++;
          }
        }
      }
    }
    expect(refusals).toBeGreaterThan(300);
    expect(outOfScope).toBeGreaterThan(250);
  });

  it('refuses account management of units above, beside and below the direct subordinates, changing nothing', async () => {
    const { own, beside } = await tree();
    const county = await actorFor('510104.admin');
    const targets = [
      await getAccount('510100.admin'), // above
      await getAccount('510105.manager'), // beside
      await getAccount(`${beside.school.code}.admin`), // below a neighbour
      await getAccount(`${own.school.code}.manager`), // below, but not the school's head account
    ];
    for (const target of targets) {
      const before = await getAccount(target.username);
      await expect(resetAccountPassword(county, { accountId: target.id })).rejects.toBeInstanceOf(NotFoundError);
      await expect(setAccountStatus(county, { accountId: target.id, status: 'disabled' })).rejects.toBeInstanceOf(NotFoundError);
      expect(await getAccount(target.username)).toEqual(before);
    }
    // 三员分立: a province's sysadmin cannot take over its own security auditor; the ministry's sysadmin manages it.
    const auditorAccount = await getAccount('510000.audit');
    await expect(resetAccountPassword(await actorFor('510000.admin'), { accountId: auditorAccount.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(setAccountStatus(await actorFor('510000.admin'), { accountId: auditorAccount.id, status: 'disabled' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await getAccount('510000.audit')).toEqual(auditorAccount);
    expect((await resetAccountPassword(await actorFor('000000.admin'), { accountId: auditorAccount.id })).username).toBe('510000.audit');
    for (const role of ['manager', 'viewer'] as const) {
      const actor = await actorFor(`510104.${suffix[role]}`);
      const target = await getAccount(`${own.school.code}.admin`);
      await expect(resetAccountPassword(actor, { accountId: target.id })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await getAccount(target.username)).toEqual(target);
    }
  });
});

describe('full ID numbers', () => {
  it('follow one rule: the teacher, or the sysadmin or manager of the school or its competent authority', async () => {
    const teacher = { unitId: 10, unitParentId: 5, accountId: 99 };
    const actor = (role: Role, unitId: number, accountId = 1) => ({ role, unitId, accountId });
    expect(mayViewFullIdNumber(actor('teacher', 10, 99), teacher)).toBe(true);
    expect(mayViewFullIdNumber(actor('teacher', 10, 98), teacher)).toBe(false);
    for (const role of ['sysadmin', 'manager'] as const) {
      expect(mayViewFullIdNumber(actor(role, 10), teacher)).toBe(true);
      expect(mayViewFullIdNumber(actor(role, 5), teacher)).toBe(true);
      expect(mayViewFullIdNumber(actor(role, 1), teacher)).toBe(false); // the city above the county
    }
    for (const role of ['viewer', 'auditor', 'institution'] as const) expect(mayViewFullIdNumber(actor(role, 10), teacher)).toBe(false);
  });

  it('are masked in every version diff for staff, and exported in full only with a purpose, row by row, audited', async () => {
    const own = await school('510106');
    const teacherId = await teacherIn(own);
    const [{ idNumberEnc }] = await (await getDb()).select({ idNumberEnc: teachers.idNumberEnc }).from(teachers).where(eq(teachers.id, teacherId));
    const idNumber = revealStoredIdNumber(idNumberEnc!);
    await submitRecords(own.sysadmin, { teacherIds: [teacherId] });
    const countyManager = await actorFor('510106.manager');
    await approveRecords(countyManager, { teacherIds: [teacherId], comment: '', sampled: [] });

    for (const username of ['510106.query1', '510106.manager', '510100.manager', `${own.school.code}.admin`]) {
      const workflow = await getRecordWorkflow(await actorFor(username), teacherId);
      const shown = JSON.stringify(workflow.versions);
      expect(shown, username).toContain('idNumber');
      expect(shown, username).not.toContain(idNumber);
      expect(JSON.stringify(await getTeacherRecord(await actorFor(username), teacherId)), username).not.toContain(idNumber);
    }
    const [account] = await (await getDb()).select({ username: accounts.username }).from(accounts).innerJoin(teachers, eq(teachers.accountId, accounts.id)).where(eq(teachers.id, teacherId));
    const teacherActor = await actorFor(account.username);
    // Versions keep the masked form only, for everyone; the teacher sees the full number on the record itself.
    expect(JSON.stringify((await getRecordWorkflow(teacherActor, teacherId)).versions)).not.toContain(idNumber);
    expect((await getTeacherRecord(teacherActor, teacherId)).idNumberFull).toBe(idNumber);

    const idsIn = async (content: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
      const values: string[] = [];
      workbook.worksheets[0].eachRow((row, n) => n > 1 && values.push(String(row.getCell(3).value ?? '')));
      return values.filter(Boolean);
    };
    // The city's manager holds the right in general but not for this county's school: masked even with a purpose.
    const city = await exportTeachersNow(await actorFor('510100.manager'), { unitId: own.school.id }, ['basic'], { reveal: { purpose: '核对编制' } });
    expect(city.unmasked).toBe(0);
    expect(await idsIn(city.content)).not.toContain(idNumber);
    // The county's manager without a purpose: masked; with one: in full, audited with the count and the purpose.
    const plain = await exportTeachersNow(countyManager, { unitId: own.school.id }, ['basic']);
    expect(await idsIn(plain.content)).not.toContain(idNumber);
    const full = await exportTeachersNow(countyManager, { unitId: own.school.id }, ['basic'], { reveal: { purpose: '报送人社部门核对编制' } });
    expect(full.unmasked).toBe(1);
    expect(await idsIn(full.content)).toContain(idNumber);
    const [audit] = rowsOf<{ detail: { unmasked: number; purpose: string; rows: number } }>(
      await (await getDb()).execute(sql`select detail from audit_log where action = 'teacher.export' and actor_account_id = ${countyManager.accountId} order by id desc limit 1`),
    );
    expect(audit.detail).toMatchObject({ unmasked: 1, rows: 1, purpose: '报送人社部门核对编制' });
    // A viewer may not ask for full numbers at all, and nothing is exported or audited.
    const viewer = await actorFor('510106.query1');
    const [{ n: before }] = rowsOf<{ n: number }>(await (await getDb()).execute(sql`select count(*)::int as n from audit_log where action = 'teacher.export' and actor_account_id = ${viewer.accountId}`));
    await expect(exportTeachersNow(viewer, {}, ['basic'], { reveal: { purpose: '想看看' } })).rejects.toBeInstanceOf(ForbiddenError);
    const [{ n: after }] = rowsOf<{ n: number }>(await (await getDb()).execute(sql`select count(*)::int as n from audit_log where action = 'teacher.export' and actor_account_id = ${viewer.accountId}`));
    expect(after).toBe(before);
    const [{ jobs }] = rowsOf<{ jobs: number }>(await (await getDb()).execute(sql`select count(*)::int as jobs from export_jobs where account_id = ${viewer.accountId}`));
    expect(jobs).toBe(0);
    // A staff view of the full record outside the teacher's school is audited.
    const [{ n: views }] = rowsOf<{ n: number }>(await (await getDb()).execute(sql`select count(*)::int as n from audit_log where action = 'teacher.view' and target_id = ${String(teacherId)}`));
    expect(views).toBeGreaterThanOrEqual(3);
  });
});

describe('uploaded spreadsheets', () => {
  it('refuses a zip bomb before inflating it, and a file over the upload limit with the limit named', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(64 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expect(readTable({ name: 'bomb.xlsx', bytes: bomb }, { maxRows: 10 })).rejects.toThrow(/压缩比异常/);
    // A bomb that lies about its sizes (1,000 bytes declared in both headers) is caught while inflating.
    const liar = Buffer.from(bomb);
    let patched = 0;
    for (const [signature, sizeOffset] of [[0x04034b50, 22], [0x02014b50, 24]] as const) {
      for (let at = liar.indexOf(Buffer.from([0x50, 0x4b])); at >= 0; at = liar.indexOf(Buffer.from([0x50, 0x4b]), at + 1)) {
        if (liar.readUInt32LE(at) === signature && liar.readUInt32LE(at + sizeOffset) === 64 * 1024 * 1024) {
          liar.writeUInt32LE(1000, at + sizeOffset);
          patched++;
        }
      }
    }
    expect(patched).toBe(2);
    await expect(readTable({ name: 'liar.xlsx', bytes: new Uint8Array(liar) }, { maxRows: 10 })).rejects.toThrow(/压缩比异常/);
    await expect(readTable({ name: 'big.xlsx', bytes: new Uint8Array(maxUploadBytes + 1) }, { maxRows: 10 })).rejects.toThrow(/30 MB/);
    await expect(readTable({ name: 'bad.xlsx', bytes: new TextEncoder().encode('not a zip') }, { maxRows: 10 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('exports neutralise formulas that a teacher typed, and reading our own export back restores them', async () => {
    const own = await school('510107');
    await teacherIn(own, { complete: true, name: '=HYPERLINK("http://evil.example","点我")' });
    const { content } = await exportTeachersNow(own.manager, { unitId: own.school.id }, ['basic']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    const names: unknown[] = [];
    workbook.worksheets[0].eachRow((row, n) => n > 1 && names.push(row.getCell(4).value));
    expect(names).toContain(`'=HYPERLINK("http://evil.example","点我")`);
    const table = await readTable({ name: 'back.xlsx', bytes: new Uint8Array(content) }, { maxRows: 100 });
    expect(table.rows.map((r) => r.cells['姓名'])).toContain('=HYPERLINK("http://evil.example","点我")');
  });
});
