import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '@/lib/db';
import { accounts, unitRollupDeltas, units } from '@/lib/db/schema';
import { divisions } from '@/lib/reference/divisions';
import { ensureNationalDefaultRule } from '@/lib/training/conversion/service';
import { auditorTiers } from '@/lib/auth/policy';
import { rollupColumns, zeroRollupTotals, type RollupTotals } from './queries';
import { auditorAccountSlot, centralUnitCode, centralUnitName, defaultAccountSlotsFor, defaultUsername } from './defaults';

type UnitInsert = typeof units.$inferInsert;

export interface NewUnit {
  code: string;
  name: string;
  kind: UnitInsert['kind'];
  tier: UnitInsert['tier'];
  parentId: number | null;
  parentPath: string | null;
  divisionCode?: string | null;
  schoolTypeCode?: string | null;
  stage?: string | null;
  ownership?: UnitInsert['ownership'];
}

export interface CreatedUnit {
  id: number;
  code: string;
  name: string;
  path: string;
}

const chunkSize = 2000;

export async function allocateUnitIds(executor: Executor, count: number): Promise<number[]> {
  if (count === 0) return [];
  const result = await executor.execute(
    sql`select nextval(pg_get_serial_sequence('units', 'id'))::int as id from generate_series(1, ${count}::int)`,
  );
  return rowsOf<{ id: number }>(result).map((row) => Number(row.id));
}

/**
 * Inserts units and their four default accounts. Accounts get no password: credentials are issued
 * when they are distributed, so that creating two million accounts costs no hashing.
 */
export async function insertUnitsWithDefaultAccounts(executor: Executor, newUnits: NewUnit[]): Promise<CreatedUnit[]> {
  const ids = await allocateUnitIds(executor, newUnits.length);
  const created = newUnits.map((unit, i) => ({
    id: ids[i],
    code: unit.code,
    name: unit.name,
    path: unit.parentPath ? `${unit.parentPath}.${ids[i]}` : String(ids[i]),
  }));
  for (let start = 0; start < newUnits.length; start += chunkSize) {
    await executor.insert(units).values(
      newUnits.slice(start, start + chunkSize).map((unit, offset) => {
        const { id, path } = created[start + offset];
        return {
          id,
          path,
          code: unit.code,
          name: unit.name,
          kind: unit.kind,
          tier: unit.tier,
          parentId: unit.parentId,
          divisionCode: unit.divisionCode ?? null,
          schoolTypeCode: unit.schoolTypeCode ?? null,
          stage: unit.stage ?? null,
          ownership: unit.ownership ?? null,
        };
      }),
    );
  }
  const accountRows = created.flatMap((unit, i) =>
    defaultAccountSlotsFor(newUnits[i].kind, newUnits[i].tier).map((slot) => ({
      username: defaultUsername(unit.code, slot.suffix),
      unitId: unit.id,
      role: slot.role,
      displayName: `${unit.name}${slot.label}`,
    })),
  );
  for (let start = 0; start < accountRows.length; start += chunkSize) {
    await executor.insert(accounts).values(accountRows.slice(start, start + chunkSize));
  }
  await applyRollupDeltas(
    executor,
    newUnits.map((unit, i) => ({
      path: created[i].path,
      authorities: unit.kind === 'authority' ? 1 : 0,
      schools: unit.kind === 'school' ? 1 : 0,
      institutions: unit.kind === 'institution' ? 1 : 0,
      accounts: defaultAccountSlotsFor(unit.kind, unit.tier).length,
    })),
  );
  return created;
}

export interface RollupDelta {
  /** Path of the unit whose change is counted; every unit on it is adjusted. */
  path: string;
  authorities?: number;
  schools?: number;
  closedSchools?: number;
  institutions?: number;
  accounts?: number;
  teachers?: number;
  recordsComplete?: number;
  recordsSubmitted?: number;
  recordsEffective?: number;
  recordsReturned?: number;
}


/**
 * Adds the deltas to the subtree totals of every unit on each path: appended to `unit_rollup_deltas`, one row per unit, so two
 * transactions never wait on the same ancestor's row (readers sum folded rows and deltas; `foldAggregateDeltas` folds).
 */
export async function applyRollupDeltas(executor: Executor, deltas: RollupDelta[]): Promise<void> {
  const byUnit = new Map<number, RollupTotals>();
  for (const delta of deltas) {
    for (const label of delta.path.split('.')) {
      const unitId = Number(label);
      let totals = byUnit.get(unitId);
      if (!totals) byUnit.set(unitId, (totals = zeroRollupTotals()));
      for (const field of rollupColumns) totals[field] += delta[field] ?? 0;
    }
  }
  const rows = [...byUnit].filter(([, totals]) => rollupColumns.some((field) => totals[field] !== 0)).map(([unitId, totals]) => ({ unitId, ...totals }));
  for (let start = 0; start < rows.length; start += chunkSize) {
    await executor.insert(unitRollupDeltas).values(rows.slice(start, start + chunkSize));
  }
}

