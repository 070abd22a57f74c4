import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { intArray, rowsOf, type Executor } from '@/lib/db';
import { recordReviews, recordSupplements, teacherEntries, teachers, teacherVersions, type VersionKind, type VersionSnapshot } from '@/lib/db/schema';
import type { Stage } from '@/lib/reference/school-types';
import { completenessChecker, type CompletenessProblem } from '@/lib/teachers/completeness';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { resolveCatalogue } from '@/lib/indicators/settings';
import { todayIso } from '@/lib/indicators/form-schema';
import type { Actor } from '@/lib/auth/actor';
import { ConflictError } from '@/lib/errors';
import { diffSnapshots } from './diff';

/* A record's history, shared by every flow that changes it: its timeline (record_reviews) and its versions. */

export interface Reviewer {
  accountId: number;
  displayName: string;
  unitName: string;
}

export function reviewerOf(actor: Actor): Reviewer {
  return { accountId: actor.accountId, displayName: actor.displayName, unitName: actor.unitName };
}

export async function writeReviews(tx: Executor, reviewer: Reviewer, action: string, teacherIds: number[], comment: string | null): Promise<void> {
  for (let start = 0; start < teacherIds.length; start += 2000) {
    await tx.insert(recordReviews).values(
      teacherIds.slice(start, start + 2000).map((teacherId) => ({ teacherId, action, comment: comment || null, accountId: reviewer.accountId, accountName: reviewer.displayName, unitName: reviewer.unitName })),
    );
  }
}

/** The effective record with all its entries, as a version freezes it. */
export async function loadSnapshots(tx: Executor, teacherIds: number[]): Promise<Map<number, VersionSnapshot>> {
  const snapshots = new Map<number, VersionSnapshot>();
  if (teacherIds.length === 0) return snapshots;
  for (const row of await tx.select({ id: teachers.id, record: teachers.record }).from(teachers).where(inArray(teachers.id, teacherIds))) {
    snapshots.set(row.id, { record: row.record, entries: {} });
  }
  const entries = await tx
    .select({ id: teacherEntries.id, teacherId: teacherEntries.teacherId, subset: teacherEntries.subset, values: teacherEntries.values })
    .from(teacherEntries)
    .where(inArray(teacherEntries.teacherId, teacherIds))
    .orderBy(teacherEntries.id);
  for (const entry of entries) (snapshots.get(entry.teacherId)!.entries[entry.subset] ??= []).push({ id: entry.id, values: entry.values });
  return snapshots;
}

/**
 * Freezes the current effective record as the next version. The version number moves only from the
 * one read, so two approvals on the same record cannot both write version n+1.
 */
export async function createNextVersion(tx: Executor, teacherId: number, kind: VersionKind, approver: Actor): Promise<number> {
  const [current] = await tx.select({ version: teachers.effectiveVersion }).from(teachers).where(eq(teachers.id, teacherId));
  const [moved] = await tx
    .update(teachers)
    .set({ effectiveVersion: current.version + 1, updatedAt: new Date() })
    .where(and(eq(teachers.id, teacherId), eq(teachers.effectiveVersion, current.version), eq(teachers.recordState, 'effective')))
    .returning({ version: teachers.effectiveVersion });
  if (!moved) throw new ConflictError('该记录刚被其他审核人处理，请刷新后重试');
  await freezeVersion(tx, teacherId, moved.version, kind, approver);
  return moved.version;
}

/**
 * Writes version n of the record as it now is, with its diff against version n - 1, for a caller
 * that already moved `effective_version` to n in its own conditional UPDATE (one write of the row).
 */
export async function freezeVersion(tx: Executor, teacherId: number, version: number, kind: VersionKind, approver: Actor): Promise<void> {
  const [previous] = await tx.select({ snapshot: teacherVersions.snapshot }).from(teacherVersions).where(and(eq(teacherVersions.teacherId, teacherId), eq(teacherVersions.version, version - 1)));
  const snapshot = (await loadSnapshots(tx, [teacherId])).get(teacherId)!;
  await tx.insert(teacherVersions).values({
    teacherId,
    version,
    kind,
    snapshot,
    diff: diffSnapshots(previous?.snapshot ?? null, snapshot),
    approvedBy: approver.accountId,
    approvedByName: `${approver.displayName}（${approver.unitName}）`,
  });
}

