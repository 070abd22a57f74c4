/**
 * Times a school-list import of N new schools (default 100,000, the per-file limit) through the
 * same service the import page uses, against DATABASE_URL. Usage: npm run bench:import [-- --rows 100000]
 */
import ExcelJS from 'exceljs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts, units } from '@/lib/db/schema';
import { loadSessionAccount } from '@/lib/auth/queries';
import { initializeReferenceData } from '@/lib/setup/service';
import { schoolListColumns } from '@/lib/schools/schemas';
import { importSchoolList } from '@/lib/schools/service';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const rows = Number(values.rows);

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');
  const { db, migrate } = await getConnection();
  await migrate();
  await initializeReferenceData(db);
  const counties = await db.select({ code: units.code }).from(units).where(eq(units.tier, 'county')).orderBy(units.code);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单');
  sheet.addRow(Object.values(schoolListColumns));
  const base = Date.now() % 900000;
  for (let i = 0; i < rows; i++) {
    const county = counties[i % counties.length].code;
    const seq = String((base + i) % 1000000).padStart(6, '0');
    sheet.addRow([`19${county.slice(0, 2)}${seq}`, `导入压测学校${county}-${seq}`, '211', county, county, '公办', '']);
  }
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  console.log(`file: ${rows} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);
  const [ministryAccount] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, '000000.admin'));
  const actor = (await loadSessionAccount(ministryAccount.id, null))!.actor;
  const started = performance.now();
  const outcome = await importSchoolList(actor, { name: 'bench.xlsx', bytes });
  const seconds = (performance.now() - started) / 1000;
  if (!outcome.ok) throw new Error(`import refused: ${outcome.errors.slice(0, 3).map((e) => `${e.rowNumber} ${e.message}`).join('; ')}`);
  console.log(`imported ${outcome.summary.created} schools (${outcome.summary.created * 4} accounts) in one transaction: ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s`);
  await closeConnection();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
