import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ltree } from './types';

/** One row per mutation, sign-in event and export, written in the transaction of the change. */
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
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
