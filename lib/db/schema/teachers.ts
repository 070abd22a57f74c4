import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { bytea, ltree } from './types';
import { units } from './units';

export type StoredValue = string | string[];
/** Single-entry subsets (基本信息, 联系方式), keyed by subset then field. */
export type StoredRecord = Record<string, Record<string, StoredValue>>;

export const recordState = pgEnum('record_state', ['draft', 'submitted', 'effective']);

/**
 * One row per teacher nationally (one ID number, one teacher). Columns the lists and statistics
 * filter on are copied out of the record; everything else lives in `record` and `teacher_entries`.
 */
export const teachers = pgTable(
  'teachers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: ltree('unit_path').notNull(),
    /** Whose indicator settings apply; null for schools under the ministry (national defaults). */
    provinceUnitId: integer('province_unit_id').references(() => units.id),
    stage: text('stage').notNull(),
    idType: varchar('id_type', { length: 2 }).notNull(),
    /**
     * Clear ID numbers of rows written before encryption at rest (or loaded raw by the scale tools);
     * emptied at every start by sealLegacyIdNumbers. New rows never set it.
     */
    legacyIdNumber: varchar('id_number', { length: 32 }),
    /** Keyed hash (HMAC) of the ID number: nationwide uniqueness and exact search (lib/teachers/identity.ts). */
    idNumberHash: varchar('id_number_hash', { length: 64 }),
    /** The ID number encrypted with AES-256-GCM ("enc:" + key id, IV, tag, ciphertext). */
    idNumberEnc: text('id_number_enc'),
    /** What lists show: 3301**********0024. */
    idNumberMasked: varchar('id_number_masked', { length: 40 }),
    name: text('name').notNull(),
    gender: varchar('gender', { length: 1 }).notNull(),
    birthDate: date('birth_date').notNull(),
    staffNumber: varchar('staff_number', { length: 32 }),
    onEstablishment: boolean('on_establishment').notNull(),
    postCategory: varchar('post_category', { length: 2 }),
    /** 人员状态, the national 3-digit code: 1xx at post, 2xx temporarily not at post, 3xx left. */
    personnelStatus: varchar('personnel_status', { length: 3 }),
    /** The flexible retirement month a teacher chose (first day of the month), within three years of the statutory one. */
    retirementOverride: date('retirement_override'),
    /** The month the teacher retires: the chosen one, else the statutory one under the 2025 rules (SQL function of migration 0012). */
    retirementMonth: date('retirement_month').generatedAlwaysAs(sql`coalesce(retirement_override, statutory_retirement_month(birth_date, gender, post_category))`),
    highestEducation: varchar('highest_education', { length: 2 }),
    highestDegree: varchar('highest_degree', { length: 2 }),
    ethnicGroup: varchar('ethnic_group', { length: 2 }),
    /** Best 聘任专业技术职务 among the title entries (teacherTitle code, 01 is the highest); null without one. */
    titleLevel: varchar('title_level', { length: 2 }),
    /** The school's 办学类型 and 办学性质, copied so that statistics can be kept per teacher row (updated with the school). */
    schoolTypeCode: varchar('school_type_code', { length: 3 }),
    ownership: varchar('ownership', { length: 8 }),
    recordState: recordState('record_state').notNull().default('draft'),
    /** Whether the draft passes the completeness check (kept on every edit; true once submitted). */
    complete: boolean('complete').notNull().default(false),
    /** Set when a reviewer returns the record; cleared when the school reports it again. */
    returnReason: text('return_reason'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    submittedBy: integer('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** Number of the effective version (0 until first approved). */
    effectiveVersion: integer('effective_version').notNull().default(0),
    record: jsonb('record').$type<StoredRecord>().notNull().default({}),
    accountId: integer('account_id').references(() => accounts.id),
    /** Bumped by every edit, so that two people saving the same form cannot overwrite each other. */
    revision: integer('revision').notNull().default(0),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Kept on the legacy column too: it stops a raw load from duplicating a number, and serves the start's sealing scan.
    unique('teachers_id_number_key').on(table.legacyIdNumber),
    unique('teachers_id_number_hash_key').on(table.idNumberHash),
    // Every row holds its ID number either sealed (hash, ciphertext, mask) or, until sealLegacyIdNumbers runs at start, in the legacy column.
    // A flexible retirement month is the first of a month, within three years of the statutory one.
    check(
      'teachers_retirement_override_range',
      sql`${table.retirementOverride} is null or (extract(day from ${table.retirementOverride}) = 1 and ${table.retirementOverride} between statutory_retirement_month(${table.birthDate}, ${table.gender}, ${table.postCategory}) - interval '36 months' and statutory_retirement_month(${table.birthDate}, ${table.gender}, ${table.postCategory}) + interval '36 months')`,
    ),
    check('teachers_id_number_stored', sql`${table.legacyIdNumber} is not null or (${table.idNumberHash} is not null and ${table.idNumberEnc} is not null and ${table.idNumberMasked} is not null)`),
    uniqueIndex('teachers_account_idx').on(table.accountId),
    index('teachers_unit_path_gist').using('gist', table.unitPath),
    index('teachers_unit_idx').on(table.unitId, table.id),
    index('teachers_name_idx').using('btree', sql`${table.name} text_pattern_ops`, table.id),
    index('teachers_staff_number_idx').on(table.staffNumber),
    // The review queues and the inbox count by school: both stay small next to the whole table.
    index('teachers_submitted_idx').on(table.unitId, table.id).where(sql`record_state = 'submitted'`),
    index('teachers_returned_idx').on(table.unitId, table.id).where(sql`record_state = 'draft' and return_reason is not null`),
    // 即将退休: serving teachers by retirement month, for a school, a county or the nation. Migration 0017
    // adds INCLUDE (unit_path), which drizzle does not model, so wide counts read the index alone.
    // 已离开: the few who left, by school.
    index('teachers_left_idx').on(table.unitId, table.id).where(sql`personnel_status like '3%'`),
    index('teachers_retirement_idx').on(table.retirementMonth, table.id).where(sql`personnel_status is null or personnel_status not like '3%'`),
  ],
);

export const teacherEntries = pgTable(
  'teacher_entries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    subset: varchar('subset', { length: 32 }).notNull(),
    values: jsonb('values').$type<Record<string, StoredValue>>().notNull(),
    /** Null for what people typed; 'training' for an entry the system wrote from confirmed credits, changed only by a change request. */
    origin: varchar('origin', { length: 16 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('teacher_entries_teacher_idx').on(table.teacherId, table.subset)],
);

/** Field-level history: who changed which indicator, from what to what, and when. */
/**
 * One field's value as jsonb (a code, a date, a list). Both drivers hand jsonb over already parsed;
 * drizzle's own jsonb column would parse a string value a second time, turning the code "20" into 20.
 */
const storedValue = customType<{ data: StoredValue; driverData: StoredValue }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value) as unknown as StoredValue,
  fromDriver: (value) => value,
});

