import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { teacherEntries, teachers } from './teachers';
import { ltree } from './types';
import { units } from './units';

const bytea = customType<{ data: Buffer }>({
  dataType() {
    return 'bytea';
  },
});

/**
 * A training institution (培训机构) is a unit of kind institution under the authority that registered
 * it; this row holds what the unit table does not. Other authorities may use it too (links below).
 */
export const trainingInstitutions = pgTable('training_institutions', {
  unitId: integer('unit_id')
    .primaryKey()
    .references(() => units.id),
  /** institutionType code: 教师培训院校, 高等学校, 网络研修平台, 其他. */
  institutionType: varchar('institution_type', { length: 2 }).notNull(),
  contactName: text('contact_name').notNull(),
  contactPhone: varchar('contact_phone', { length: 32 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The authorities an institution serves: its registering authority and any that added it since. */
export const trainingInstitutionAuthorities = pgTable(
  'training_institution_authorities',
  {
    institutionId: integer('institution_id')
      .notNull()
      .references(() => units.id),
    authorityId: integer('authority_id')
      .notNull()
      .references(() => units.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.authorityId, table.institutionId] })],
);

/**
 * 学时学分转化规则: each save is a new version of a province's rule (the ministry's row is the national
 * default), applying from its effective date. Confirmed credits keep the version they were computed by.
 */
export const trainingRules = pgTable(
  'training_rules',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    scopeUnitId: integer('scope_unit_id')
      .notNull()
      .references(() => units.id),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    rule: jsonb('rule').$type<Record<string, unknown>>().notNull(),
    note: text('note'),
    createdBy: integer('created_by'),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the stored standings of the rule's scope were evaluated again under it (on or after its effective date). */
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (table) => [unique('training_rules_version_key').on(table.scopeUnitId, table.version)],
);

export const trainingProjectState = pgEnum('training_project_state', ['pending', 'rejected', 'registered', 'cancelled']);
export type TrainingProjectState = (typeof trainingProjectState.enumValues)[number];

/**
 * A training project (培训项目) of an authority, or a school's 校本研修 project, which waits for its
 * competent authority's approval (pending → registered or rejected).
 */
export const trainingProjects = pgTable(
  'training_projects',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: varchar('code', { length: 32 }).notNull().unique(),
    name: text('name').notNull(),
    ownerUnitId: integer('owner_unit_id')
      .notNull()
      .references(() => units.id),
    ownerPath: ltree('owner_path').notNull(),
    ownerName: text('owner_name').notNull(),
    /** trainingLevel: 1 国家级 … 5 校级. */
    level: varchar('level', { length: 1 }).notNull(),
    /** trainingCategory of lib/training/rules.ts: 01 集中培训 … 06 实践研修. */
    category: varchar('category', { length: 2 }).notNull(),
    year: integer('year').notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    plannedHours: numeric('planned_hours', { precision: 6, scale: 1, mode: 'number' }).notNull(),
    capacity: integer('capacity').notNull(),
    /** teachingStage codes the project is for; empty: every stage. */
    stages: text('stages').array().notNull().default(sql`'{}'::text[]`),
    subjects: text('subjects').array().notNull().default(sql`'{}'::text[]`),
    /** Principals' and leaders' training (some provinces count it in part). */
    forPrincipals: boolean('for_principals').notNull().default(false),
    /** Schools below the owner may nominate their teachers. */
    nominationOpen: boolean('nomination_open').notNull().default(false),
    description: text('description'),
    state: trainingProjectState('state').notNull(),
    rejectionReason: text('rejection_reason'),
    /** For a school's project: its competent authority while it waits. */
    waitingUnitId: integer('waiting_unit_id'),
    createdBy: integer('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('training_projects_owner_idx').on(table.ownerUnitId, table.year, table.id),
    index('training_projects_owner_path_gist').using('gist', table.ownerPath),
    index('training_projects_waiting_idx').on(table.waitingUnitId, table.id).where(sql`waiting_unit_id is not null`),
  ],
);

export const trainingProjectInstitutions = pgTable(
  'training_project_institutions',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => trainingProjects.id, { onDelete: 'cascade' }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => units.id),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.institutionId] }), index('training_project_institutions_institution_idx').on(table.institutionId, table.projectId)],
);

