import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { bytea } from './types';

export const exportJobStatus = pgEnum('export_job_status', ['queued', 'running', 'done', 'failed', 'expired']);

/**
 * A file made in the background for one account (the teacher export today): its request, progress and
 * outcome. The work itself is a job on the durable queue (pg-boss), so any node runs it and a restart
 * resumes it; the file lives in job_file_chunks, so any node serves it.
 */
export const exportJobs = pgTable(
  'export_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: integer('account_id').notNull(),
    unitId: integer('unit_id').notNull(),
    kind: varchar('kind', { length: 32 }).notNull(),
    fileName: text('file_name').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    status: exportJobStatus('status').notNull().default('queued'),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    rows: integer('rows'),
    unmasked: integer('unmasked'),
    bytes: bigint('bytes', { mode: 'number' }),
    attempts: integer('attempts').notNull().default(0),
    message: text('message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('export_jobs_account_idx').on(table.accountId, table.createdAt)],
);

/** A made file in encrypted pieces of a few MB, written and read one at a time (never whole in memory). */
export const jobFileChunks = pgTable(
  'job_file_chunks',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => exportJobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.seq] })],
);
