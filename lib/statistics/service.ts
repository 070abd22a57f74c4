import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/service';
import { formatDateTime } from '@/lib/format';
import { getReport } from './queries';
import { buildReportWorkbook } from './report-export';
import type { ReportKind } from './reports';
import type { StatFilters } from './schemas';

/**
 * Folds the pending deltas of `stat_counts`, `unit_rollups` (migration 0021) and `transfer_counts` (0032) into their folded rows. Readers are exact
 * with or without it; folding keeps the deltas few, so reads stay a few hundred rows. Answers the number of deltas folded
 * (0 when another node is folding at the moment).
 */
export async function foldAggregateDeltas(executor?: Executor): Promise<number> {
  const db = executor ?? (await getDb());
  const [row] = rowsOf<{ folded: number }>(await db.execute(sql`select fold_aggregate_deltas() as folded`));
  return Number(row?.folded ?? 0);
}

/**
 * Folds, then vacuums the delta tables when anything was folded: the folded rows are dead tuples until vacuumed, and readers'
 * index scans would walk them (two million after a minute of national approvals, 164 ms for the ministry's bars instead of a
 * few). Runs outside any transaction (VACUUM cannot run inside one).
 */
export async function foldAndVacuumAggregateDeltas(): Promise<number> {
  const folded = await foldAggregateDeltas();
  if (folded > 0) await (await getDb()).execute(sql`vacuum (skip_locked) stat_count_deltas, unit_rollup_deltas, transfer_count_deltas`);
  return folded;
}

/** A standard report as xlsx for the actor's jurisdiction (or a unit in it); the export is audited. */
export async function exportReport(actor: Actor, kind: ReportKind, filters: StatFilters): Promise<{ fileName: string; content: Buffer }> {
  const report = await getReport(actor, kind, filters);
  const content = await buildReportWorkbook(report, formatDateTime(new Date()));
  await recordAudit(await getDb(), actor, { action: 'report.export', targetType: 'unit', targetId: filters.unitId ?? actor.unitId, detail: { report: kind, title: report.title, unit: report.unitName, official: report.official } });
  return { fileName: `${report.unitName}-${report.title}.xlsx`, content };
}