/**
 * The next version of many effective records at once (a training confirmation writes thousands): one
 * lock per 2,000 records, then one statement moves each version from the one it holds and writes
 * the snapshot with its diff, as `freezeVersion` would. Records not effective get no version.
 * Answers the teachers that got one.
 */
export async function createNextVersionsInBulk(tx: Executor, ids: number[], kind: VersionKind, approver: Actor): Promise<number[]> {
  // In id order, so that two bulk versions over overlapping teachers lock them in the same order (no deadlock).
  const teacherIds = [...new Set(ids)].sort((a, b) => a - b);
  const approvedByName = `${approver.displayName}（${approver.unitName}）`;
  const versioned: number[] = [];
  for (let start = 0; start < teacherIds.length; start += 2000) {
    const slice = teacherIds.slice(start, start + 2000);
    // The snapshot (the record with its entries in id order) and its diff against version n - 1 are built
    // by the database: thousands of whole records never travel to the server and back.
    // Locked first, on their own: the statement below then reads the records, their entries and the
    // previous versions as they are after any transaction it waited for (READ COMMITTED takes a new
    // snapshot per statement). NO KEY UPDATE, as a plain UPDATE takes: rows just referenced by new
    // entries (KEY SHARE) do not block it.
    const locked = rowsOf<{ id: number }>(await tx.execute(sql`select id from teachers where id = any(${intArray(slice)}) and record_state = 'effective' order by id for no key update`)).map((row) => Number(row.id));
    if (locked.length === 0) continue;
    const written = rowsOf<{ teacherId: number }>(
      await tx.execute(sql`
        with moved as (
          update teachers t set effective_version = t.effective_version + 1, updated_at = now()
          where t.id = any(${intArray(locked)}) and t.record_state = 'effective'
          returning t.id, t.effective_version as version, t.record
        ), snap as (
          select m.id as teacher_id, m.version, jsonb_build_object('record', m.record, 'entries', coalesce(listed.entries, '{}'::jsonb)) as snapshot
          from moved m
          left join lateral (
            select jsonb_object_agg(subset, list) as entries
            from (select e.subset, jsonb_agg(jsonb_build_object('id', e.id, 'values', e.values) order by e.id) as list from teacher_entries e where e.teacher_id = m.id group by e.subset) by_subset
          ) listed on true
        ), prev as (
          select v.teacher_id, v.snapshot from teacher_versions v join moved m on v.teacher_id = m.id and v.version = m.version - 1
        ), parts as (
          -- Each record subset and each entry, of both versions, compared whole first: only those that differ are compared field by field.
          select s.teacher_id, 1 as side, sub.key as subset, 0 as entry_key, sub.value as fields from snap s cross join lateral jsonb_each(s.snapshot->'record') sub
          union all
          select s.teacher_id, 1, sub.key, (e->>'id')::int, e->'values' from snap s cross join lateral jsonb_each(s.snapshot->'entries') sub cross join lateral jsonb_array_elements(sub.value) e
          union all
          select p.teacher_id, 0, sub.key, 0, sub.value from prev p cross join lateral jsonb_each(p.snapshot->'record') sub
          union all
          select p.teacher_id, 0, sub.key, (e->>'id')::int, e->'values' from prev p cross join lateral jsonb_each(p.snapshot->'entries') sub cross join lateral jsonb_array_elements(sub.value) e
        ), differing as (
          select teacher_id, subset, entry_key,
            (array_agg(case when jsonb_typeof(fields) = 'object' then fields else '{}'::jsonb end) filter (where side = 1))[1] as after,
            (array_agg(case when jsonb_typeof(fields) = 'object' then fields else '{}'::jsonb end) filter (where side = 0))[1] as before
          from parts group by teacher_id, subset, entry_key
          having count(*) < 2 or min(fields::text) <> max(fields::text)
        ), changed_fields as (
          select d.teacher_id, d.subset, d.entry_key, k.field, nullif(d.before->k.field, 'null'::jsonb) as old_value, nullif(d.after->k.field, 'null'::jsonb) as new_value
          from differing d
          cross join lateral (select jsonb_object_keys(coalesce(d.after, '{}'::jsonb)) as field union select jsonb_object_keys(coalesce(d.before, '{}'::jsonb))) k
        ), changed as (
          -- The record's subsets first, then the entries by subset and id, as the JS diff lists them.
          select teacher_id,
            jsonb_agg(jsonb_build_object('subset', subset, 'entryId', nullif(entry_key, 0), 'field', field, 'oldValue', old_value, 'newValue', new_value) order by entry_key <> 0, subset, entry_key, field) as diff
          from changed_fields
          where old_value is distinct from new_value
          group by 1
        )
        insert into teacher_versions (teacher_id, version, kind, snapshot, diff, approved_by, approved_by_name)
        select s.teacher_id, s.version, ${kind}, s.snapshot, coalesce(c.diff, '[]'::jsonb), ${approver.accountId}::int, ${approvedByName}::text
        from snap s left join changed c on c.teacher_id = s.teacher_id
        order by s.teacher_id
        returning teacher_id as "teacherId"`),
    );
    versioned.push(...written.map((row) => Number(row.teacherId)));
  }
  return versioned.sort((a, b) => a - b);
}

