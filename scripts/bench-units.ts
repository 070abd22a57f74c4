/**
 * Loads a national-scale unit tree (500,000 schools by default, each with its 4 default accounts)
 * into DATABASE_URL and times the subtree queries the unit browser depends on.
 * Usage: DATABASE_URL=... npm run bench:units [-- --schools 500000 --runs 50]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measure } from './bench-timing';
import { and, eq, sql } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts, units } from '@/lib/db/schema';
import { loadSessionAccount } from '@/lib/auth/queries';
import { countSubtreeSchools, listChildUnits, searchUnits } from '@/lib/units/queries';
import { initializeNationalTree, insertUnitsWithDefaultAccounts, type NewUnit } from '@/lib/units/service';

const { values } = parseArgs({ options: { schools: { type: 'string', default: '500000' }, runs: { type: 'string', default: '50' } } });
const targetSchools = Number(values.schools);
const runs = Number(values.runs);

async function time(label: string, fn: (i: number) => Promise<unknown>) {
  const t = await measure(runs, fn);
  console.log(`${label}: p50 ${t.p50.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, max ${t.max.toFixed(2)} ms (${runs} runs)`);
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');
  const { db, migrate } = await getConnection();
  await migrate();
  await db.transaction((tx) => initializeNationalTree(tx));
  const [{ existing }] = await db.select({ existing: sql<number>`count(*)::int` }).from(units).where(eq(units.kind, 'school'));
  const counties = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(eq(units.tier, 'county')).orderBy(units.code);
  if (existing < targetSchools) {
    const started = performance.now();
    const perProvinceSeq = new Map<string, number>();
    let made = existing;
    const batch: NewUnit[] = [];
    const flush = async () => {
      await db.transaction((tx) => insertUnitsWithDefaultAccounts(tx, batch.splice(0)));
    };
    for (let i = 0; made < targetSchools; i++, made++) {
      const county = counties[i % counties.length];
      const province = county.code.slice(0, 2);
      const seq = (perProvinceSeq.get(province) ?? 500000) + 1;
      perProvinceSeq.set(province, seq);
      batch.push({
        code: `21${province}${String(seq).padStart(6, '0')}`,
        name: `${county.code}压测学校${seq}`,
        kind: 'school',
        tier: 'school',
        parentId: county.id,
        parentPath: county.path,
        divisionCode: county.code,
        schoolTypeCode: '211',
        stage: 'primary_secondary',
        ownership: 'public',
      });
      if (batch.length === 20000) await flush();
    }
    if (batch.length) await flush();
    await db.execute(sql`analyze units`);
    await db.execute(sql`analyze accounts`);
    console.log(`loaded ${targetSchools - existing} schools with 4 accounts each in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const [{ schools }] = await db.select({ schools: sql<number>`count(*)::int` }).from(units).where(eq(units.kind, 'school'));
  const [{ accountCount }] = await db.execute(sql`select count(*)::int as "accountCount" from accounts`).then((r) => r as unknown as { accountCount: number }[]);
  console.log(`tree: ${schools} schools, ${accountCount} accounts`);

  const provinces = await db.select({ id: units.id, path: units.path }).from(units).where(eq(units.tier, 'province'));
  const sampleCounties = counties.filter((_, i) => i % 57 === 0);
  await time("list one county's schools (first page of 50, by code)", (i) =>
    listChildUnits(db, { parentId: sampleCounties[i % sampleCounties.length].id, kind: 'school', limit: 50 }),
  );
  await time("list all of one county's schools (subtree, ~175 rows)", (i) =>
    db.select({ id: units.id, code: units.code, name: units.name }).from(units)
      .where(and(sql`${units.path} <@ ${sampleCounties[i % sampleCounties.length].path}::ltree`, eq(units.kind, 'school')))
      .orderBy(units.code),
  );
  await time('count the schools under one province', (i) => countSubtreeSchools(db, provinces[i % provinces.length].path));
  const [ministryAdmin] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, '000000.query1'));
  const ministry = (await loadSessionAccount(ministryAdmin.id, null))!.actor;
  await time('search the nation by school name (3+ characters, trigram)', (i) => searchUnits(ministry, `压测学校${500100 + i * 37}`));
  await time('search the nation by school name (2 characters, no trigram)', () => searchUnits(ministry, '西湖'));
  await time('search the nation by code prefix', (i) => searchUnits(ministry, `2133${String(i).padStart(2, '0')}`));
  await closeConnection();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