/** Recomputes every subtree total from the base tables (repair tool, and the check in tests). */
export async function rebuildRollups(executor: Executor): Promise<void> {
  await executor.execute(sql`delete from unit_rollup_deltas`);
  await executor.execute(sql`delete from unit_rollups`);
  await executor.execute(sql`
    insert into unit_rollups (unit_id, authorities, schools, closed_schools, institutions, accounts, teachers,
      records_complete, records_submitted, records_effective, records_returned)
    select a.id,
      count(*) filter (where u.kind = 'authority'),
      count(*) filter (where u.kind = 'school'),
      count(*) filter (where u.kind = 'school' and u.status = 'closed'),
      count(*) filter (where u.kind = 'institution'),
      coalesce(sum(ac.n), 0),
      coalesce(sum(te.n), 0),
      coalesce(sum(te.complete), 0),
      coalesce(sum(te.submitted), 0),
      coalesce(sum(te.effective), 0),
      coalesce(sum(te.returned), 0)
    from units u
    cross join lateral unnest(string_to_array(u.path::text, '.')::int[]) as anc(id)
    join units a on a.id = anc.id
    left join (select unit_id, count(*) as n from accounts group by unit_id) ac on ac.unit_id = u.id
    left join (
      select unit_id, count(*) as n,
        count(*) filter (where complete) as complete,
        count(*) filter (where record_state = 'submitted') as submitted,
        count(*) filter (where record_state = 'effective') as effective,
        count(*) filter (where record_state = 'draft' and return_reason is not null) as returned
      -- Serving staff only: those who left (人员状态 3xx) are no longer counted or collected.
      from teachers where coalesce(personnel_status, '') not like '3%' group by unit_id
    ) te on te.unit_id = u.id
    group by a.id
  `);
}

const tierOfDivisionLevel = { province: 'province', prefecture: 'city', county: 'county' } as const;

/**
 * Creates the ministry, 31 provinces, 333 cities and 2,844 counties (seed 四(一)) if they are missing.
 * Counties whose prefecture tier is skipped hang directly under their province, as in the reference data.
 */
export async function initializeNationalTree(executor: Executor): Promise<{ created: number }> {
  const existing = await executor.select({ id: units.id, code: units.code, path: units.path }).from(units).where(sql`${units.kind} = 'authority'`);
  const byCode = new Map(existing.map((row) => [row.code, row]));
  let createdCount = 0;
  if (!byCode.has(centralUnitCode)) {
    const [central] = await insertUnitsWithDefaultAccounts(executor, [
      { code: centralUnitCode, name: centralUnitName, kind: 'authority', tier: 'central', parentId: null, parentPath: null },
    ]);
    byCode.set(central.code, central);
    createdCount++;
  }
  for (const level of ['province', 'prefecture', 'county'] as const) {
    const missing = divisions.filter((d) => d.level === level && !byCode.has(d.code));
    const created = await insertUnitsWithDefaultAccounts(
      executor,
      missing.map((division) => {
        const parent = byCode.get(division.parentCode ?? centralUnitCode);
        if (!parent) throw new Error(`division ${division.code} has no parent unit ${division.parentCode}`);
        return {
          code: division.code,
          name: authorityName(division.name),
          kind: 'authority' as const,
          tier: tierOfDivisionLevel[level],
          parentId: parent.id,
          parentPath: parent.path,
          divisionCode: division.code,
        };
      }),
    );
    for (const unit of created) byCode.set(unit.code, unit);
    createdCount += created.length;
  }
  await ensureAuditorAccounts(executor);
  // Training credits need a rule from the first day: the national default, which provinces replace.
  await ensureNationalDefaultRule(executor, byCode.get(centralUnitCode)!.id);
  return { created: createdCount };
}

/** Installs made before the security auditor role get its account at the ministry and each province. */
async function ensureAuditorAccounts(executor: Executor): Promise<void> {
  const added = rowsOf<{ path: string }>(
    await executor.execute(sql`
      with inserted as (
        insert into accounts (username, unit_id, role, display_name)
        select u.code || '.' || ${auditorAccountSlot.suffix}, u.id, 'auditor', u.name || ${auditorAccountSlot.label}
        from units u where u.kind = 'authority' and u.tier::text in (${sql.join(auditorTiers.map((tier) => sql`${tier}`), sql`, `)})
        on conflict (username) do nothing
        returning unit_id)
      select u.path::text as path from inserted i join units u on u.id = i.unit_id`),
  );
  await applyRollupDeltas(executor, added.map((row) => ({ path: row.path, accounts: 1 })));
}

/** "杭州市" -> "杭州市教育局"; provinces get "教育厅" (municipalities "教育委员会"). */
function authorityName(divisionName: string): string {
  if (['北京市', '天津市', '上海市', '重庆市'].includes(divisionName)) return `${divisionName}教育委员会`;
  if (/(省|自治区)$/.test(divisionName)) return `${divisionName}教育厅`;
  return `${divisionName}教育局`;
}
