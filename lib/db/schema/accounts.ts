import { boolean, index, integer, pgEnum, pgTable, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { units } from './units';

export const accountRole = pgEnum('account_role', ['sysadmin', 'manager', 'viewer', 'teacher', 'institution']);
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
    failedLoginCount: smallint('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Bumped on password change or reset so that older sessions stop working. */
    sessionVersion: integer('session_version').notNull().default(0),
    passwordIssuedAt: timestamp('password_issued_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('accounts_unit_role_idx').on(table.unitId, table.role)],
);

export type Account = typeof accounts.$inferSelect;
