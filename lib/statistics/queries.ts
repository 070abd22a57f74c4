import 'server-only';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, rowsOf } from '@/lib/db';
import { statParts, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction, underUnit } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { breakdownCaseSql, breakdownKeyOf, breakdownOrder, schoolTypes, schoolTypesOfLevel } from '@/lib/reference/school-types';
import { assembleReport, type ReportKind, type ReportTable } from './reports';
import { getJurisdictionTrail } from '@/lib/units/queries';
import { ageBandOf, ageBands, type StatFilters } from './schemas';

export interface Slice {
  key: string;
  count: number;
}

export interface Dashboard {
  unit: { id: number; name: string; kind: string; tier: string };
  trail: { id: number; name: string }[];
  total: number;
  /** Direct subordinate units (authorities or schools) with their teachers. */
  children: { id: number; name: string; kind: string; count: number }[];
  /** By 学段, with 中小学校 split into 小学, 初中, 高中 and the spanning school types (breakdownKeyOf). */
  byStage: Slice[];
  gender: Slice[];
  /** Age bands with men and women (the pyramid). */
  pyramid: { band: string; men: number; women: number }[];
  education: Slice[];
  title: Slice[];
  ethnic: Slice[];
  establishment: Slice[];
  status: Slice[];
  statisticsYear: number;
}

/** The filter on the pre-counted rows: record state, school types (a stage is its types) and ownership. */
function statConditions(filters: StatFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.scope === 'official') conditions.push(eq(statParts.state, 'effective'));
  if (filters.staff !== 'all') conditions.push(eq(statParts.serving, true));
  if (filters.schoolType) conditions.push(eq(statParts.schoolType, filters.schoolType));
  else if (filters.level) conditions.push(inArray(statParts.schoolType, schoolTypesOfLevel(filters.level)));
  else if (filters.stage) conditions.push(inArray(statParts.schoolType, [...schoolTypes.values()].filter((t) => t.stage === filters.stage).map((t) => t.code)));
  if (filters.ownership) conditions.push(eq(statParts.ownership, filters.ownership));
  return conditions;
}

/** The unit a dashboard or report is about: the actor's own, or one below it; anything else is not found. */
export async function statUnit(actor: Actor, unitId?: number) {
  const db = await getDb();
  const [unit] = await db
    .select({ id: units.id, name: units.name, kind: units.kind, tier: units.tier, path: units.path })
    .from(units)
    .where(and(eq(units.id, unitId ?? actor.unitId), inJurisdiction(actor, units.path)));
  if (!unit || unit.kind === 'institution') throw new NotFoundError('单位不存在或不在您的管辖范围内');
  return unit;
}

/** The same filters on teacher rows, for what is counted directly (a school's teachers). */
function teacherConditions(filters: StatFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.scope === 'official') conditions.push(sql`t.record_state = 'effective'`);
  if (filters.staff !== 'all') conditions.push(sql`coalesce(t.personnel_status, '') not like '3%'`);
  if (filters.schoolType) conditions.push(sql`t.school_type_code = ${filters.schoolType}`);
  else if (filters.level) conditions.push(sql`t.school_type_code in (${sql.join(schoolTypesOfLevel(filters.level).map((code) => sql`${code}`), sql`, `)})`);
  else if (filters.stage) conditions.push(sql`t.stage = ${filters.stage}`);
  if (filters.ownership) conditions.push(sql`t.ownership = ${filters.ownership}`);
  return conditions;
}

interface Cell {
  dim: string;
  bucket: string;
  schoolType: string;
  n: number;
}

/**
 * Seed 六(六): the dashboard of one unit's jurisdiction. An authority's figures are read from
 * `stat_counts` (kept in step with every write to `teachers` by a statement trigger), so their cost does
 * not grow with the number of teachers; a school's few hundred teachers are counted directly, with the
 * same buckets (`teacher_stat_buckets`).
 */
