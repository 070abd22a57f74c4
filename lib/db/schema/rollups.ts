import { integer, pgTable } from 'drizzle-orm/pg-core';
import { units } from './units';

/**
 * Totals over each unit's subtree (the unit itself included), kept up to date in the same
 * transaction as every insert or status change, so that the ministry's pages need not count
 * half a million schools and two million accounts per request.
 */
export const unitRollups = pgTable('unit_rollups', {
  unitId: integer('unit_id')
    .primaryKey()
    .references(() => units.id),
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