export const teacherFieldChanges = pgTable(
  'teacher_field_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    subset: varchar('subset', { length: 32 }).notNull(),
    entryId: integer('entry_id'),
    field: varchar('field', { length: 64 }).notNull(),
    oldValue: storedValue('old_value'),
    newValue: storedValue('new_value'),
    accountId: integer('account_id'),
    accountName: text('account_name'),
    /** form, self (the teacher), import or system. */
    source: varchar('source', { length: 16 }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('teacher_field_changes_teacher_idx').on(table.teacherId, table.id)],
);

export const teacherPhotos = pgTable('teacher_photos', {
  teacherId: integer('teacher_id')
    .primaryKey()
    .references(() => teachers.id, { onDelete: 'cascade' }),
  content: bytea('content').notNull(),
  byteSize: integer('byte_size').notNull(),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Each save of a province's indicator settings is a new version; the highest one is in force. */
export const indicatorSettings = pgTable(
  'indicator_settings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    provinceUnitId: integer('province_unit_id')
      .notNull()
      .references(() => units.id),
    version: integer('version').notNull(),
    settings: jsonb('settings').notNull(),
    note: text('note'),
    createdBy: integer('created_by'),
    createdByName: text('created_by_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The queued re-check of the province's drafts against this version: its job, progress and end. */
    recheckJobId: uuid('recheck_job_id'),
    recheckDone: integer('recheck_done').notNull().default(0),
    recheckTotal: integer('recheck_total').notNull().default(0),
    recheckFinishedAt: timestamp('recheck_finished_at', { withTimezone: true }),
  },
  (table) => [unique('indicator_settings_version_key').on(table.provinceUnitId, table.version), unique('indicator_settings_recheck_job_key').on(table.recheckJobId)],
);

export const importJobStatus = pgEnum('import_job_status', ['validating', 'invalid', 'valid', 'importing', 'done', 'failed', 'interrupted']);

/** A teacher spreadsheet import: kept so the page can be left and the result (and error file) fetched later. */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: integer('account_id').notNull(),
    unitId: integer('unit_id').notNull(),
    kind: varchar('kind', { length: 16 }).notNull(),
    fileName: text('file_name').notNull(),
    file: bytea('file'),
    status: importJobStatus('status').notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    message: text('message'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    errorFile: bytea('error_file'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Renewed by the process working on the job; a running job without a fresh one was cut off. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    /** Where the worker is ({ phase, done, total }), written as it goes so any node's page can show it. */
    progress: jsonb('progress').$type<{ phase: string; done: number; total: number }>(),
  },
  (table) => [index('import_jobs_account_idx').on(table.accountId, table.createdAt)],
);

export type Teacher = typeof teachers.$inferSelect;
