import { boolean, index, integer, pgTable, pgView, primaryKey, varchar } from 'drizzle-orm/pg-core';
import { recordState } from './teachers';

const statColumns = () => ({
  unitId: integer('unit_id').notNull(),
  state: recordState('state').notNull(),
  schoolType: varchar('school_type', { length: 3 }).notNull(),
  ownership: varchar('ownership', { length: 8 }).notNull(),
  /** Still serving (人员状态 not 3xx): dashboards count serving staff unless asked for everyone. */
  serving: boolean('serving').notNull().default(true),
  dim: varchar('dim', { length: 16 }).notNull(),
  bucket: varchar('bucket', { length: 16 }).notNull(),
  n: integer('n').notNull(),
});

/**
 * Folded teacher counts per authority (its whole subtree; schools are counted directly), record state, school type and ownership,
 * for each statistics dimension and bucket. Dimensions: total, gender, birth (gender:year), education, title, ethnic (han/minority),
 * establishment (1/0), status (personnel status). Writers never touch these rows (see `statCountDeltas`).
 */
export const statCounts = pgTable('stat_counts', statColumns(), (table) => [
  primaryKey({ columns: [table.unitId, table.state, table.schoolType, table.ownership, table.serving, table.dim, table.bucket] }),
]);

/**
 * What each statement on `teachers` changed, appended by its trigger (migration 0021) in the same transaction: inserts only, so
 * concurrent approvals never wait on their ancestors' rows. `fold_aggregate_deltas()` moves them into `stat_counts` every few seconds.
 */
export const statCountDeltas = pgTable('stat_count_deltas', statColumns(), (table) => [index('stat_count_deltas_unit_idx').on(table.unitId)]);

/** Folded counts and pending deltas together (a UNION ALL view): every reader sums over it, exact after every commit. */
export const statParts = pgView('stat_parts', statColumns()).existing();
