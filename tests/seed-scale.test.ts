import { spawnSync } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldDiff, VersionSnapshot } from '@/lib/db/schema';
import { resolveCatalogue } from '@/lib/indicators/settings';
import type { Stage } from '@/lib/reference/school-types';
import { diffSnapshots } from '@/lib/records/diff';
import { completenessChecker } from '@/lib/teachers/completeness';
import { checkResidentIdNumber, maskIdNumber } from '@/lib/reference/id-number';
import { idNumberHash, revealStoredIdNumber, teacherLoginName } from '@/lib/teachers/identity';

// `seed:scale` at a small N, on a database of its own: the bulk loader sets indexes aside, turns the
// statistics trigger off per batch and seals the ID numbers itself, so what it leaves must be what the
// services would have written.
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.warn('seed:scale tests skipped: the loader needs PostgreSQL (set DATABASE_URL)');

const teachersLoaded = 3000;
const bulkTables = ['teachers', 'accounts', 'teacher_entries', 'teacher_versions', 'record_reviews', 'audit_log'];
let seeded: postgres.Sql;
let migratedOnly: postgres.Sql;
const databaseName = `tmis_seed_scale_${process.pid}`;

function urlOf(name: string): string {
  const url = new URL(baseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.skipIf(!baseUrl)('seed:scale (the bulk loader)', () => {
  beforeAll(async () => {
    const admin = postgres(baseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.unsafe(`create database ${databaseName}`);
    await admin.end();
    const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, ['--conditions=react-server', 'scripts/seed-scale.ts', '--teachers', String(teachersLoaded), '--chunk', '1000', '--transfers', '60', '--rotations', '20', '--training', '3000'], {
      env: { ...process.env, DATABASE_URL: urlOf(databaseName), AUTH_SECRET: 'seed-scale-test-secret' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`seed:scale failed:\n${result.stdout}\n${result.stderr}`);
    seeded = postgres(urlOf(databaseName), { max: 2, onnotice: () => {} });
    // The test's own database, migrated by the setup file: the indexes the schema defines.
    migratedOnly = postgres(baseUrl!, { max: 1, onnotice: () => {} });
  }, 300_000);

  afterAll(async () => {
    await seeded?.end();
    await migratedOnly?.end();
    const admin = postgres(baseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  });

  it('builds every index and unique constraint again after the load', async () => {
    const indexes = (sql: postgres.Sql) => sql<{ name: string; definition: string }[]>`
      select i.relname as name, pg_get_indexdef(i.oid) as definition from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class r on r.oid = x.indrelid
      where r.relname = any(${bulkTables}) and r.relnamespace = 'public'::regnamespace order by 1`;
    const expected = await indexes(migratedOnly);
    expect(expected.length).toBeGreaterThan(15);
    expect(await indexes(seeded)).toEqual(expected);
    const [{ leftover }] = await seeded`select to_regclass('scale_set_aside') is not null or to_regprocedure('scale_id_check(text)') is not null as leftover`;
    expect(leftover).toBe(false);
  });

  it('stores every ID number sealed, as the services do, with the teacher’s login', async () => {
    const [{ total, clear }] = await seeded`select count(*)::int as total, count(id_number)::int as clear from teachers`;
    expect(total).toBe(teachersLoaded);
    expect(clear).toBe(0);
    const sample = await seeded<{ hash: string; enc: string; masked: string; username: string; basic: string }[]>`
      select t.id_number_hash as hash, t.id_number_enc as enc, t.id_number_masked as masked, a.username, t.record->'basic'->>'idNumber' as basic
      from teachers t join accounts a on a.id = t.account_id and a.role = 'teacher' order by random() limit 50`;
    expect(sample).toHaveLength(50);
    for (const row of sample) {
      const idNumber = revealStoredIdNumber(row.enc);
      expect(checkResidentIdNumber(idNumber)).toMatchObject({ ok: true });
      expect(row.hash).toBe(idNumberHash(idNumber));
      expect(row.masked).toBe(maskIdNumber(idNumber));
      expect(row.basic).toBe(row.masked);
      expect(row.username).toBe(teacherLoginName(idNumber));
    }
  });

  it('leaves the pre-counted statistics equal to a recount of teachers', async () => {
    const stored = await seeded<{ key: string; n: number }[]>`
      select concat_ws('|', unit_id, state, school_type, ownership, serving, dim, bucket) as key, sum(n)::int as n
      from (select unit_id, state, school_type, ownership, serving, dim, bucket, n from stat_counts
            union all select unit_id, state, school_type, ownership, serving, dim, bucket, n from stat_count_deltas) s
      group by 1 having sum(n) <> 0 order by 1`;
    const recounted = await seeded<{ key: string; n: number }[]>`
      select concat_ws('|', anc.id, t.record_state, coalesce(t.school_type_code, ''), coalesce(t.ownership, ''), coalesce(t.personnel_status, '') not like '3%', d.dim, d.bucket) as key, count(*)::int as n
      from teachers t
      cross join lateral unnest((string_to_array(t.unit_path::text, '.')::int[])[1:nlevel(t.unit_path) - 1]) as anc(id)
      cross join lateral teacher_stat_buckets(t.gender, t.birth_date, t.highest_education, t.title_level, t.ethnic_group, t.on_establishment, t.personnel_status, t.highest_degree, t.post_category, t.record->'basic') as d
      group by 1 order by 1`;
    expect(recounted.length).toBeGreaterThan(1000);
    expect(stored).toEqual(recounted);
  });

  it('gives every effective record its first version, frozen as an approval freezes it', async () => {
    const [{ effective, versions, approvals }] = await seeded`
      select (select count(*)::int from teachers where record_state = 'effective') as effective,
        (select count(*)::int from teacher_versions where version = 1) as versions,
        (select count(*)::int from audit_log where action = 'record.approve' and target_type = 'teacher') as approvals`;
    expect(effective).toBeGreaterThan(teachersLoaded * 0.7);
    expect(versions).toBe(effective);
    expect(approvals).toBe(effective);
    const sample = await seeded<{ snapshot: VersionSnapshot; diff: unknown[]; same: boolean }[]>`
      select v.snapshot, v.diff,
        v.snapshot->'record' = t.record and v.snapshot->'entries' = coalesce((
          select jsonb_object_agg(subset, list) from (
            select e.subset, jsonb_agg(jsonb_build_object('id', e.id, 'values', e.values) order by e.id) as list
            from teacher_entries e where e.teacher_id = t.id and e.origin is null group by e.subset) by_subset), '{}'::jsonb) as same
      from teacher_versions v join teachers t on t.id = v.teacher_id and t.effective_version = 1
      order by random() limit 40`;
    expect(sample).toHaveLength(40);
    const key = (d: { subset: unknown; entryId: unknown; field: unknown; oldValue: unknown; newValue: unknown }) => JSON.stringify([d.subset, d.entryId, d.field, d.oldValue, d.newValue]);
    for (const row of sample) {
      expect(row.same).toBe(true);
      expect((row.diff as FieldDiff[]).map(key).sort()).toEqual(diffSnapshots(null, row.snapshot).map(key).sort());
    }
  });

  it('writes records that pass the completeness check where they are marked complete', async () => {
    const sample = await seeded<{ stage: Stage; record: VersionSnapshot['record']; entries: Record<string, Record<string, string>[]> | null }[]>`
      select t.stage, t.record, (select jsonb_object_agg(subset, list) from (
          select e.subset, jsonb_agg(e.values order by e.id) as list from teacher_entries e where e.teacher_id = t.id group by e.subset) by_subset) as entries
      from teachers t where t.complete and t.personnel_status not like '3%' order by random() limit 100`;
    expect(sample).toHaveLength(100);
    const subsets = new Set<string>();
    for (const row of sample) {
      expect(completenessChecker(resolveCatalogue(null, row.stage))(row.record, row.entries ?? {})).toEqual([]);
      for (const subset of Object.keys(row.entries ?? {})) subsets.add(subset);
    }
    expect([...subsets].sort()).toEqual(['assessment', 'education', 'post', 'qualification', 'title', 'training', 'work']);
  });
});
