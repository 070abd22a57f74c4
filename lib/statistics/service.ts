import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';

/**
 * Folds the pending deltas of `stat_counts` and `unit_rollups` into their folded rows (migration 0021). Readers are exact
 * with or without it; folding keeps the deltas few, so reads stay a few hundred rows. Answers the number of deltas folded
 * (0 when another node is folding at the moment).
 */
export async function foldAggregateDeltas(executor?: Executor): Promise<number> {
  const db = executor ?? (await getDb());
  const [row] = rowsOf<{ folded: number }>(await db.execute(sql`select fold_aggregate_deltas() as folded`));
  return Number(row?.folded ?? 0);
}
