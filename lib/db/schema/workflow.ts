import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { teachers, type StoredRecord, type StoredValue } from './teachers';
import { ltree } from './types';
import { units } from './units';

/** Every decision on a record (report, return, approval, additions, change requests): the record's timeline. */
export const recordReviews = pgTable(
  'record_reviews',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    action: varchar('action', { length: 32 }).notNull(),
    comment: text('comment'),
    accountId: integer('account_id'),
    accountName: text('account_name').notNull(),
    unitName: text('unit_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('record_reviews_teacher_idx').on(table.teacherId, table.id)],
);


/** The record as a version freezes it: the single subsets and every entry of the list subsets. */
export interface VersionSnapshot {
  record: StoredRecord;
  entries: Record<string, { id: number; values: Record<string, StoredValue> }[]>;
}

export interface FieldDiff {
  subset: string;
  /** The entry of a list subset; null for 基本信息 and 联系方式. */
  entryId: number | null;
  field: string;
  oldValue: StoredValue | null;
  newValue: StoredValue | null;
}

/** Why a version was made. Open: each flow that changes an effective record adds its own kind. */
export type VersionKind = 'collection' | 'addition' | 'change' | 'transfer' | (string & {});

/** Each approval freezes the effective record as a new version, with its diff against the previous one. */
export const teacherVersions = pgTable(
  'teacher_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    kind: varchar('kind', { length: 16 }).$type<VersionKind>().notNull(),
    snapshot: jsonb('snapshot').$type<VersionSnapshot>().notNull(),
    diff: jsonb('diff').$type<FieldDiff[]>().notNull(),
    approvedBy: integer('approved_by'),
    approvedByName: text('approved_by_name').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique('teacher_versions_key').on(table.teacherId, table.version)],
);

export const additionState = pgEnum('addition_state', ['pending_school', 'pending_authority', 'effective', 'returned']);

/** New information on an effective record (a new entry); it takes effect after the school and the authority approve. */
export const recordAdditions = pgTable(
  'record_additions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    unitPath: ltree('unit_path').notNull(),
    subset: varchar('subset', { length: 32 }).notNull(),
    values: jsonb('values').$type<Record<string, StoredValue>>().notNull(),
    state: additionState('state').notNull().default('pending_school'),
    returnReason: text('return_reason'),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    schoolReviewedBy: integer('school_reviewed_by'),
    schoolReviewedByName: text('school_reviewed_by_name'),
    schoolReviewedAt: timestamp('school_reviewed_at', { withTimezone: true }),
    decidedBy: integer('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (table) => [
    index('record_additions_teacher_idx').on(table.teacherId, table.id),
    index('record_additions_pending_idx').on(table.unitId, table.state, table.id).where(sql`state in ('pending_school', 'pending_authority')`),
  ],
);

/** pending_school: filed by the teacher, the school reviews first; pending: with the competent authority. */
export const changeRequestState = pgEnum('change_request_state', ['pending_school', 'pending', 'approved', 'rejected']);

/**
 * A change to effective information: the school (or the teacher, on the fields the province lets
 * teachers fill; the school reviews those first) files the diff and a reason, the competent authority decides.
 */
export const changeRequests = pgTable(
  'change_requests',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    unitPath: ltree('unit_path').notNull(),
    subset: varchar('subset', { length: 32 }).notNull(),
    entryId: integer('entry_id'),
    /** update or delete (of a whole entry). */
    kind: varchar('kind', { length: 8 }).notNull(),
    diff: jsonb('diff').$type<FieldDiff[]>().notNull(),
    reason: text('reason').notNull(),
    state: changeRequestState('state').notNull().default('pending'),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    /** A teacher's request: who at the school passed it on to the authority. */
    schoolReviewedBy: integer('school_reviewed_by'),
    schoolReviewedByName: text('school_reviewed_by_name'),
    schoolReviewedAt: timestamp('school_reviewed_at', { withTimezone: true }),
    decidedBy: integer('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionComment: text('decision_comment'),
  },
  (table) => [
    index('change_requests_teacher_idx').on(table.teacherId, table.id),
    index('change_requests_pending_idx').on(table.unitId, table.id).where(sql`state = 'pending'`),
  ],
);

/**
 * The fields a pending change request holds. The primary key refuses a second pending request on the
 * same field, even when two are filed at the same instant; rows go when the request is decided.
 */
export const changeRequestFields = pgTable(
  'change_request_fields',
  {
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    subset: varchar('subset', { length: 32 }).notNull(),
    /** 0 for single subsets. */
    entryId: integer('entry_id').notNull(),
    field: varchar('field', { length: 64 }).notNull(),
    requestId: integer('request_id')
      .notNull()
      .references(() => changeRequests.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.teacherId, table.subset, table.entryId, table.field] })],
);

/** The collection deadline an authority sets for the units below it (seed 六(四)). */
export const collectionDeadlines = pgTable('collection_deadlines', {
  unitId: integer('unit_id')
    .primaryKey()
    .references(() => units.id),
  deadline: date('deadline').notNull(),
  setBy: integer('set_by'),
  setByName: text('set_by_name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A superior's reminder to a lagging unit; it stays in that unit's inbox until someone there marks it read. */
export const reminders = pgTable(
  'reminders',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    fromUnitId: integer('from_unit_id').notNull(),
    fromUnitName: text('from_unit_name').notNull(),
    fromAccountName: text('from_account_name').notNull(),
    toUnitId: integer('to_unit_id')
      .notNull()
      .references(() => units.id),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    readByName: text('read_by_name'),
  },
  (table) => [index('reminders_open_idx').on(table.toUnitId, table.id).where(sql`read_at is null`)],
);
