import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { teachers } from './teachers';
import { ltree } from './types';
import { units } from './units';

const bytea = customType<{ data: Buffer }>({
  dataType() {
    return 'bytea';
  },
});

/**
 * The timeline of every multi-party case (transfers, rotations …): one row per step taken, written by
 * the workflow kit in the step's transaction. `flow` names the case table.
 */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    flow: varchar('flow', { length: 32 }).notNull(),
    caseId: integer('case_id').notNull(),
    action: varchar('action', { length: 32 }).notNull(),
    fromState: varchar('from_state', { length: 32 }),
    toState: varchar('to_state', { length: 32 }).notNull(),
    reason: text('reason'),
    /** What the step recorded beside its reason (a leaving month …), as the approval form prints it. */
    detail: jsonb('detail').$type<Record<string, string>>(),
    accountId: integer('account_id'),
    accountName: text('account_name').notNull(),
    unitId: integer('unit_id'),
    unitName: text('unit_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('case_events_case_idx').on(table.flow, table.caseId, table.id)],
);

export const transferState = pgEnum('transfer_state', [
  'filed',
  'receiving_province',
  'sent',
  'sending_agreed',
  'sending_province',
  'awaiting_file',
  'completed',
  'rejected',
  'withdrawn',
]);

/** 调动 (an ordinary transfer), 交流轮岗 (a rotation that changes the personnel relation) or 重新入职 (someone who left, hired again). */
export const transferKind = pgEnum('transfer_kind', ['transfer', 'rotation', 'rehire']);

export type TransferState = (typeof transferState.enumValues)[number];
export type TransferKind = (typeof transferKind.enumValues)[number];

/**
 * 教师调动 (seed 七(一)1): a case with up to six parties. Each party's unit is stored with the case,
 * so a party's staff find it through their own jurisdiction, and `waiting_unit_id` names the unit
 * whose turn it is (the inbox and 待我处理 read it through an index).
 */
export const transfers = pgTable(
  'transfers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: transferKind('kind').notNull().default('transfer'),
    state: transferState('state').notNull().default('filed'),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    /** What the receiving side may see before the sending side agrees. */
    teacherName: text('teacher_name').notNull(),
    teacherIdMasked: varchar('teacher_id_masked', { length: 40 }).notNull(),
    teacherGender: varchar('teacher_gender', { length: 1 }).notNull(),
    sendingSchoolId: integer('sending_school_id')
      .notNull()
      .references(() => units.id),
    sendingSchoolPath: ltree('sending_school_path').notNull(),
    sendingSchoolName: text('sending_school_name').notNull(),
    sendingAuthorityId: integer('sending_authority_id').references(() => units.id),
    sendingProvinceId: integer('sending_province_id').references(() => units.id),
    receivingSchoolId: integer('receiving_school_id')
      .notNull()
      .references(() => units.id),
    receivingSchoolPath: ltree('receiving_school_path').notNull(),
    receivingSchoolName: text('receiving_school_name').notNull(),
    receivingAuthorityId: integer('receiving_authority_id').references(() => units.id),
    receivingProvinceId: integer('receiving_province_id').references(() => units.id),
    /** Each province's authority confirms as well (the relay the national 学籍 system also uses). */
    crossProvince: boolean('cross_province').notNull(),
    reason: text('reason').notNull(),
    /** For kind rotation: the rotationKind code, written to the record's 交流轮岗 entry on completion. */
    rotationKind: varchar('rotation_kind', { length: 2 }),
    /** 岗位类别 at the receiving school (postCategory code). */
    postCategory: varchar('post_category', { length: 2 }).notNull(),
    postTitle: text('post_title'),
    /** YYYY-MM. */
    plannedArrivalMonth: varchar('planned_arrival_month', { length: 7 }).notNull(),
    leavingMonth: varchar('leaving_month', { length: 7 }),
    arrivalMonth: varchar('arrival_month', { length: 7 }),
    /** The unit whose staff act next; null once the case is closed. */
    waitingUnitId: integer('waiting_unit_id'),
    /** When the current step began: days waiting, overdue after ten. */
    stateSince: timestamp('state_since', { withTimezone: true }).notNull().defaultNow(),
    rejectionReason: text('rejection_reason'),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    // One open transfer per teacher: two schools filing at the same moment, one wins.
    uniqueIndex('transfers_open_teacher_idx').on(table.teacherId).where(sql`state not in ('completed', 'rejected', 'withdrawn')`),
    // A teacher's transfers in any state (the rotation plan's drill-down, /me).
    index('transfers_teacher_idx').on(table.teacherId, table.id),
    index('transfers_sending_path_gist').using('gist', table.sendingSchoolPath),
    index('transfers_receiving_path_gist').using('gist', table.receivingSchoolPath),
    index('transfers_waiting_idx').on(table.waitingUnitId, table.id).where(sql`waiting_unit_id is not null`),
    // Open steps by how long they have waited (the superiors' overdue list).
    index('transfers_waiting_since_idx').on(table.stateSince).where(sql`waiting_unit_id is not null`),
    index('transfers_closed_idx').on(table.closedAt),
  ],
);

