import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb, rowsOf, type Executor } from '@/lib/db';
import { cappedCount } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { todayIso } from '@/lib/indicators/form-schema';
import { statUnit } from '@/lib/statistics/queries';
import { RuleBook, centralUnitId } from '../conversion/queries';
import { cycleOf } from '../rules';

/**
 * 培训完成情况 (seed 七(三)): each serving teacher's standing in the current cycle of their province's
 * rule: complete (达标), on track (进度不低于周期已过的比例), at risk (the cycle ends within 12 months
 * and it is not complete) or behind. Read from training_standings, which each confirmation keeps.
 */
export const completionStatuses = ['complete', 'onTrack', 'behind', 'atRisk'] as const;
export type CompletionStatus = (typeof completionStatuses)[number];
export const completionStatusNames: Record<CompletionStatus, string> = { complete: '已达标', onTrack: '进度正常', behind: '进度滞后', atRisk: '周期将满未达标' };

export interface CompletionCounts {
  teachers: number;
  complete: number;
  onTrack: number;
  behind: number;
  atRisk: number;
}

export interface CompletionRow extends CompletionCounts {
  unitId: number;
  name: string;
  kind: string;
}

/**
 * The cycles in force today for the provinces under a unit: one VALUES row per province (and the
 * nation's default for teachers outside any province), with the share of the cycle already past.
 */
async function cyclesFor(executor: Executor, unitPath: string): Promise<SQL> {
  const provinces = rowsOf<{ id: number }>(await executor.execute(sql`select id from units where tier = 'province' and kind = 'authority' and (path <@ ${unitPath}::ltree or ${unitPath}::ltree <@ path)`)).map((row) => Number(row.id));
  const central = await centralUnitId(executor);
  const book = await RuleBook.load(executor, provinces);
  const today = todayIso();
  const year = Number(today.slice(0, 4));
  const dayOfYear = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000;
  const rows = [...provinces, central].map((scope) => {
    const rule = book.inForce(scope === central ? null : scope, today);
    const cycle = cycleOf(rule?.rule ?? { cycleYears: 5, cycleStartYear: 2021 }, year);
    const years = cycle.endYear - cycle.startYear + 1;
    const elapsed = Math.min(1000, Math.floor(((year - cycle.startYear + dayOfYear / 365) * 1000) / years));
    return sql`(${scope}::int, ${cycle.startYear}::int, ${cycle.endYear}::int, ${elapsed}::int)`;
  });
  return sql`(values ${sql.join(rows, sql`, `)}) as c(scope_id, start_year, end_year, elapsed)`;
}

function statusCase(currentYear: number): SQL {
  return sql`case when coalesce(s.complete, false) then 'complete' when c.end_year <= ${currentYear} then 'atRisk' when coalesce(s.progress_permille, 0) >= c.elapsed then 'onTrack' else 'behind' end`;
}

const serving = sql`coalesce(t.personnel_status, '') not like '3%'`;

/** Per unit directly below (or, for a school, the school itself), with the unit's own totals. */
export async function getCompletion(actor: Actor, unitId?: number): Promise<{ unit: Awaited<ReturnType<typeof statUnit>>; totals: CompletionCounts; rows: CompletionRow[] }> {
  const unit = await statUnit(actor, unitId);
  const db = await getStatisticsDb();
  const cycles = await cyclesFor(db, unit.path);
  const central = await centralUnitId(db);
  const year = Number(todayIso().slice(0, 4));
  const depth = unit.path.split('.').length;
  const grouped = rowsOf<{ child: number | null; status: CompletionStatus; n: number }>(
    await db.execute(sql`
      select ${unit.kind === 'school' ? sql`null::int` : sql`ltree2text(subpath(t.unit_path, ${depth}, 1))::int`} as child, ${statusCase(year)} as status, count(*)::int as n
      from teachers t
      join ${cycles} on c.scope_id = coalesce(t.province_unit_id, ${central})
      left join training_standings s on s.teacher_id = t.id and s.cycle_start_year = c.start_year
      where t.unit_path <@ ${unit.path}::ltree and ${serving}${unit.kind === 'school' ? sql`` : sql` and nlevel(t.unit_path) > ${depth}`}
      group by 1, 2`),
  );
  const empty = (): CompletionCounts => ({ teachers: 0, complete: 0, onTrack: 0, behind: 0, atRisk: 0 });
  const totals = empty();
  const byChild = new Map<number, CompletionCounts>();
  for (const row of grouped) {
    const n = Number(row.n);
    totals[row.status] += n;
    totals.teachers += n;
    if (row.child !== null) {
      const counts = byChild.get(Number(row.child)) ?? byChild.set(Number(row.child), empty()).get(Number(row.child))!;
      counts[row.status] += n;
      counts.teachers += n;
    }
  }
  const children =
    unit.kind === 'school'
      ? []
      : rowsOf<{ id: number; name: string; kind: string }>(await db.execute(sql`select id, name, kind from units where parent_id = ${unit.id} and kind <> 'institution' order by kind, code`));
  const rows = children.map((child) => ({ unitId: Number(child.id), name: child.name, kind: child.kind, ...(byChild.get(Number(child.id)) ?? empty()) })).filter((row) => row.teachers > 0 || row.kind === 'authority');
  return { unit, totals, rows };
}

