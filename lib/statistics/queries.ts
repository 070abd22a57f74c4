import 'server-only';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb, rowsOf } from '@/lib/db';
import { statParts, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { breakdownKeyOf, breakdownOrder, schoolTypes, schoolTypesOfLevel } from '@/lib/reference/school-types';
import { assembleReport, type ReportKind, type ReportTable } from './reports';
import { getJurisdictionTrail } from '@/lib/units/queries';
import { ageBandOf, ageBands, type StatFilters } from './schemas';
import type { AggregatePlan } from './query-aggregates';
import { queryFieldOf } from './query-builder';

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
 * Bucket counts of one unit's jurisdiction, summed in the database: read from `stat_counts` for an authority
 * (kept in step with every write to `teachers` by a statement trigger, so their cost does not grow with the number
 * of teachers), counted directly for a school's few hundred teachers with the same buckets (`teacher_stat_buckets`).
 * The school type is kept for the dimensions in `byType` (the 学段 columns) and '' for the others.
 */
async function countCells(unit: { id: number; kind: string }, filters: StatFilters, options: { dims: string[]; byType: string[] }): Promise<Cell[]> {
  const db = await getStatisticsDb();
  const typed = sql.join(options.byType.map((dim) => sql`${dim}`), sql`, `);
  const cells =
    unit.kind === 'school'
      ? rowsOf<Cell>(
          await db.execute(sql`
            select d.dim, d.bucket, case when d.dim in (${typed}) then coalesce(t.school_type_code, '') else '' end as "schoolType", count(*)::int as n
            from teachers t
            cross join lateral teacher_stat_buckets(t.gender, t.birth_date, t.highest_education, t.title_level, t.ethnic_group, t.on_establishment, t.personnel_status, t.highest_degree, t.post_category, t.record->'basic') as d
            where ${sql.join([sql`t.unit_id = ${unit.id}`, ...teacherConditions(filters), sql`d.dim in (${sql.join(options.dims.map((dim) => sql`${dim}`), sql`, `)})`], sql` and `)}
            group by 1, 2, 3`),
        )
      : await db
          .select({ dim: statParts.dim, bucket: statParts.bucket, schoolType: sql<string>`case when ${statParts.dim} in (${typed}) then ${statParts.schoolType} else '' end`, n: sql<number>`sum(${statParts.n})::int` })
          .from(statParts)
          .where(and(eq(statParts.unitId, unit.id), ...statConditions(filters), inArray(statParts.dim, options.dims)))
          .groupBy(statParts.dim, statParts.bucket, sql`3`);
  return cells.map((cell) => ({ ...cell, n: Number(cell.n) }));
}

const dashboardDims = ['total', 'gender', 'birth', 'education', 'title', 'ethnic', 'establishment', 'status'];

/** Seed 六(六): the dashboard of one unit's jurisdiction, from its bucket counts (`countCells`). */
export async function getDashboard(actor: Actor, filters: StatFilters, statisticsYear = new Date().getFullYear()): Promise<Dashboard> {
  assertCan(actor, 'teacher.list');
  const unit = await statUnit(actor, filters.unitId);
  const [cells, below, trail] = await Promise.all([
    countCells(unit, filters, { dims: dashboardDims, byType: ['total'] }),
    countUnitsBelowByType(unit, filters),
    getJurisdictionTrail(actor, unit.path),
  ]);
  const perChild = new Map<number, number>();
  for (const cell of below.cells) perChild.set(cell.unitId, (perChild.get(cell.unitId) ?? 0) + cell.n);
  const sums = new Map<string, Map<string, number>>();
  const byStage = new Map<string, number>();
  for (const cell of cells) {
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
    children: below.children.map((child) => ({ ...child, count: perChild.get(child.id) ?? 0 })),
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


/** The counted dimension of each standard report; the education and title reports count 专任教师 (教职工类别 01). */
const reportDims: Record<ReportKind, string> = { 'education-stage': 'ft_education', 'title-stage': 'ft_title', 'age-gender': 'birth', 'unit-stage': 'total' };

/**
 * A standard report (seed 六(六)) from the same bucket counts as the dashboard, so a national report costs what a county's
 * does and is exact after every commit. Rows × 学段 (or age band × gender); official reports count effective records.
 */
export async function getReport(actor: Actor, kind: ReportKind, filters: StatFilters, statisticsYear = new Date().getFullYear()): Promise<ReportTable> {
  assertCan(actor, 'teacher.list');
  const unit = await statUnit(actor, filters.unitId);
  const context = { unitName: unit.name, official: filters.scope === 'official' };
  const counted = new Map<string, { row: string; column: string; n: number }>();
  const add = (row: string, column: string, n: number) => {
    const key = `${row}|${column}`;
    const cell = counted.get(key) ?? counted.set(key, { row, column, n: 0 }).get(key)!;
    cell.n += n;
  };
  if (kind === 'unit-stage') {
    // A school has no units below it: its one row is itself.
    const { children, cells } =
      unit.kind === 'school'
        ? { children: [unit], cells: (await countCells(unit, filters, { dims: ['total'], byType: ['total'] })).map((cell) => ({ ...cell, unitId: unit.id })) }
        : await countUnitsBelowByType(unit, filters);
    for (const cell of cells) add(String(cell.unitId), breakdownKeyOf(cell.schoolType), cell.n);
    return assembleReport(kind, [...counted.values()], { ...context, unitLabels: new Map(children.map((c) => [String(c.id), c.name])), unitOrder: children.map((c) => String(c.id)) });
  }
  for (const cell of await countCells(unit, filters, { dims: [reportDims[kind]], byType: [reportDims[kind]] })) {
    if (kind === 'age-gender') {
      const [gender, year] = cell.bucket.split(':');
      add(ageBandOf(statisticsYear - Number(year)), gender, cell.n);
    } else add(cell.bucket, breakdownKeyOf(cell.schoolType), cell.n);
  }
  return assembleReport(kind, [...counted.values()], context);
}

/**
 * Teachers by school type of each unit directly below, in code order: authorities from their pre-counted totals,
 * schools directly below (a county's, or a province's universities) from their teachers.
 */
async function countUnitsBelowByType(unit: { id: number }, filters: StatFilters) {
  const db = await getStatisticsDb();
  const [children, authorityCells, schoolCells] = await Promise.all([
    db
      .select({ id: units.id, name: units.name, kind: units.kind })
      .from(units)
      .where(and(eq(units.parentId, unit.id), sql`${units.kind} <> 'institution'`))
      .orderBy(asc(units.code)),
    db
      .select({ unitId: statParts.unitId, schoolType: statParts.schoolType, n: sql<number>`sum(${statParts.n})::int` })
      .from(statParts)
      .where(and(sql`${statParts.unitId} in (select id from units where parent_id = ${unit.id} and kind = 'authority')`, eq(statParts.dim, 'total'), ...statConditions(filters)))
      .groupBy(statParts.unitId, statParts.schoolType),
    db.execute(sql`
      select t.unit_id as "unitId", coalesce(t.school_type_code, '') as "schoolType", count(*)::int as n from teachers t
      where ${sql.join([sql`t.unit_id in (select id from units where parent_id = ${unit.id} and kind = 'school')`, ...teacherConditions(filters)], sql` and `)}
      group by 1, 2`),
  ]);
  const cells = [...authorityCells, ...rowsOf<{ unitId: number; schoolType: string; n: number }>(schoolCells)].map((cell) => ({ unitId: Number(cell.unitId), schoolType: cell.schoolType, n: Number(cell.n) }));
  return { children, cells };
}

/**
 * Teachers of an authority's jurisdiction counted from the pre-counted rows: the buckets of one dimension (aggregatePlanOf),
 * so the combined query's count costs the same at every tier and is exact after every commit.
 */
export async function countFromAggregates(unit: { id: number }, filters: StatFilters, plan: AggregatePlan): Promise<number> {
  const db = await getStatisticsDb();
  const buckets: SQL[] = [];
  if (plan.buckets) buckets.push(inArray(statParts.bucket, plan.buckets));
  if (plan.birth) {
    const { genders, fromYear, toYear } = plan.birth;
    // Buckets are "gender:year" with a four-digit year, so a range of years is a range of strings for each gender (one
    // index range each); teachers without a birth date have no bucket and match no range.
    const ranges = (genders ?? queryFieldOf('gender')!.options.map((o) => o.code)).map(
      (g) => sql`${statParts.bucket} between ${`${g}:${String(fromYear ?? 1000).padStart(4, '0')}`} and ${`${g}:${String(toYear ?? 9999).padStart(4, '0')}`}`,
    );
    buckets.push(sql`(${sql.join(ranges, sql` or `)})`);
  }
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${statParts.n}), 0)::int` })
    .from(statParts)
    .where(and(eq(statParts.unitId, unit.id), ...statConditions(filters), eq(statParts.dim, plan.dim), ...buckets));
  return Number(row.n);
}
