import { bigint, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ltree } from './types';

/**
 * One row per mutation, sign-in event, refusal and export, written in the transaction of the change.
 * Append-only: a trigger refuses UPDATE, TRUNCATE and DELETE of rows inside the retention period.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorAccountId: integer('actor_account_id'),
    actorUsername: text('actor_username'),
    actorUnitId: integer('actor_unit_id'),
    /** Path of the unit the event concerns; it decides whose jurisdiction sees the row. */
    unitPath: ltree('unit_path'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    ip: text('ip'),
  },
  (table) => [
    index('audit_log_unit_path_gist').using('gist', table.unitPath),
    index('audit_log_action_idx').on(table.action, table.id),
    index('audit_log_username_idx').on(table.actorUsername, table.id),
    index('audit_log_occurred_idx').on(table.occurredAt),
    // Every row about one object (the audit page's 只看此对象), newest first.
    index('audit_log_target_idx').on(table.targetType, table.targetId, table.id),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * The seal of one day of the audit log: an HMAC chain over the day's rows in id order, starting from
 * the previous day's seal. Recomputing it detects a row changed, removed or slipped in afterwards.
 */
export const auditSeals = pgTable('audit_seals', {
  day: date('day', { mode: 'string' }).primaryKey(),
  firstId: bigint('first_id', { mode: 'number' }),
  lastId: bigint('last_id', { mode: 'number' }),
  rowCount: integer('row_count').notNull(),
  chainHash: text('chain_hash').notNull(),
  keyId: text('key_id').notNull(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
});
