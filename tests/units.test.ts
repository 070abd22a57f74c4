import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import { units } from '@/lib/db/schema';
import { rollupTotalsOf } from '@/lib/units/queries';
import { foldAggregateDeltas } from '@/lib/statistics/service';
import { countSubtreeSchools, getUnitDetail, listChildUnits, searchUnits } from '@/lib/units/queries';
import { rebuildRollups } from '@/lib/units/service';
import { NotFoundError } from '@/lib/errors';
import { actorFor, getUnitByCode, seedSchool } from './support/factories';

describe('national unit tree', () => {
  it('holds the ministry, 31 provinces, 333 cities and 2,844 counties', async () => {
    const db = await getDb();
    // The national tree's authorities carry 6-digit division codes (tests add counties of their own with longer codes).
    const rows = await db.select({ tier: units.tier, n: sql<number>`count(*)::int` }).from(units).where(and(eq(units.kind, 'authority'), sql`${units.code} ~ '^[0-9]{6}$'`)).groupBy(units.tier);
    const byTier = Object.fromEntries(rows.map((r) => [r.tier, r.n]));
    expect(byTier).toEqual({ central: 1, province: 31, city: 333, county: 2844 });
  });

  it('hangs municipality districts under the province and leaves 东莞 without counties', async () => {
    const beijing = await getUnitByCode('110000');
    const haidian = await getUnitByCode('110108');
    expect(haidian.parentId).toBe(beijing.id);
    expect(haidian.path).toBe(`${beijing.path}.${haidian.id}`);
    const dongguan = await getUnitByCode('441900');
    const db = await getDb();
    expect(await listChildUnits(db, { parentId: dongguan.id, limit: 10 })).toHaveLength(0);
    const school = await seedSchool({ authorityCode: '441900' });
    expect(school.path.startsWith(`${dongguan.path}.`)).toBe(true);
    expect(await countSubtreeSchools(db, dongguan.path)).toBe(1);
  });

  it('gives every unit its four default accounts, named after the unit code, without passwords', async () => {
    const db = await getDb();
    const result = await db.execute(sql`select username, role, password_hash from accounts where unit_id = (select id from units where code = '330109') order by username`);
    const rows = rowsOf<{ username: string; role: string; password_hash: string | null }>(result);
    expect(rows.map((r) => [r.username, r.role])).toEqual([
      ['330109.admin', 'sysadmin'],
      ['330109.manager', 'manager'],
      ['330109.query1', 'viewer'],
      ['330109.query2', 'viewer'],
    ]);
    expect(rows.every((r) => r.password_hash === null)).toBe(true);
  });

  it('keeps subtree rollups equal to a full recount', async () => {
    await seedSchool({ authorityCode: '320102' });
    await seedSchool({ authorityCode: '320000', typeCode: '411', divisionCode: '320102' });
    const db = await getDb();
    const everyUnit = async () => {
      const ids = (await db.select({ id: units.id }).from(units)).map((unit) => unit.id);
      return [...(await rollupTotalsOf(db, ids))].sort(([a], [b]) => a - b);
    };
    const before = await everyUnit();
    await db.transaction((tx) => rebuildRollups(tx));
    const after = await everyUnit();
    expect(after).toEqual(before);
    // Folding the (now empty) deltas changes nothing either.
    await foldAggregateDeltas();
    expect(await everyUnit()).toEqual(before);
    const jiangsu = await getUnitByCode('320000');
    const rollup = (await rollupTotalsOf(db, [jiangsu.id])).get(jiangsu.id)!;
    expect(rollup.schools).toBe(await countSubtreeSchools(db, jiangsu.path));
  });
});

describe('unit browsing is scoped to the jurisdiction', () => {
  it('lets a county viewer see its own unit and schools, but not its city, a neighbour or another province', async () => {
    const school = await seedSchool({ authorityCode: '320102', name: '玄武区范围测试小学' });
    const viewer = await actorFor('320102.query1');
    const own = await getUnitDetail(viewer, viewer.unitId);
    expect(own.counts.schools).toBeGreaterThanOrEqual(1);
    expect((await getUnitDetail(viewer, school.id)).name).toBe('玄武区范围测试小学');
    for (const code of ['320100', '320104', '330106', '000000']) {
      const other = await getUnitByCode(code);
      await expect(getUnitDetail(viewer, other.id)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('lets a province manager see below but not beside or above', async () => {
    const manager = await actorFor('320000.manager');
    expect((await getUnitDetail(manager, (await getUnitByCode('320102')).id)).name).toBe('玄武区教育局');
    await expect(getUnitDetail(manager, (await getUnitByCode('330000')).id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getUnitDetail(manager, (await getUnitByCode('000000')).id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(['admin', 'manager', 'query1'])('gives a city %s its county, but not its province or a neighbouring city', async (suffix) => {
    const actor = await actorFor(`320100.${suffix}`);
    expect((await getUnitDetail(actor, (await getUnitByCode('320102')).id)).code).toBe('320102');
    expect((await getUnitDetail(actor, actor.unitId)).code).toBe('320100');
    for (const code of ['320000', '320200', '320205']) {
      await expect(getUnitDetail(actor, (await getUnitByCode(code)).id)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('searches by name and code only inside the jurisdiction', async () => {
    const viewer = await actorFor('320100.query1');
    const found = await searchUnits(viewer, '区');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((u) => (u.divisionCode ?? u.code).startsWith('3201'))).toBe(true);
    expect(await searchUnits(viewer, '西湖')).toEqual([]);
    expect((await searchUnits(viewer, '320102')).map((u) => u.code)).toEqual(['320102']);
  });

  it('refuses teachers and institutions the unit browser', async () => {
    const school = await seedSchool({ authorityCode: '320102' });
    const db = await getDb();
    const { accounts } = await import('@/lib/db/schema');
    await db.insert(accounts).values({ username: `${school.code}.teacher`, unitId: school.id, role: 'teacher', displayName: '测试教师' });
    const teacher = await actorFor(`${school.code}.teacher`);
    await expect(getUnitDetail(teacher, school.id)).rejects.toThrow('权限');
  });
});