/** An authority's training plan of a year is its projects; publishing makes it visible below. */
export const trainingPlans = pgTable(
  'training_plans',
  {
    ownerUnitId: integer('owner_unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: integer('published_by').notNull(),
    publishedByName: text('published_by_name').notNull(),
  },
  (table) => [primaryKey({ columns: [table.ownerUnitId, table.year] })],
);

export const participantState = pgEnum('training_participant_state', ['enrolled', 'submitted', 'returned', 'confirmed']);
export type ParticipantState = (typeof participantState.enumValues)[number];

/**
 * A teacher on a project, with the institution's result and, once the authority confirmed it, the
 * credits and the record entry they became. The school and province are those at enrolment, kept so
 * the institution sees the school without the record and a national project's results fan out.
 */
export const trainingParticipants = pgTable(
  'training_participants',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id')
      .notNull()
      .references(() => trainingProjects.id, { onDelete: 'cascade' }),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    schoolId: integer('school_id').notNull(),
    schoolPath: ltree('school_path').notNull(),
    schoolName: text('school_name').notNull(),
    /** The authority that confirms this participant's credits: the project's owner, or for a national project the teacher's province. */
    confirmUnitId: integer('confirm_unit_id').notNull(),
    teacherName: text('teacher_name').notNull(),
    teacherIdMasked: varchar('teacher_id_masked', { length: 40 }).notNull(),
    state: participantState('state').notNull().default('enrolled'),
    attendedHours: numeric('attended_hours', { precision: 6, scale: 1, mode: 'number' }),
    passed: boolean('passed'),
    score: numeric('score', { precision: 5, scale: 1, mode: 'number' }),
    certificateNo: varchar('certificate_no', { length: 64 }),
    resultBy: integer('result_by'),
    resultAt: timestamp('result_at', { withTimezone: true }),
    returnReason: text('return_reason'),
    /** Hundredths of a credit, by the rule version `ruleId`, once confirmed. */
    credits: integer('credits'),
    ruleId: integer('rule_id'),
    entryId: integer('entry_id'),
    confirmedBy: integer('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    enrolledBy: integer('enrolled_by').notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('training_participants_teacher_key').on(table.projectId, table.teacherId),
    index('training_participants_project_idx').on(table.projectId, table.confirmUnitId, table.state, table.id),
    index('training_participants_teacher_idx').on(table.teacherId),
    index('training_participants_school_path_gist').using('gist', table.schoolPath),
  ],
);

export const submissionState = pgEnum('training_submission_state', ['submitted', 'returned', 'confirmed']);
export type SubmissionState = (typeof submissionState.enumValues)[number];

/**
 * An institution's results of one project as one confirming authority reviews them: one row for an
 * ordinary project, one per province for a national one (the fan-out).
 */
export const trainingSubmissions = pgTable(
  'training_submissions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id')
      .notNull()
      .references(() => trainingProjects.id, { onDelete: 'cascade' }),
    confirmUnitId: integer('confirm_unit_id')
      .notNull()
      .references(() => units.id),
    confirmUnitPath: ltree('confirm_unit_path').notNull(),
    institutionId: integer('institution_id').notNull(),
    state: submissionState('state').notNull(),
    participants: integer('participants').notNull(),
    returnReason: text('return_reason'),
    /** The unit whose turn it is: the confirming authority, or the institution after a return. */
    waitingUnitId: integer('waiting_unit_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    submittedByName: text('submitted_by_name').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [unique('training_submissions_unit_key').on(table.projectId, table.confirmUnitId), index('training_submissions_waiting_idx').on(table.waitingUnitId, table.id).where(sql`waiting_unit_id is not null`)],
);

export const filingState = pgEnum('training_filing_state', ['pending_school', 'pending_authority', 'confirmed', 'rejected', 'withdrawn']);
export type FilingState = (typeof filingState.enumValues)[number];

/**
 * 校本研修 or 自主研修 hours a teacher (or the school for the teacher) files with evidence; the school
 * head and then the competent authority approve, and the rule converts them.
 */
export const trainingFilings = pgTable(
  'training_filings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    schoolId: integer('school_id').notNull(),
    schoolPath: ltree('school_path').notNull(),
    teacherName: text('teacher_name').notNull(),
    teacherIdMasked: varchar('teacher_id_masked', { length: 40 }).notNull(),
    category: varchar('category', { length: 2 }).notNull(),
    title: text('title').notNull(),
    hours: numeric('hours', { precision: 6, scale: 1, mode: 'number' }).notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    description: text('description'),
    attachmentName: text('attachment_name').notNull(),
    attachmentType: varchar('attachment_type', { length: 64 }).notNull(),
    attachment: bytea('attachment').notNull(),
    state: filingState('state').notNull(),
    waitingUnitId: integer('waiting_unit_id'),
    rejectionReason: text('rejection_reason'),
    credits: integer('credits'),
    ruleId: integer('rule_id'),
    entryId: integer('entry_id'),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    index('training_filings_teacher_idx').on(table.teacherId, table.id),
    index('training_filings_waiting_idx').on(table.waitingUnitId, table.id).where(sql`waiting_unit_id is not null`),
    index('training_filings_school_path_gist').using('gist', table.schoolPath),
  ],
);

/**
 * The ledger: one row per confirmed training entry, whatever confirmed it (a project's results or a
 * filing), with the credits it earned. The record's 培训研修 entry shows the same; this table is what
 * the ledger and the completion pages sum, by teacher and by school.
 */
export const trainingCredits = pgTable(
  'training_credits',
  {
    entryId: integer('entry_id')
      .primaryKey()
      .references(() => teacherEntries.id, { onDelete: 'cascade' }),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    category: varchar('category', { length: 2 }).notNull(),
    level: varchar('level', { length: 1 }).notNull(),
    hours: numeric('hours', { precision: 6, scale: 1, mode: 'number' }).notNull(),
    credits: integer('credits').notNull(),
    endDate: date('end_date').notNull(),
    forPrincipals: boolean('for_principals').notNull().default(false),
    ruleId: integer('rule_id').notNull(),
    /** The province whose rule computed it (null: the national default). */
    provinceUnitId: integer('province_unit_id'),
    projectId: integer('project_id'),
    filingId: integer('filing_id'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('training_credits_teacher_idx').on(table.teacherId, table.endDate, table.entryId)],
);

/**
 * A teacher's standing in a registration cycle, evaluated by the province's rule at each confirmation
 * (caps, minimums and offsets need the whole cycle): what the completion pages count by school.
 */
export const trainingStandings = pgTable(
  'training_standings',
  {
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    cycleStartYear: integer('cycle_start_year').notNull(),
    cycleEndYear: integer('cycle_end_year').notNull(),
    hours: numeric('hours', { precision: 7, scale: 1, mode: 'number' }).notNull(),
    credits: integer('credits').notNull(),
    requiredHours: integer('required_hours'),
    requiredCredits: integer('required_credits'),
    /** Share of the requirement met, per mille (the lower of hours and credits where both are set). */
    progressPermille: integer('progress_permille').notNull(),
    complete: boolean('complete').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.teacherId, table.cycleStartYear] })],
);
