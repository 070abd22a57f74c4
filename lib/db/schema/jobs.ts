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

export const queryRunStatus = pgEnum('query_run_status', ['queued', 'running', 'done', 'failed']);

/**
 * A combined query that the pre-counted statistics cannot answer, run in the background for one
 * account: its conditions, progress (teachers scanned of the scope's total) and outcome. The matching
 * teachers are kept in query_run_hits, so the result can be paged without running the query again.
 */
export const queryRuns = pgTable(
  'query_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: integer('account_id').notNull(),
    /** The unit whose jurisdiction is searched (the actor's own or one below it). */
    unitId: integer('unit_id').notNull(),
    /** The same request always has the same key: the page finds the latest run of what it shows. */
    paramsKey: text('params_key').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    status: queryRunStatus('status').notNull().default('queued'),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    matched: integer('matched'),
    attempts: integer('attempts').notNull().default(0),
    message: text('message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('query_runs_account_idx').on(table.accountId, table.paramsKey, table.createdAt)],
);

export const queryRunHits = pgTable(
  'query_run_hits',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => queryRuns.id, { onDelete: 'cascade' }),
    teacherId: integer('teacher_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.teacherId] })],
);