/**
 * Compiled checks per province settings version, stage and day: building the zod schemas of a whole
 * catalogue costs more than the rest of a transfer's completion.
 */
const checkers = new Map<string, ReturnType<typeof completenessChecker>>();

async function checkerFor(tx: Executor, provinceUnitId: number | null, stage: Stage): Promise<ReturnType<typeof completenessChecker>> {
  const { version, settings } = await getProvinceSettings(provinceUnitId, tx);
  const key = `${provinceUnitId}:${version}:${stage}:${todayIso()}`;
  let check = checkers.get(key);
  if (!check) {
    if (checkers.size >= 500) checkers.clear();
    checkers.set(key, (check = completenessChecker(resolveCatalogue(settings, stage))));
  }
  return check;
}

/**
 * 待补充 after a move into another province: what the record's own province requires and the record
 * lacks, checked against the record as it is now. Writes (or clears) the record's row and answers the problems.
 */
export async function checkSupplements(tx: Executor, teacherId: number): Promise<CompletenessProblem[]> {
  const [teacher] = await tx.select({ unitId: teachers.unitId, provinceUnitId: teachers.provinceUnitId, stage: teachers.stage, record: teachers.record }).from(teachers).where(eq(teachers.id, teacherId));
  const snapshot = (await loadSnapshots(tx, [teacherId])).get(teacherId)!;
  const entries = Object.fromEntries(Object.entries(snapshot.entries).map(([subset, list]) => [subset, list.map((entry) => entry.values)]));
  const problems = (await checkerFor(tx, teacher.provinceUnitId, teacher.stage as Stage))(teacher.record, entries);
  if (problems.length === 0) await tx.delete(recordSupplements).where(eq(recordSupplements.teacherId, teacherId));
  else {
    const stored = problems.map(({ subset, subsetLabel, field, fieldLabel, message }) => ({ subset, subsetLabel, field, fieldLabel, message }));
    await tx.insert(recordSupplements).values({ teacherId, unitId: teacher.unitId, problems: stored }).onConflictDoUpdate({ target: recordSupplements.teacherId, set: { unitId: teacher.unitId, problems: stored } });
  }
  return problems;
}

/** After an addition or a change took effect: a record that was waiting for 待补充 is checked again. */
export async function refreshSupplements(tx: Executor, teacherId: number): Promise<void> {
  const [waiting] = await tx.select({ teacherId: recordSupplements.teacherId }).from(recordSupplements).where(eq(recordSupplements.teacherId, teacherId));
  if (waiting) await checkSupplements(tx, teacherId);
}