export interface CompletionTeacher {
  id: number;
  name: string;
  idNumberMasked: string;
  schoolName: string;
  hours: number;
  credits: number;
  progressPermille: number;
  cycle: string;
  status: CompletionStatus;
}

/** The teachers under a unit with their standing, by status, a page at a time (keyset on id). */
export async function listCompletionTeachers(actor: Actor, options: { unitId?: number; status?: CompletionStatus; after?: number; limit?: number }): Promise<{ rows: CompletionTeacher[]; hasMore: boolean }> {
  const unit = await statUnit(actor, options.unitId);
  const db = await getDb();
  const cycles = await cyclesFor(db, unit.path);
  const central = await centralUnitId(db);
  const year = Number(todayIso().slice(0, 4));
  const limit = options.limit ?? 100;
  const rows = rowsOf<CompletionTeacher & { hours: string }>(
    await db.execute(sql`
      select * from (
        select t.id, t.name, coalesce(t.id_number_masked, '') as "idNumberMasked", u.name as "schoolName", coalesce(s.hours, 0) as hours, coalesce(s.credits, 0) as credits,
          coalesce(s.progress_permille, 0) as "progressPermille", c.start_year || '—' || c.end_year as cycle, ${statusCase(year)} as status
        from teachers t
        join units u on u.id = t.unit_id
        join ${cycles} on c.scope_id = coalesce(t.province_unit_id, ${central})
        left join training_standings s on s.teacher_id = t.id and s.cycle_start_year = c.start_year
        where t.unit_path <@ ${unit.path}::ltree and ${serving} ${options.after ? sql`and t.id > ${options.after}` : sql``}
      ) x
      ${options.status ? sql`where x.status = ${options.status}` : sql``}
      order by x.id
      limit ${limit + 1}`),
  );
  return { rows: rows.slice(0, limit).map((row) => ({ ...row, id: Number(row.id), hours: Number(row.hours), credits: Number(row.credits), progressPermille: Number(row.progressPermille) })), hasMore: rows.length > limit };
}

/** The rows after `select` of `atRiskTeachers`, shared with its badge count. */
async function atRiskRows(db: Executor, actor: Actor): Promise<SQL> {
  const cycles = await cyclesFor(db, actor.unitPath);
  const central = await centralUnitId(db);
  const year = Number(todayIso().slice(0, 4));
  return sql`
      from teachers t
      join ${cycles} on c.scope_id = coalesce(t.province_unit_id, ${central})
      left join training_standings s on s.teacher_id = t.id and s.cycle_start_year = c.start_year
      where t.unit_id = ${actor.unitId} and ${serving} and c.end_year <= ${year} and not coalesce(s.complete, false)`;
}

/** A school's teachers whose cycle ends within 12 months and who lack hours or credits: the school's inbox item. */
export async function atRiskTeachers(actor: Actor, limit: number): Promise<{ id: number; name: string; progressPermille: number; endYear: number }[]> {
  const db = await getDb();
  const rows = rowsOf<{ id: number; name: string; progressPermille: number; endYear: number }>(
    await db.execute(sql`
      select t.id, t.name, coalesce(s.progress_permille, 0) as "progressPermille", c.end_year as "endYear"
      ${await atRiskRows(db, actor)}
      order by coalesce(s.progress_permille, 0), t.id
      limit ${limit}`),
  );
  return rows.map((row) => ({ id: Number(row.id), name: row.name, progressPermille: Number(row.progressPermille), endYear: Number(row.endYear) }));
}

/** The header badge's count of `atRiskTeachers`, as an expression (the cycles in force are read first). */
export async function atRiskCount(actor: Actor): Promise<SQL<number>> {
  return cappedCount(sql`select 1 ${await atRiskRows(await getDb(), actor)}`);
}