export async function getDashboard(actor: Actor, filters: StatFilters, statisticsYear = new Date().getFullYear()): Promise<Dashboard> {
  assertCan(actor, 'teacher.list');
  const db = await getDb();
  const unit = await statUnit(actor, filters.unitId);
  const where = statConditions(filters);
  const direct = teacherConditions(filters);
  // Summed in the database: by bucket for the charts, and the totals by school type for the stages.
  const cellsOf = async (): Promise<Cell[]> =>
    unit.kind === 'school'
      ? rowsOf<Cell>(
          await db.execute(sql`
            select d.dim, d.bucket, case when d.dim = 'total' then coalesce(t.school_type_code, '') else '' end as "schoolType", count(*)::int as n
            from teachers t
            cross join lateral teacher_stat_buckets(t.gender, t.birth_date, t.highest_education, t.title_level, t.ethnic_group, t.on_establishment, t.personnel_status) as d
            where ${sql.join([sql`t.unit_id = ${unit.id}`, ...direct], sql` and `)}
            group by 1, 2, 3`),
        )
      : db
          .select({ dim: statParts.dim, bucket: statParts.bucket, schoolType: sql<string>`case when ${statParts.dim} = 'total' then ${statParts.schoolType} else '' end`, n: sql<number>`sum(${statParts.n})::int` })
          .from(statParts)
          .where(and(eq(statParts.unitId, unit.id), ...where))
          .groupBy(statParts.dim, statParts.bucket, sql`3`);
  const [cells, childRows, schoolCounts, trail] = await Promise.all([
    cellsOf(),
    db
      .select({ id: units.id, name: units.name, kind: units.kind, code: units.code, n: sql<number>`coalesce(sum(${statParts.n}), 0)::int` })
      .from(units)
      .leftJoin(statParts, and(eq(statParts.unitId, units.id), eq(statParts.dim, 'total'), ...where))
      .where(and(eq(units.parentId, unit.id), sql`${units.kind} <> 'institution'`))
      .groupBy(units.id, units.name, units.kind, units.code)
      .orderBy(asc(units.code)),
    // Schools directly below (a county's, or the universities of a province) are counted from their teachers.
    db.execute(sql`
      select t.unit_id as id, count(*)::int as n from teachers t
      where ${sql.join([sql`t.unit_id in (select id from units where parent_id = ${unit.id} and kind = 'school')`, ...direct], sql` and `)}
      group by 1`),
    getJurisdictionTrail(actor, unit.path),
  ]);
  const perSchool = new Map(rowsOf<{ id: number; n: number }>(schoolCounts).map((row) => [Number(row.id), Number(row.n)]));
  const sums = new Map<string, Map<string, number>>();
  const byStage = new Map<string, number>();
  for (const cell of cells) {
    cell.n = Number(cell.n);
    if (cell.n === 0) continue;
    const dim = sums.get(cell.dim) ?? sums.set(cell.dim, new Map()).get(cell.dim)!;
    dim.set(cell.bucket, (dim.get(cell.bucket) ?? 0) + cell.n);
    if (cell.dim === 'total') {
      const key = breakdownKeyOf(cell.schoolType);
      byStage.set(key, (byStage.get(key) ?? 0) + cell.n);
    }
  }
  const slices = (dim: string): Slice[] => [...(sums.get(dim) ?? new Map<string, number>())].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
  const pyramid = ageBands.map((band) => ({ band: band as string, men: 0, women: 0 }));
  for (const [bucket, count] of sums.get('birth') ?? []) {
    const [gender, year] = bucket.split(':');
    const row = pyramid[ageBands.indexOf(ageBandOf(statisticsYear - Number(year)))];
    if (gender === '1') row.men += count;
    else row.women += count;
  }
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, tier: unit.tier },
    trail,
    total: sums.get('total')?.get('') ?? 0,
    children: childRows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, count: row.kind === 'school' ? (perSchool.get(row.id) ?? 0) : row.n })),
    byStage: [...byStage].map(([key, count]) => ({ key, count })).sort((a, b) => breakdownOrder.indexOf(a.key as never) - breakdownOrder.indexOf(b.key as never)),
    gender: slices('gender').sort((a, b) => a.key.localeCompare(b.key)),
    pyramid,
    education: slices('education'),
    title: slices('title').sort((a, b) => (a.key || '99').localeCompare(b.key || '99')),
    ethnic: slices('ethnic'),
    establishment: slices('establishment').sort((a, b) => b.key.localeCompare(a.key)),
    status: slices('status'),
    statisticsYear,
  };
}


/**
 * A standard report, counted straight from `teachers` under the unit (exact, whatever the cross-tab).
 * 专任教师 (staff category 01) for the education and title reports; official reports count effective records.
 */
export async function getReport(actor: Actor, kind: ReportKind, filters: StatFilters, statisticsYear = new Date().getFullYear()): Promise<ReportTable> {
  assertCan(actor, 'teacher.list');
  const db = await getDb();
  const unit = await statUnit(actor, filters.unitId);
  const conditions: SQL[] = [underUnit(unit, { unitId: sql`t.unit_id`, unitPath: sql`t.unit_path` }), ...teacherConditions(filters)];
  if (kind === 'education-stage' || kind === 'title-stage') conditions.push(sql`t.record->'basic'->>'staffCategory' = '01'`);
  const breakdown = sql.raw(breakdownCaseSql('t.school_type_code'));
  const axes: Record<ReportKind, [SQL, SQL]> = {
    'education-stage': [sql`coalesce(t.highest_education, '')`, breakdown],
    'title-stage': [sql`coalesce(t.title_level, '')`, breakdown],
    'age-gender': [sql`(${statisticsYear} - extract(year from t.birth_date))::int::text`, sql`t.gender`],
    // A school has no units below it: its one row is itself.
    'unit-stage': [unit.kind === 'school' ? sql`${String(unit.id)}` : sql`subpath(t.unit_path, ${unit.path.split('.').length}, 1)::text`, breakdown],
  };
  const [rowExpr, columnExpr] = axes[kind];
  const counted = rowsOf<{ row: string; column: string; n: number }>(
    await db.execute(sql`select ${rowExpr} as row, ${columnExpr} as column, count(*)::int as n from teachers t where ${sql.join(conditions, sql` and `)} group by 1, 2`),
  );
  let context: Parameters<typeof assembleReport>[2] = { unitName: unit.name, official: filters.scope === 'official' };
  if (kind === 'age-gender') {
    const bands = new Map<string, number>();
    for (const c of counted) {
      const key = `${ageBandOf(Number(c.row))}|${c.column}`;
      bands.set(key, (bands.get(key) ?? 0) + Number(c.n));
    }
    return assembleReport(kind, [...bands].map(([key, n]) => ({ row: key.split('|')[0], column: key.split('|')[1], n })), context);
  }
  if (kind === 'unit-stage' && unit.kind === 'school') {
    context = { ...context, unitLabels: new Map([[String(unit.id), unit.name]]), unitOrder: [String(unit.id)] };
  } else if (kind === 'unit-stage') {
    const children = await db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(and(eq(units.parentId, unit.id), sql`${units.kind} <> 'institution'`))
      .orderBy(asc(units.code));
    context = { ...context, unitLabels: new Map(children.map((c) => [String(c.id), c.name])), unitOrder: children.map((c) => String(c.id)) };
  }
  return assembleReport(kind, counted.map((c) => ({ ...c, n: Number(c.n) })), context);
}
