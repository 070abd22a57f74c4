import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, varchar, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { ltree } from './types';

export const unitKind = pgEnum('unit_kind', ['authority', 'school', 'institution']);
export const unitTier = pgEnum('unit_tier', ['central', 'province', 'city', 'county', 'school']);
export const unitStatus = pgEnum('unit_status', ['active', 'closed']);
export const schoolOwnership = pgEnum('school_ownership', ['public', 'private']);

/**
 * Every unit of the national tree: authorities, schools and training institutions.
 * A school hangs under its competent authority, so jurisdiction is simply the subtree.
 */
export const units = pgTable(
  'units',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: varchar('code', { length: 16 }).notNull().unique(),
    name: text('name').notNull(),
    kind: unitKind('kind').notNull(),
    tier: unitTier('tier').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => units.id),
    path: ltree('path').notNull(),
    divisionCode: varchar('division_code', { length: 6 }),
    schoolTypeCode: varchar('school_type_code', { length: 3 }),
    stage: text('stage'),
    ownership: schoolOwnership('ownership'),
    status: unitStatus('status').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('units_path_gist').using('gist', table.path),
    index('units_parent_kind_idx').on(table.parentId, table.kind, table.code),
    index('units_name_trgm').using('gin', sql`${table.name} gin_trgm_ops`),
  ],
);

export type Unit = typeof units.$inferSelect;