/** The filing's supporting document (PDF or JPG), kept in the database like photos. */
export const transferAttachments = pgTable('transfer_attachments', {
  transferId: integer('transfer_id')
    .primaryKey()
    .references(() => transfers.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  contentType: varchar('content_type', { length: 32 }).notNull(),
  content: bytea('content').notNull(),
  byteSize: integer('byte_size').notNull(),
});

/**
 * 待补充: fields the record's province requires but the record lacks, after it moved into that
 * province. The school fills them through additions and change requests; the row goes when none is left.
 */
export const recordSupplements = pgTable(
  'record_supplements',
  {
    teacherId: integer('teacher_id')
      .primaryKey()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    problems: jsonb('problems').$type<{ subset: string; subsetLabel: string; field: string | null; fieldLabel: string | null; message: string }[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('record_supplements_unit_idx').on(table.unitId)],
);

export const statusChangeState = pgEnum('status_change_state', ['pending', 'effective', 'rejected']);
export type StatusChangeState = (typeof statusChangeState.enumValues)[number];

/**
 * 在职情况变动 (seed 七(一)2): the school records a new 人员状态 with its date, reason and 文号.
 * Temporary absences and returns take effect at once; leaving (3xx) waits for the competent
 * authority's confirmation, except death. One pending change per teacher.
 */
export const statusChanges = pgTable(
  'status_changes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    unitPath: ltree('unit_path').notNull(),
    fromStatus: varchar('from_status', { length: 3 }),
    toStatus: varchar('to_status', { length: 3 }).notNull(),
    effectiveDate: date('effective_date').notNull(),
    reason: text('reason').notNull(),
    documentNumber: text('document_number'),
    state: statusChangeState('state').notNull(),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionComment: text('decision_comment'),
  },
  (table) => [
    index('status_changes_teacher_idx').on(table.teacherId, table.id),
    uniqueIndex('status_changes_pending_idx').on(table.teacherId).where(sql`state = 'pending'`),
    index('status_changes_pending_unit_idx').on(table.unitId, table.id).where(sql`state = 'pending'`),
  ],
);

export const rotationState = pgEnum('rotation_state', ['filed', 'active', 'extending', 'ended', 'rejected', 'withdrawn']);
export type RotationState = (typeof rotationState.enumValues)[number];

/**
 * 交流轮岗 without a change of personnel relation (seed 七(二), 人走关系留): the home school (派出学校)
 * files, its competent authority confirms; the teacher is then 205 at home and appears in the host
 * school's 交流来校 list. Extensions wait for the same authority. A rotation that changes the relation
 * is a transfer of kind rotation instead.
 */
export const rotations = pgTable(
  'rotations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    state: rotationState('state').notNull().default('filed'),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    /** What the host school's 交流来校 list shows, read-only. */
    teacherName: text('teacher_name').notNull(),
    teacherIdMasked: varchar('teacher_id_masked', { length: 40 }).notNull(),
    teacherGender: varchar('teacher_gender', { length: 1 }).notNull(),
    /** 骨干教师 when filed: the rotation plan's key-teacher share. */
    keyTeacher: boolean('key_teacher').notNull(),
    /** rotationKind code (城乡交流, 校际交流, 支教, 对口帮扶 …). */
    kind: varchar('kind', { length: 2 }).notNull(),
    homeSchoolId: integer('home_school_id')
      .notNull()
      .references(() => units.id),
    homeSchoolPath: ltree('home_school_path').notNull(),
    homeSchoolName: text('home_school_name').notNull(),
    homeAuthorityId: integer('home_authority_id').references(() => units.id),
    hostSchoolId: integer('host_school_id')
      .notNull()
      .references(() => units.id),
    hostSchoolPath: ltree('host_school_path').notNull(),
    hostSchoolName: text('host_school_name').notNull(),
    /** YYYY-MM. */
    startMonth: varchar('start_month', { length: 7 }).notNull(),
    plannedEndMonth: varchar('planned_end_month', { length: 7 }).notNull(),
    /** An extension's new end month while the authority decides. */
    requestedEndMonth: varchar('requested_end_month', { length: 7 }),
    endMonth: varchar('end_month', { length: 7 }),
    /** returned (as planned) or early (ended before the planned month). */
    endKind: varchar('end_kind', { length: 8 }),
    reason: text('reason').notNull(),
    documentNumber: text('document_number'),
    /** The record's 交流轮岗 entry, written when the authority confirms. */
    entryId: integer('entry_id'),
    waitingUnitId: integer('waiting_unit_id'),
    stateSince: timestamp('state_since', { withTimezone: true }).notNull().defaultNow(),
    rejectionReason: text('rejection_reason'),
    filedBy: integer('filed_by').notNull(),
    filedByName: text('filed_by_name').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('rotations_open_teacher_idx').on(table.teacherId).where(sql`state in ('filed', 'active', 'extending')`),
    // A teacher's rotations in any state (the plan's drill-down, the record's history).
    index('rotations_teacher_idx').on(table.teacherId, table.id),
    index('rotations_home_path_gist').using('gist', table.homeSchoolPath),
    index('rotations_host_path_gist').using('gist', table.hostSchoolPath),
    index('rotations_home_school_idx').on(table.homeSchoolId, table.startMonth),
    index('rotations_waiting_idx').on(table.waitingUnitId, table.id).where(sql`waiting_unit_id is not null`),
    // 30 days before the planned end both schools are reminded.
    index('rotations_due_idx').on(table.plannedEndMonth, table.id).where(sql`state in ('active', 'extending')`),
  ],
);

/** The county's yearly rotation targets (seed 七(二)); absent, the national floor applies. */
export const rotationTargets = pgTable(
  'rotation_targets',
  {
    countyId: integer('county_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    eligibleYears: integer('eligible_years').notNull(),
    /** Shares in per mille (100 = 10 %), exact in integers. */
    minSharePermille: integer('min_share_permille').notNull(),
    minKeySharePermille: integer('min_key_share_permille').notNull(),
    updatedBy: integer('updated_by').notNull(),
    updatedByName: text('updated_by_name').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.countyId, table.year] }), check('rotation_targets_range', sql`eligible_years between 1 and 30 and min_share_permille between 0 and 1000 and min_key_share_permille between 0 and 1000`)],
);
