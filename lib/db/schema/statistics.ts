import { boolean, integer, pgTable, primaryKey, varchar } from 'drizzle-orm/pg-core';
import { recordState } from './teachers';

/**
 * Teacher counts per authority (its whole subtree; schools are counted directly), record state, school type and ownership, for each
 * statistics dimension and bucket. A statement trigger on `teachers` (migration 0004) keeps it in step
 * with every insert, update and delete, in the same transaction, so dashboards read a few hundred rows
 * whatever the number of teachers. Dimensions: total, gender, birth (gender:year), education, title,
 * ethnic (han/minority), establishment (1/0), status (personnel status).
 */
export const statCounts = pgTable(
  'stat_counts',
  {
    unitId: integer('unit_id').notNull(),
    state: recordState('state').notNull(),
    schoolType: varchar('school_type', { length: 3 }).notNull(),
    ownership: varchar('ownership', { length: 8 }).notNull(),
    /** Still serving (人员状态 not 3xx): dashboards count serving staff unless asked for everyone. */
    serving: boolean('serving').notNull().default(true),
    dim: varchar('dim', { length: 16 }).notNull(),
    bucket: varchar('bucket', { length: 16 }).notNull(),
    n: integer('n').notNull(),
  },
  (table) => [primaryKey({ columns: [table.unitId, table.state, table.schoolType, table.ownership, table.serving, table.dim, table.bucket] })],
);
