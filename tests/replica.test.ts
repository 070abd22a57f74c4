import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, getStatisticsDb, rowsOf, type Database } from '@/lib/db';
import { closeConnection, getConnection } from '@/lib/db/client';
import { closeJobQueue } from '@/lib/db/job-queue';
import type { Actor } from '@/lib/auth/actor';
import { approveRecordsSchema } from '@/lib/collection/schemas';
import { approveRecords, submitRecords } from '@/lib/collection/review/service';
import { getQueryRun, listQueryMatches, planCombinedQuery } from '@/lib/combined-query/queries';
import { runQueryJob, startCombinedQuery } from '@/lib/combined-query/service';
import { initializeReferenceData } from '@/lib/setup/service';
import { getDashboard, getReport } from '@/lib/statistics/queries';
import { parseStatFilters } from '@/lib/statistics/schemas';
import { encodeCondition, parseConditions } from '@/lib/statistics/query-builder';
import { countTeachers, listTeachers } from '@/lib/teachers/queries';
import { actorFor, exportTeachersNow, school, teacherIn, type SchoolFixture } from './support/factories';
import { replicaUnavailableReason, startLocalReplicaPair, type LocalReplicaPair } from './support/pg-cluster';

// A primary and a streaming replica of its own, made with pg_basebackup: whatever DATABASE_URL says, this file runs on them.
const unavailable = replicaUnavailableReason();
if (unavailable) console.warn(`replica tests skipped: ${unavailable}`);

let pair: LocalReplicaPair;
/** The test's own line to the replica, to hold and resume its replay whatever the app routes there. */
let replicaControl: postgres.Sql;
let county: Actor;
let fixture: SchoolFixture;
const saved = { url: process.env.DATABASE_URL, replica: process.env.DATABASE_REPLICA_URL, limit: process.env.QUERY_DIRECT_LIMIT };

async function value<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
  return Object.values(rowsOf<Record<string, T>>(await db.execute(query))[0])[0];
}

