import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { accounts, auditLog, units } from '@/lib/db/schema';
import { schoolListColumns } from '@/lib/schools/schemas';
import { importSchoolList } from '@/lib/schools/service';
import { authenticate } from '@/lib/signin/service';
import { ForbiddenError, ValidationError } from '@/lib/errors';
import { actorFor, getUnitByCode, nextSchoolCode } from './support/factories';

const headers = Object.values(schoolListColumns);

async function xlsxFile(rows: string[][], headerRow: string[] = headers) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单');
  sheet.addRow(headerRow);
  for (const row of rows) sheet.addRow(row);
  return { name: 'schools.xlsx', bytes: new Uint8Array(await workbook.xlsx.writeBuffer()) };
}

async function counts() {
  const db = await getDb();
  const [row] = await db.select({ units: sql<number>`(select count(*)::int from units)`, accounts: sql<number>`(select count(*)::int from accounts)` }).from(sql`(select 1) as one`);
  return row;
}

describe('school-list import', () => {
  it('imports a valid file: schools under their authority with default accounts, audited', async () => {
    const ministry = await actorFor('000000.admin');
    const primary = nextSchoolCode('32');
    const university = nextSchoolCode('32', '41');
    const central = nextSchoolCode('32', '41');
    const outcome = await importSchoolList(
      ministry,
      await xlsxFile([
        [primary, '玄武区导入测试小学', '211', '320102', '320102', '公办', ''],
        [university, '江苏导入测试学院', '412', '320102', '320000', '公办', '正常'],
        [central, '部属导入测试大学', '411', '320102', '000000', '公办', ''],
      ]),
    );
    expect(outcome).toEqual({ ok: true, summary: { rows: 3, created: 3, updated: 0, closed: 0, reopened: 0, unchanged: 0 } });
    const school = await getUnitByCode(primary);
    expect(school.parentId).toBe((await getUnitByCode('320102')).id);
    expect(school.stage).toBe('primary_secondary');
    expect((await getUnitByCode(university)).parentId).toBe((await getUnitByCode('320000')).id);
    expect((await getUnitByCode(central)).parentId).toBe((await getUnitByCode('000000')).id);
    const db = await getDb();
    const schoolAccounts = await db.select({ username: accounts.username }).from(accounts).where(eq(accounts.unitId, school.id));
    expect(schoolAccounts.map((a) => a.username).sort()).toEqual([`${primary}.admin`, `${primary}.manager`, `${primary}.query1`, `${primary}.query2`]);
    const [audit] = await db.select().from(auditLog).where(sql`${auditLog.action} = 'school.create' and ${auditLog.targetId} = ${String(school.id)}`);
    expect(audit.actorUsername).toBe('000000.admin');
  });

  it('reports every bad row and writes nothing', async () => {
    const ministry = await actorFor('000000.admin');
    const good = nextSchoolCode('32');
    const dup = nextSchoolCode('32');
    const before = await counts();
    const outcome = await importSchoolList(
      ministry,
      await xlsxFile([
        [good, '好学校', '211', '320102', '320102', '公办', ''],
        ['12345', '短代码学校', '211', '320102', '320102', '公办', ''],
        [nextSchoolCode('33'), '省份不符学校', '211', '320102', '320102', '公办', ''],
        [nextSchoolCode('32'), '类型错误学校', '999', '320102', '320102', '公办', ''],
        [nextSchoolCode('32'), '区划错误学校', '211', '329999', '320102', '公办', ''],
        [nextSchoolCode('32'), '主管不存在学校', '211', '320102', '999999', '公办', ''],
        [nextSchoolCode('32'), '主管层级不符学校', '211', '320102', '320000', '公办', ''],
        [nextSchoolCode('32'), '主管不在所在地学校', '211', '320102', '320104', '公办', ''],
        [nextSchoolCode('32'), '性质错误学校', '211', '320102', '320102', '国营', ''],
        [dup, '重复一', '211', '320102', '320102', '公办', ''],
        [dup, '重复二', '211', '320102', '320102', '公办', ''],
        [nextSchoolCode('32'), '', '211', '320102', '320102', '公办', ''],
        [nextSchoolCode('32', '41'), '高校主管为县', '411', '320102', '320102', '公办', ''],
        [nextSchoolCode('32'), '不存在却撤销', '211', '320102', '320102', '公办', '撤销'],
      ]),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const byRow = new Map(outcome.errors.map((e) => [e.rowNumber, e]));
    expect(byRow.has(2)).toBe(false);
    expect(byRow.get(3)).toMatchObject({ column: '学校标识码', message: '学校标识码应为 10 位数字' });
    expect(byRow.get(4)?.message).toContain('所在省份代码 32');
    expect(byRow.get(5)?.column).toBe('办学类型代码');
    expect(byRow.get(6)?.message).toBe('行政区划代码不存在');
    expect(byRow.get(7)?.message).toBe('主管教育行政部门代码不存在');
    expect(byRow.get(8)?.message).toContain('县级或市级');
    expect(byRow.get(9)?.message).toBe('学校所在地不在该主管部门的行政区域内');
    expect(byRow.get(10)?.column).toBe('办学性质');
    expect(byRow.get(12)?.message).toBe('学校标识码与第 11 行重复');
    expect(byRow.get(13)?.message).toBe('学校名称不能为空');
    expect(byRow.get(14)?.message).toContain('省级教育行政部门或教育部');
    expect(byRow.get(15)?.message).toContain('不能标记为撤销');
    expect(await counts()).toEqual(before);
  });

  it('rejects broken files with a clear message and writes nothing', async () => {
    const ministry = await actorFor('000000.admin');
    const before = await counts();
    const cases: [string, { name: string; bytes: Uint8Array }][] = [
      ['文件类型不支持', { name: 'schools.pdf', bytes: new TextEncoder().encode('%PDF-1.4') }],
      ['无法读取该 xlsx', { name: 'schools.xlsx', bytes: new TextEncoder().encode('not a zip at all') }],
      ['空的', { name: 'schools.csv', bytes: new Uint8Array() }],
      ['表头缺少列', await xlsxFile([[nextSchoolCode('32'), '学校', '211', '320102', '320102', '公办']], ['代码', '名称', '类型', '区划', '主管', '性质'])],
      ['只有表头', await xlsxFile([])],
    ];
    for (const [message, file] of cases) {
      await expect(importSchoolList(ministry, file)).rejects.toThrow(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('reads a UTF-8 csv with a byte-order mark', async () => {
    const ministry = await actorFor('000000.admin');
    const code = nextSchoolCode('32');
    const text = `${headers.join(',')}\r\n${code},玄武区CSV测试小学,211,320102,320102,公办,\r\n`;
    const outcome = await importSchoolList(ministry, { name: 'schools.csv', bytes: new TextEncoder().encode(`\uFEFF${text}`) });
    expect(outcome.ok).toBe(true);
    expect((await getUnitByCode(code)).name).toBe('玄武区CSV测试小学');
  });

  it('re-import updates changed schools, closes and reopens them, and keeps an audit trail', async () => {
    const ministry = await actorFor('000000.admin');
    const code = nextSchoolCode('32');
    await importSchoolList(ministry, await xlsxFile([[code, '原名小学', '211', '320102', '320102', '公办', '']]));
    const renamed = await importSchoolList(ministry, await xlsxFile([[code, '新名小学', '211', '320102', '320102', '民办', '']]));
    expect(renamed).toMatchObject({ ok: true, summary: { updated: 1, created: 0 } });
    const unchanged = await importSchoolList(ministry, await xlsxFile([[code, '新名小学', '211', '320102', '320102', '民办', '']]));
    expect(unchanged).toMatchObject({ ok: true, summary: { unchanged: 1 } });
    const closed = await importSchoolList(ministry, await xlsxFile([[code, '新名小学', '211', '320102', '320102', '民办', '撤销']]));
    expect(closed).toMatchObject({ ok: true, summary: { closed: 1 } });
    const school = await getUnitByCode(code);
    expect(school).toMatchObject({ name: '新名小学', ownership: 'private', status: 'closed' });
    const moved = await importSchoolList(ministry, await xlsxFile([[code, '新名小学', '211', '320104', '320104', '民办', '正常']]));
    expect(moved).toMatchObject({ ok: true, summary: { reopened: 1 } });
    const after = await getUnitByCode(code);
    const qinhuai = await getUnitByCode('320104');
    expect(after.path).toBe(`${qinhuai.path}.${after.id}`);
    const db = await getDb();
    const trail = await db.select({ action: auditLog.action, detail: auditLog.detail }).from(auditLog).where(sql`${auditLog.targetType} = 'unit' and ${auditLog.targetId} = ${String(school.id)}`).orderBy(auditLog.id);
    expect(trail.map((t) => t.action)).toEqual(['school.create', 'school.update', 'school.close', 'school.reopen']);
    expect((trail[1].detail as { changes: Record<string, unknown> }).changes).toMatchObject({ name: { from: '原名小学', to: '新名小学' }, ownership: { from: 'public', to: 'private' } });
    expect((trail[3].detail as { changes: Record<string, unknown> }).changes).toMatchObject({ authorityCode: { from: '320102', to: '320104' }, divisionCode: { from: '320102', to: '320104' } });
  });

  it('lets a province import only within its province, and nobody below a province', async () => {
    const jiangsu = await actorFor('320000.admin');
    const ok = await importSchoolList(jiangsu, await xlsxFile([[nextSchoolCode('32'), '省级导入小学', '211', '320102', '320102', '公办', '']]));
    expect(ok.ok).toBe(true);
    const before = await counts();
    const outside = await importSchoolList(jiangsu, await xlsxFile([[nextSchoolCode('33'), '外省学校', '211', '330106', '330106', '公办', '']]));
    expect(outside.ok === false && outside.errors[0].message).toBe('主管教育行政部门不在您的管辖范围内');
    expect(await counts()).toEqual(before);
    const city = await actorFor('320100.admin');
    await expect(importSchoolList(city, await xlsxFile([]))).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('csv encodings', () => {
  it('reads a GB18030 csv as Excel saves it on Chinese Windows', async () => {
    const ministry = await actorFor('000000.admin');
    const bytes = new Uint8Array(readFileSync(path.join(__dirname, 'fixtures', 'school-list-gb18030.csv')));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const outcome = await importSchoolList(ministry, { name: '学校名单.csv', bytes });
    expect(outcome.ok).toBe(true);
    expect((await getUnitByCode('2132990001')).name).toBe('玄武区国标编码测试小学');
  });
});

describe('closing a school', () => {
  it('stops its accounts from signing in', async () => {
    const ministry = await actorFor('000000.admin');
    const code = nextSchoolCode('32');
    await importSchoolList(ministry, await xlsxFile([[code, '将撤销小学', '211', '320102', '320102', '公办', '']]));
    await actorFor(`${code}.admin`, 'School@2026x');
    expect((await authenticate({ username: `${code}.admin`, password: 'School@2026x', ip: '10.32.0.1' })).ok).toBe(true);
    await importSchoolList(ministry, await xlsxFile([[code, '将撤销小学', '211', '320102', '320102', '公办', '撤销']]));
    expect(await authenticate({ username: `${code}.admin`, password: 'School@2026x', ip: '10.32.0.1' })).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('import limits', () => {
  it('refuses more rows than the per-file limit', async () => {
    const ministry = await actorFor('000000.admin');
    const lines = [headers.join(',')];
    for (let i = 0; i < 100_001; i++) lines.push(`21320${String(i).padStart(5, '0')},学校${i},211,320102,320102,公办,`);
    await expect(importSchoolList(ministry, { name: 'big.csv', bytes: new TextEncoder().encode(lines.join('\n')) })).rejects.toBeInstanceOf(ValidationError);
    const db = await getDb();
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(units).where(sql`${units.name} = '学校99999'`);
    expect(row.n).toBe(0);
  });
});
