import { date, index, integer, pgTable, pgView, primaryKey, varchar } from 'drizzle-orm/pg-core';
import { units } from './units';

const rollupCounts = () => ({
  authorities: integer('authorities').notNull().default(0),
  schools: integer('schools').notNull().default(0),
  closedSchools: integer('closed_schools').notNull().default(0),
  institutions: integer('institutions').notNull().default(0),
  accounts: integer('accounts').notNull().default(0),
  /** Registered teachers, whatever their record state. */
  teachers: integer('teachers').notNull().default(0),
  /** Collection progress over the subtree, kept in step with every workflow transition. */
  recordsComplete: integer('records_complete').notNull().default(0),
  recordsSubmitted: integer('records_submitted').notNull().default(0),
  recordsEffective: integer('records_effective').notNull().default(0),
  recordsReturned: integer('records_returned').notNull().default(0),
});

/**
 * Folded totals over each unit's subtree (the unit itself included), so that the ministry's pages need not count half a million
 * schools and two million accounts per request. Writers append to `unitRollupDeltas` instead of updating these rows.
 */
export const unitRollups = pgTable('unit_rollups', {
  unitId: integer('unit_id')
    .primaryKey()
    .references(() => units.id),
  ...rollupCounts(),
});

/** Each transaction's changes to the totals, appended (no row is ever updated, so writers never queue); folded every few seconds. */
export const unitRollupDeltas = pgTable('unit_rollup_deltas', { unitId: integer('unit_id').notNull(), ...rollupCounts() }, (table) => [
  index('unit_rollup_deltas_unit_idx').on(table.unitId),
]);

/** Folded totals and pending deltas together (a UNION ALL view): readers sum per unit. */
export const unitRollupParts = pgView('unit_rollup_parts', { unitId: integer('unit_id').notNull(), ...rollupCounts() }).existing();

const transferCountColumns = () => ({
  /** The unit whose subtree holds either school of the transfer (schools included). */
  unitId: integer('unit_id').notNull(),
  /** `state:<transfer state>` by the day the state began; `incoming`, `outgoing` or `internal` (both schools below) by the day it completed. */
  measure: varchar('measure', { length: 32 }).notNull(),
  /** The day in China's time zone (Asia/Shanghai). */
  day: date('day').notNull(),
  n: integer('n').notNull(),
});

/**
 * Folded 教师调动 counts per unit, kept by a statement trigger on `transfers` (migration 0032) through `transferCountDeltas`,
 * so that the dashboard's 调动 figures cost the same for a county and for the nation.
 */
export const transferCounts = pgTable('transfer_counts', transferCountColumns(), (table) => [primaryKey({ columns: [table.unitId, table.measure, table.day] })]);

/** What each statement on `transfers` changed, appended in its transaction; folded with the other deltas. */
export const transferCountDeltas = pgTable('transfer_count_deltas', transferCountColumns(), (table) => [index('transfer_count_deltas_unit_idx').on(table.unitId)]);

/** Folded counts and pending deltas together (a UNION ALL view): readers sum per unit. */
export const transferCountParts = pgView('transfer_count_parts', transferCountColumns()).existing();