/** Waits until the replica has replayed everything the primary has written so far; answers how long it took. */
async function replicaCaughtUp(): Promise<number> {
  const started = performance.now();
  const target = await value<string>(await getDb(), sql`select pg_current_wal_lsn()::text`);
  for (;;) {
    const [{ behind }] = await replicaControl`select pg_last_wal_replay_lsn() < ${target}::pg_lsn as behind`;
    if (!behind) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error('the replica did not catch up within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function pauseReplay(): Promise<void> {
  await replicaControl`select pg_wal_replay_pause()`;
  while ((await replicaControl`select pg_get_wal_replay_pause_state() as state`)[0].state !== 'paused') await new Promise((resolve) => setTimeout(resolve, 5));
}

const all = parseStatFilters({ scope: 'all' });
const named = (prefix: string) => parseConditions([`name~contains~${prefix}`]);

describe.skipIf(Boolean(unavailable))('statistics on a streaming replica (DATABASE_REPLICA_URL)', () => {
  beforeAll(async () => {
    pair = await startLocalReplicaPair();
    replicaControl = postgres(pair.replicaUrl, { max: 1, onnotice: () => {} });
    // The setup file opened the usual database; this file's services use the pair from here on.
    await closeJobQueue({ graceful: false });
    await closeConnection();
    process.env.DATABASE_URL = pair.primaryUrl;
    process.env.DATABASE_REPLICA_URL = pair.replicaUrl;
    const connection = await getConnection();
    await connection.migrate();
    await initializeReferenceData(connection.db);
    county = await actorFor('330106.manager');
    fixture = await school('330106');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await teacherIn(fixture, { complete: true, name: `副本教师${i}` }));
    await submitRecords(fixture.sysadmin, { teacherIds: ids });
    await approveRecords(county, approveRecordsSchema.parse({ teacherIds: ids }));
    await replicaCaughtUp();
  });

  afterAll(async () => {
    await closeJobQueue({ graceful: false });
    await closeConnection();
    for (const [key, before] of [['DATABASE_URL', saved.url], ['DATABASE_REPLICA_URL', saved.replica], ['QUERY_DIRECT_LIMIT', saved.limit]] as const) {
      if (before === undefined) delete process.env[key];
      else process.env[key] = before;
    }
    await replicaControl?.end({ timeout: 5 });
    pair?.stop();
  });

  it('reads statistics from the replica and everything else from the primary', async () => {
    expect(await value<boolean>(await getStatisticsDb(), sql`select pg_is_in_recovery()`)).toBe(true);
    expect(await value<boolean>(await getDb(), sql`select pg_is_in_recovery()`)).toBe(false);
  });

  it('shows figures as of the replica while its replay is held, and the primary’s own writes at once', async () => {
    expect((await getDashboard(county, all)).total).toBe(3);
    expect((await getReport(county, 'unit-stage', all)).total).toBe(3);
    const request = { scope: 'all' as const, conditions: named('副本教师') };
    expect(request.conditions).toHaveLength(1);
    expect((await listQueryMatches(county, request)).rows).toHaveLength(3);

    await pauseReplay();
    try {
      const added = await teacherIn(fixture, { complete: true, name: '副本教师新' });
      const another = await school('330106');

      // The primary has the new teacher: the teacher list (read back after writing) shows it.
      expect((await listTeachers(county, { q: '副本教师新' })).rows.map((row) => row.id)).toEqual([added]);
      expect(await value<number>(await getDb(), sql`select count(*)::int from teachers where unit_path <@ ${county.unitPath}::ltree`)).toBe(4);
      // Statistics are as of the replica: the dashboard, the reports, the combined query and the export.
      expect((await getDashboard(county, all)).total).toBe(3);
      expect((await getReport(county, 'unit-stage', all)).total).toBe(3);
      expect(await countTeachers(county, { conditions: request.conditions })).toBe(3);
      expect((await listQueryMatches(county, request)).rows.map((row) => row.id)).not.toContain(added);
      const exported = await exportTeachersNow(county, { q: '副本教师' }, ['basic']);
      expect(exported.rows).toBe(3);
      // A unit made a moment ago is found (its jurisdiction is checked on the primary) and counted as of the replica.
      expect((await getDashboard(county, { ...all, unitId: another.school.id })).total).toBe(0);
      // A run reads the replica and keeps its result on the primary.
      process.env.QUERY_DIRECT_LIMIT = '0';
      expect((await planCombinedQuery(county, request)).source).toBe('run');
      const { runId } = await startCombinedQuery(county, { scope: 'all', cond: request.conditions.map(encodeCondition) });
      await runQueryJob(runId!);
      expect(await getQueryRun(county, runId!)).toMatchObject({ status: 'done', matched: 3 });
    } finally {
      delete process.env.QUERY_DIRECT_LIMIT;
      await replicaControl`select pg_wal_replay_resume()`;
    }

    const lagMs = await replicaCaughtUp();
    console.info(`replica caught up ${lagMs.toFixed(0)} ms after replay resumed`);
    expect((await getDashboard(county, all)).total).toBe(4);
    expect((await getReport(county, 'unit-stage', all)).total).toBe(4);
    expect(await countTeachers(county, { conditions: request.conditions })).toBe(4);
    expect((await listQueryMatches(county, request)).rows).toHaveLength(4);
  });

  it('is fresh within the replica’s lag after an approval', async () => {
    const teacherId = await teacherIn(fixture, { complete: true, name: '副本教师审' });
    await submitRecords(fixture.sysadmin, { teacherIds: [teacherId] });
    const official = parseStatFilters({});
    const before = (await getDashboard(county, official)).total;
    await approveRecords(county, approveRecordsSchema.parse({ teacherIds: [teacherId] }));
    const approvedAt = performance.now();
    while ((await getDashboard(county, official)).total !== before + 1) {
      if (performance.now() - approvedAt > 10_000) throw new Error('the approval did not reach the replica’s dashboard within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    console.info(`an approval reached the replica's dashboard ${(performance.now() - approvedAt).toFixed(0)} ms after it returned`);
    // The primary had it at once.
    expect(await value<number>(await getDb(), sql`select count(*)::int from teachers where unit_path <@ ${county.unitPath}::ltree and record_state = 'effective'`)).toBe(before + 1);
  });
});
