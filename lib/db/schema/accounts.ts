import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { units } from './units';

export const accountRole = pgEnum('account_role', ['sysadmin', 'manager', 'viewer', 'teacher', 'institution', 'auditor']);
export const accountStatus = pgEnum('account_status', ['active', 'disabled']);

export const accounts = pgTable(
  'accounts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    username: varchar('username', { length: 64 }).notNull().unique(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    role: accountRole('role').notNull(),
    displayName: text('display_name').notNull(),
    /** Null until credentials are issued: default accounts are created without a usable password. */
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    isDemo: boolean('is_demo').notNull().default(false),
    /** A school manager granted the head's right to review and report records (seed 六(二)). */
    mayReviewRecords: boolean('may_review_records').notNull().default(false),
    status: accountStatus('status').notNull().default('active'),
    /** Failed sign-ins the owner has not yet been told of; shown once after the next sign-in. */
    unseenFailedSignins: integer('unseen_failed_signins').notNull().default(0),
    lastFailedSigninAt: timestamp('last_failed_signin_at', { withTimezone: true }),
    lastFailedSigninIp: text('last_failed_signin_ip'),
    /** Bumped on password change or reset so that older sessions stop working. */
    sessionVersion: integer('session_version').notNull().default(0),
    passwordIssuedAt: timestamp('password_issued_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** Base32 TOTP secret while enrolling or enrolled; enrolment is complete once totp_enabled_at is set. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The last TOTP time step accepted, so that a code cannot be replayed. */
    totpLastStep: integer('totp_last_step'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('accounts_unit_role_idx').on(table.unitId, table.role)],
);

export type Account = typeof accounts.$inferSelect;

/**
 * Failed sign-ins, by client address and by the name typed (known or not, so that counting reveals
 * nothing). The throttle counts them in a sliding window; rows older than a day are swept.
 */
export const signinFailures = pgTable(
  'signin_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip').notNull(),
    username: varchar('username', { length: 64 }).notNull(),
    /** Set when the managing sysadmin lifts the name's slowdown; the row still counts against its address. */
    nameClearedAt: timestamp('name_cleared_at', { withTimezone: true }),
  },
  (table) => [index('signin_failures_ip_idx').on(table.ip, table.occurredAt), index('signin_failures_username_idx').on(table.username, table.occurredAt)],
);

/** One row per sign-in: sign-out revokes it, and it lapses at its absolute expiry whatever the activity. */
export const accountSessions = pgTable(
  'account_sessions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
  },
  (table) => [index('account_sessions_account_idx').on(table.accountId)],
);

/** The last password hashes of an account, so that a change cannot return to one of them. */
export const passwordHistory = pgTable(
  'password_history',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    passwordHash: text('password_hash').notNull(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.changedAt] })],
);

/** One-time recovery codes for two-factor sign-in, kept as hashes. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.codeHash] })],
);

/**
 * Password lifetime per tier, set by the ministry for its own accounts and by each province for the
 * accounts of its province (seed 四(二)); keyed by the ministry's or the province's unit. Days per
 * key: central, province, city, county, school, teacher; a missing key means no expiry.
 */
export const passwordPolicies = pgTable('password_policies', {
  scopeUnitId: integer('scope_unit_id')
    .primaryKey()
    .references(() => units.id),
  maxAgeDays: jsonb('max_age_days').$type<Record<string, number>>().notNull(),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
