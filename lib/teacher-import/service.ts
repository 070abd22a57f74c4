import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { importJobs, teacherEntries, teacherFieldChanges, teachers, type StoredRecord, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { recordAudit } from '@/lib/audit/service';
import { logUnexpected } from '@/lib/log';
import { activeKeyId, decryptBytes, encryptBytes, keyIdOf } from '@/lib/crypto/envelope';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { jobQueues, resendJobs, transactionWithJob, type QueuedJob } from '@/lib/db/job-queue';
import { loadSessionAccount } from '@/lib/auth/queries';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { buildSubsetSchema, compactValues, type RecordValues } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';
import { maskIdNumber, normalizeIdNumber } from '@/lib/reference/id-number';
import { createTeacherSchema, type CreateTeacherInput } from '@/lib/teachers/schemas';
import { birthDateFromId, deriveHighest } from '@/lib/teachers/derive';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { assertConflictBudget, duplicateRegistrationError, insertTeachers, assertConflictsWithinBudget } from '@/lib/teachers/registration/service';
import { catalogueFor, getActorSchool, refreshCompleteness, refreshTitleLevels, type SchoolTarget } from '@/lib/teachers/service';
import { workbookLayout } from './layout';
import type { ImportIssue, ImportProgress, ImportSummary } from './schemas';
import { buildErrorWorkbook, cellToValue, readImportWorkbook, type ParsedSheet } from './workbook';
import { idNumberHash } from '@/lib/teachers/identity';

const maxStoredIssues = 500;

/**
 * The worker's progress, written to the job's row at most once a second so that any node's page shows
 * it. Written beside the work (never awaited by it): on PostgreSQL from another connection, so it is
 * visible while the import's own transaction is still open.
 */
function progressWriter(jobId: string): (progress: ImportProgress) => void {
  let writtenAt = 0;
  return (progress) => {
    const now = Date.now();
    if (now - writtenAt < 1000 && progress.done < progress.total) return;
    writtenAt = now;
    void getDb()
      .then((db) => db.update(importJobs).set({ progress }).where(and(eq(importJobs.id, jobId), inArray(importJobs.status, ['validating', 'importing']))))
      .catch(() => {});
  };
}

/** The queue's job for one phase of an import: its id is derived from the import's and the phase, so each phase is queued once. */
function importQueueJob(jobId: string, phase: 'validating' | 'importing'): QueuedJob {
  const hex = createHash('sha256').update(`${jobId}:${phase}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { name: jobQueues.teacherImport, id, data: { jobId } };
}

interface ExistingTeacher {
  id: number;
  unitId: number;
  recordState: 'draft' | 'submitted' | 'effective';
  revision: number;
  record: StoredRecord;
}

interface TeacherPlan {
  idNumber: string;
  name: string;
  existing: ExistingTeacher | null;
  registration: CreateTeacherInput | null;
  singles: Record<string, Record<string, StoredValue>>;
  entries: Map<string, Record<string, StoredValue>[]>;
}

interface ImportPlan {
  school: SchoolTarget;
  teachers: Map<string, TeacherPlan>;
  summary: ImportSummary;
  issues: ImportIssue[];
  sheets: ParsedSheet[];
  /** ID numbers in the file that are registered at another school (audited as registration conflicts). */
  conflicts: string[];
}

/** Validates every row of every sheet with the same generated schemas as the forms, plus file and database duplicates. */
async function planImport(executor: Executor, actor: Actor, file: { name: string; bytes: Uint8Array }, onProgress: (p: ImportProgress) => void): Promise<ImportPlan> {
  const school = await getActorSchool(executor, actor);
  const catalogue = await catalogueFor({ provinceUnitId: school.provinceUnitId, stage: school.stage }, executor);
  const layout = workbookLayout(catalogue);
  onProgress({ phase: '读取文件', done: 0, total: 1 });
  const { sheets, issues } = await readImportWorkbook(file, layout);
  const totalRows = sheets.reduce((n, s) => n + s.rows.length, 0);
  let done = 0;
  const tick = () => {
    done += 1;
    if (done % 500 === 0) onProgress({ phase: '逐行校验', done, total: totalRows });
  };
  const fail = (sheet: string, rowNumber: number, column: string, value: string, message: string) => issues.push({ sheet, rowNumber, column, value, message });

  // Everyone named in any sheet, looked up once.
  const ids = new Set<string>();
  for (const sheet of sheets) {
    const key = sheet.layout.columns.find((c) => c.role === 'key')!.header;
    for (const row of sheet.rows) if (row.cells[key]) ids.add(normalizeIdNumber(row.cells[key]).toUpperCase());
  }
  const existing = new Map<string, ExistingTeacher>();
  const idList = [...ids];
  for (let start = 0; start < idList.length; start += 5000) {
    // Teachers are found by the keyed hash of their ID number, which is stored encrypted.
    const byHash = new Map(idList.slice(start, start + 5000).map((id) => [idNumberHash(id), id]));
    const rows = await executor
      .select({ id: teachers.id, hash: teachers.idNumberHash, unitId: teachers.unitId, recordState: teachers.recordState, revision: teachers.revision, record: teachers.record })
      .from(teachers)
      .where(inArray(teachers.idNumberHash, [...byHash.keys()]));
    for (const { hash, ...row } of rows) existing.set(byHash.get(hash!)!, row);
  }

  const plans = new Map<string, TeacherPlan>();
  const holderMessages = new Map<string, string>();
  const reachable = async (idNumber: string): Promise<string | null> => {
    const found = existing.get(idNumber);
    if (!found) return null;
    if (found.unitId !== school.id) {
      if (!holderMessages.has(idNumber)) holderMessages.set(idNumber, (await duplicateRegistrationError(executor, actor, idNumber)).message);
      return holderMessages.get(idNumber)!;
    }
    if (found.recordState !== 'draft') return '该教师记录已报送或已生效，不能通过导入覆盖，请通过变更申请修改';
    return null;
  };

  // One schema per subset for the whole file: building it per row costs more than validating.
  const schemas = new Map<string, ReturnType<typeof buildSubsetSchema>>();
  const schemaFor = (subset: EffectiveSubset, enforceRequired: boolean) => {
    const key = `${subset.key}:${enforceRequired}`;
    return schemas.get(key) ?? schemas.set(key, buildSubsetSchema(subset, { enforceRequired })).get(key)!;
  };
  const subsetIssues = (sheetName: string, rowNumber: number, subset: EffectiveSubset, values: RecordValues, cells: Record<string, string>, enforceRequired: boolean): RecordValues | null => {
    const parsed = schemaFor(subset, enforceRequired).safeParse(values);
    if (parsed.success) return compactValues(parsed.data);
    for (const issue of parsed.error.issues) {
      const field = subset.fields.find((f) => f.key === issue.path[0]);
      const column = field?.label ?? String(issue.path[0] ?? '');
      fail(sheetName, rowNumber, column, cells[column] ?? '', issue.message);
    }
    return null;
  };

  const readCells = (parsed: ParsedSheet, cells: Record<string, string>, rowNumber: number): RecordValues | null => {
    const values: RecordValues = {};
    let ok = true;
    for (const column of parsed.layout.columns) {
      if (!column.field || !parsed.headers.includes(column.header)) continue;
      const converted = cellToValue(column.field, cells[column.header] ?? '');
      if ('error' in converted) {
        fail(parsed.layout.sheetName, rowNumber, column.header, cells[column.header] ?? '', converted.error);
        ok = false;
      } else if (Array.isArray(converted.value) ? converted.value.length : converted.value !== '') {
        values[column.field.key] = converted.value;
      }
    }
    return ok ? values : null;
  };

  // 基本信息 first: it decides who is created and who is updated.
  const basicSheet = sheets.find((s) => s.layout.subset.key === basicSubsetKey)!;
  const basic = basicSheet.layout.subset;
  const idHeader = basicSheet.layout.columns.find((c) => c.role === 'key')!.header;
  const firstRow = new Map<string, number>();
  for (const row of basicSheet.rows) {
    tick();
    const sheetName = basicSheet.layout.sheetName;
    const idNumber = normalizeIdNumber(row.cells[idHeader] ?? '').toUpperCase();
    if (!idNumber) {
      fail(sheetName, row.rowNumber, idHeader, '', '请填写身份证件号码');
      continue;
    }
    if (firstRow.has(idNumber)) {
      fail(sheetName, row.rowNumber, idHeader, maskIdNumber(idNumber), `与第 ${firstRow.get(idNumber)} 行的证件号码重复`);
      continue;
    }
    firstRow.set(idNumber, row.rowNumber);
    const blocked = await reachable(idNumber);
    if (blocked) {
      fail(sheetName, row.rowNumber, idHeader, maskIdNumber(idNumber), blocked);
      continue;
    }
    const cellValues = readCells(basicSheet, row.cells, row.rowNumber);
    if (!cellValues) continue;
    const current = existing.get(idNumber) ?? null;
    let registration: CreateTeacherInput | null = null;
    if (current) {
      const stored = current.record[basicSubsetKey] ?? {};
      for (const key of ['idType', 'name', 'gender', 'birthDate'] as const) {
        const field = basic.fields.find((f) => f.key === key)!;
        if (cellValues[key] !== undefined && cellValues[key] !== stored[key]) {
          fail(sheetName, row.rowNumber, field.label, row.cells[field.label] ?? '', `与系统登记信息不一致（系统中为“${String(stored[key] ?? '')}”），登记信息不能通过导入修改`);
        }
      }
    } else {
      const input = {
        name: String(cellValues.name ?? ''),
        gender: String(cellValues.gender ?? ''),
        birthDate: String(cellValues.birthDate ?? ''),
        idType: String(cellValues.idType ?? ''),
        idNumber,
        onEstablishment: String(cellValues.onEstablishment ?? ''),
        contractOneYearOrMore: String(cellValues.contractOneYearOrMore ?? ''),
        postCategory: String(cellValues.postCategory ?? ''),
      };
      const parsed = createTeacherSchema.safeParse(input);
      if (parsed.success) registration = parsed.data;
      else {
        for (const issue of parsed.error.issues) {
          const column = basic.fields.find((f) => f.key === issue.path[0])?.label ?? idHeader;
          // The stored issues are plain JSON: an ID number in them is masked like everywhere else.
          fail(sheetName, row.rowNumber, column, column === idHeader ? maskIdNumber(row.cells[column] ?? '') : (row.cells[column] ?? ''), issue.message);
        }
        continue;
      }
    }
    // The record keeps the number masked; insertTeachers stores it encrypted on the teacher row.
    const merged: RecordValues = { ...(current?.record[basicSubsetKey] ?? {}), ...cellValues, idNumber: maskIdNumber(idNumber) };
    merged.birthDate = birthDateFromId(merged.idType, idNumber) ?? String(merged.birthDate ?? '');
    const values = subsetIssues(sheetName, row.rowNumber, basic, merged, row.cells, false);
    if (!values) continue;
    plans.set(idNumber, { idNumber, name: String(values.name ?? ''), existing: current, registration, singles: { [basicSubsetKey]: values }, entries: new Map() });
  }
  const inBasicSheet = new Set(firstRow.keys());

  let entryCount = 0;
  for (const parsed of sheets) {
    if (parsed === basicSheet) continue;
    const subset = parsed.layout.subset;
    const sheetName = parsed.layout.sheetName;
    const seenSingle = new Map<string, number>();
    for (const row of parsed.rows) {
      tick();
      const idNumber = normalizeIdNumber(row.cells[parsed.layout.columns[0].header] ?? '').toUpperCase();
      const keyHeader = parsed.layout.columns[0].header;
      if (!idNumber) {
        fail(sheetName, row.rowNumber, keyHeader, '', '请填写身份证件号码');
        continue;
      }
      let plan = plans.get(idNumber);
      if (!plan) {
        if (inBasicSheet.has(idNumber)) continue; // its 基本信息 row already failed
        const current = existing.get(idNumber);
        const blocked = current ? await reachable(idNumber) : '该证件号码的教师不在本校，也不在本文件的“基本信息”表中';
        if (blocked || !current) {
          fail(sheetName, row.rowNumber, keyHeader, maskIdNumber(idNumber), blocked ?? '教师不存在');
          continue;
        }
        plan = { idNumber, name: String(current.record[basicSubsetKey]?.name ?? ''), existing: current, registration: null, singles: {}, entries: new Map() };
        plans.set(idNumber, plan);
      }
      const cellValues = readCells(parsed, row.cells, row.rowNumber);
      if (!cellValues) continue;
      if (subset.multi) {
        const values = subsetIssues(sheetName, row.rowNumber, subset, cellValues, row.cells, true);
        if (!values) continue;
        (plan.entries.get(subset.key) ?? plan.entries.set(subset.key, []).get(subset.key)!).push(values);
        entryCount += 1;
      } else {
        if (seenSingle.has(idNumber)) {
          fail(sheetName, row.rowNumber, keyHeader, maskIdNumber(idNumber), `与第 ${seenSingle.get(idNumber)} 行重复：每位教师只有一条${subset.label}`);
          continue;
        }
        seenSingle.set(idNumber, row.rowNumber);
        const merged = { ...(plan.existing?.record[subset.key] ?? {}), ...cellValues };
        const values = subsetIssues(sheetName, row.rowNumber, subset, merged, row.cells, false);
        if (values) plan.singles[subset.key] = values;
      }
    }
  }
  onProgress({ phase: '逐行校验', done: totalRows, total: totalRows });
  const planned = [...plans.values()];
  issues.sort((a, b) => (a.sheet === b.sheet ? a.rowNumber - b.rowNumber : sheets.findIndex((s) => s.layout.sheetName === a.sheet) - sheets.findIndex((s) => s.layout.sheetName === b.sheet)));
  return {
    school,
    teachers: plans,
    sheets,
    issues,
    conflicts: [...holderMessages.keys()],
    summary: {
      sheets: sheets.filter((s) => s.rows.length).map((s) => ({ name: s.layout.sheetName, rows: s.rows.length })),
      rows: totalRows,
      toCreate: planned.filter((p) => !p.existing).length,
      toUpdate: planned.filter((p) => p.existing).length,
      entries: entryCount,
    },
  };
}

/** Writes a clean plan in the caller's transaction; a record that changed since validation aborts it all. */
async function applyPlan(tx: Executor, actor: Actor, plan: ImportPlan, onProgress: (p: ImportProgress) => void): Promise<{ created: number; updated: number }> {
  const all = [...plan.teachers.values()];
  const total = all.length;
  let done = 0;
  const withDerived = (p: TeacherPlan): Record<string, StoredValue> => {
    const basic = { ...(p.existing?.record[basicSubsetKey] ?? {}), ...(p.singles[basicSubsetKey] ?? {}) };
    const education = p.entries.get('education');
    if (education) {
      const highest = deriveHighest(education);
      for (const [key, value] of Object.entries(highest)) {
        if (value) basic[key] = value;
        else delete basic[key];
      }
    }
    return basic;
  };

  const creates = all.filter((p) => !p.existing);
  const createdIds = new Map<string, number>();
  for (let start = 0; start < creates.length; start += 1000) {
    const slice = creates.slice(start, start + 1000);
    const created = await insertTeachers(
      tx,
      actor,
      plan.school,
      slice.map((p) => ({ registration: p.registration!, record: { ...p.singles, [basicSubsetKey]: withDerived(p) } })),
      'import',
    );
    // One audit row for the whole import (written by the caller); each teacher's history records the creation.
    for (const row of created) createdIds.set(row.idNumber, row.teacherId);
    done += slice.length;
    onProgress({ phase: '写入数据', done, total });
  }

  const updates = all.filter((p) => p.existing);
  for (let start = 0; start < updates.length; start += 500) {
    const slice = updates.slice(start, start + 500);
    const changes: (typeof teacherFieldChanges.$inferInsert)[] = [];
    const rows = slice.map((p) => {
      const record: StoredRecord = { ...p.existing!.record, ...p.singles, [basicSubsetKey]: withDerived(p) };
      for (const [subsetKey, after] of Object.entries(p.singles)) {
        const before = p.existing!.record[subsetKey] ?? {};
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (JSON.stringify(before[key] ?? null) !== JSON.stringify(record[subsetKey][key] ?? null)) {
            changes.push({ teacherId: p.existing!.id, subset: subsetKey, field: key, oldValue: before[key] ?? null, newValue: record[subsetKey][key] ?? null, accountId: actor.accountId, accountName: actor.displayName, source: 'import' });
          }
        }
      }
      const basic = record[basicSubsetKey];
      const text = (key: string) => (typeof basic[key] === 'string' ? (basic[key] as string) : null);
      return sql`(${p.existing!.id}::int, ${p.existing!.revision}::int, ${JSON.stringify(record)}::jsonb, ${text('staffNumber')}::varchar, ${basic.onEstablishment === '1'}::boolean, ${text('postCategory')}::varchar, ${text('personnelStatus')}::varchar, ${text('ethnicGroup')}::varchar, ${text('highestEducation')}::varchar, ${text('highestDegree')}::varchar)`;
    });
    const updated = await tx.execute(sql`
      update teachers t set record = v.record, staff_number = v.staff_number, on_establishment = v.on_establishment, post_category = v.post_category,
        personnel_status = v.personnel_status, ethnic_group = v.ethnic_group, highest_education = v.highest_education, highest_degree = v.highest_degree,
        revision = t.revision + 1, updated_at = now()
      from (values ${sql.join(rows, sql`, `)}) as v(id, revision, record, staff_number, on_establishment, post_category, personnel_status, ethnic_group, highest_education, highest_degree)
      where t.id = v.id and t.revision = v.revision and t.record_state = 'draft' and t.unit_id = ${plan.school.id}
      returning t.id`);
    if (rowsOf(updated).length !== slice.length) {
      throw new ConflictError('校验之后有教师记录被修改或已报送，请重新上传校验');
    }
    if (changes.length) for (let c = 0; c < changes.length; c += 2000) await tx.insert(teacherFieldChanges).values(changes.slice(c, c + 2000));
    done += slice.length;
    onProgress({ phase: '写入数据', done, total });
  }

  const idOf = (p: TeacherPlan) => p.existing?.id ?? createdIds.get(p.idNumber)!;
  // List subsets named in the file replace that teacher's entries of the subset.
  const entryRows: (typeof teacherEntries.$inferInsert)[] = [];
  const replaced: { teacherId: number; subset: string; count: number; existed: boolean }[] = [];
  for (const p of all) {
    const teacherId = idOf(p);
    for (const [subset, list] of p.entries) {
      replaced.push({ teacherId, subset, count: list.length, existed: Boolean(p.existing) });
      for (const values of list) entryRows.push({ teacherId, subset, values });
    }
  }
  const existingReplaced = replaced.filter((r) => r.existed);
  for (let start = 0; start < existingReplaced.length; start += 1000) {
    const pairs = existingReplaced.slice(start, start + 1000).map((r) => sql`(${r.teacherId}::int, ${r.subset}::varchar)`);
    await tx.execute(sql`delete from teacher_entries e using (values ${sql.join(pairs, sql`, `)}) as v(teacher_id, subset) where e.teacher_id = v.teacher_id and e.subset = v.subset and e.origin is null`);
  }
  for (let start = 0; start < entryRows.length; start += 1000) await tx.insert(teacherEntries).values(entryRows.slice(start, start + 1000));
  for (let start = 0; start < replaced.length; start += 2000) {
    await tx.insert(teacherFieldChanges).values(
      replaced.slice(start, start + 2000).map((r) => ({ teacherId: r.teacherId, subset: r.subset, field: '*', oldValue: null, newValue: `导入 ${r.count} 条`, accountId: actor.accountId, accountName: actor.displayName, source: 'import' })),
    );
  }
  await refreshTitleLevels(tx, all.filter((p) => p.entries.has('title')).map(idOf));
  await refreshCompleteness(tx, all.map(idOf));
  return { created: creates.length, updated: updates.length };
}

export interface StartedJob {
  jobId: string;
}

/**
 * Plans that passed validation, kept in memory until confirmed (an hour at most), so that the import
 * does not parse and check the whole file a second time. Safe to reuse: a new ID number registered
 * meanwhile makes the insert fail, an existing record changed meanwhile fails its revision check, and
 * a plan made under older indicator settings is not reused. After a restart the file is planned again.
 */
const validatedPlans: Map<string, { plan: ImportPlan; settingsVersion: number; at: number }> = ((globalThis as { __teacherImportPlans?: Map<string, { plan: ImportPlan; settingsVersion: number; at: number }> }).__teacherImportPlans ??= new Map());
const planLifetimeMs = 60 * 60 * 1000;

async function takeValidatedPlan(executor: Executor, jobId: string): Promise<ImportPlan | null> {
  const cached = validatedPlans.get(jobId);
  validatedPlans.delete(jobId);
  for (const [id, entry] of validatedPlans) if (Date.now() - entry.at > planLifetimeMs) validatedPlans.delete(id);
  if (!cached || Date.now() - cached.at > planLifetimeMs) return null;
  const { version } = await getProvinceSettings(cached.plan.school.provinceUnitId, executor);
  return version === cached.settingsVersion ? cached.plan : null;
}

/** Stores the file and queues its validation; a worker on any node does it, and the page polls the job. */
export async function startImportValidation(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<StartedJob> {
  assertCan(actor, 'teacher.import');
  const db = await getDb();
  await getActorSchool(db, actor);
  await assertConflictBudget(actor);
  await purgeImportLeftovers();
  return transactionWithJob(async (tx) => {
    const [job] = await tx
      .insert(importJobs)
      .values({ accountId: actor.accountId, unitId: actor.unitId, kind: 'records', fileName: file.name.slice(0, 200), file: encryptBytes(file.bytes), status: 'validating', progress: { phase: '排队等待校验', done: 0, total: 0 } })
      .returning({ id: importJobs.id });
    return { result: { jobId: job.id }, job: importQueueJob(job.id, 'validating') };
  });
}

/**
 * The worker: validates or imports one job, as its state says, for the account that asked (re-read
 * now: a disabled account or a lost right ends the job). Safe to run again after a crash: validation
 * starts over, and an import's transaction either committed (the job is done) or left nothing.
 */
export async function runImportJob(jobId: string): Promise<void> {
  const db = await getDb();
  const [job] = await db.select({ accountId: importJobs.accountId, status: importJobs.status, fileName: importJobs.fileName, file: importJobs.file }).from(importJobs).where(eq(importJobs.id, jobId));
  if (!job || (job.status !== 'validating' && job.status !== 'importing')) return;
  await runJob(jobId, async () => {
    const session = await loadSessionAccount(job.accountId, null);
    if (!session || session.accountStatus !== 'active' || session.unitStatus !== 'active') throw new ForbiddenError('账号已停用，导入未完成');
    if (!job.file) throw new ConflictError('文件已超过保留时间被删除，请重新上传');
    const file = { name: job.fileName, bytes: new Uint8Array(decryptBytes(job.file)) };
    if (job.status === 'validating') await validateFile(session.actor, jobId, file);
    else await importFile(session.actor, jobId, file);
  });
}

/** Queues again every import not finished (start-up): a no-op for those the queue holds already. */
export async function resumeUnfinishedImports(): Promise<number> {
  const db = await getDb();
  const open = await db.select({ id: importJobs.id, status: importJobs.status }).from(importJobs).where(inArray(importJobs.status, ['validating', 'importing']));
  await resendJobs(open.map((job) => importQueueJob(job.id, job.status as 'validating' | 'importing')));
  return open.length;
}

async function validateFile(actor: Actor, jobId: string, file: { name: string; bytes: Uint8Array }): Promise<void> {
  assertCan(actor, 'teacher.import');
  const db = await getDb();
  const plan = await planImport(db, actor, file, progressWriter(jobId));
  await assertConflictsWithinBudget(actor, plan.conflicts);
  const totalIssues = plan.issues.length;
  const summary: ImportSummary = { ...plan.summary, totalIssues, issues: plan.issues.slice(0, maxStoredIssues) };
  const errorFile = totalIssues ? encryptBytes(await buildErrorWorkbook(plan.sheets, plan.issues)) : null;
  if (!totalIssues) {
    const { version } = await getProvinceSettings(plan.school.provinceUnitId, db);
    validatedPlans.set(jobId, { plan: { ...plan, sheets: [] }, settingsVersion: version, at: Date.now() });
  }
  await db
    .update(importJobs)
    .set({ status: totalIssues ? 'invalid' : 'valid', totalRows: plan.summary.rows, summary: summary as unknown as Record<string, unknown>, errorFile, progress: null, ...(totalIssues ? { file: null } : {}), message: totalIssues ? `发现 ${totalIssues} 处错误，未导入任何数据` : '校验通过', finishedAt: new Date() })
    .where(and(eq(importJobs.id, jobId), eq(importJobs.status, 'validating')));
}

/** How often a working process renews its jobs' heartbeat, and how stale one may be before the job counts as cut off. */
const heartbeatMs = 10_000;
const staleHeartbeatSeconds = 180;

/**
 * Runs a job's work; whatever it throws ends the job with a message, never a crash. The heartbeat lets
 * any node see a job that no worker has held for minutes (the queue hands a dead node's job to another
 * within a minute; past that, nothing will finish it) as interrupted.
 */
async function runJob(jobId: string, work: () => Promise<void>): Promise<void> {
  const db = await getDb();
  const beat = () => db.update(importJobs).set({ heartbeatAt: sql`now()` }).where(and(eq(importJobs.id, jobId), inArray(importJobs.status, ['validating', 'importing'])));
  await beat();
  const timer = setInterval(() => void beat().catch(() => {}), heartbeatMs);
  try {
    await work();
  } catch (error) {
    await failJob(jobId, error);
  } finally {
    clearInterval(timer);
  }
}

async function failJob(jobId: string, error: unknown): Promise<void> {
  const message = error instanceof DomainError ? error.message : '处理文件时出错，请稍后重试';
  if (!(error instanceof DomainError)) logUnexpected('teacher-import', error, { jobId });
  const db = await getDb();
  // The uploaded file goes with the job's end: it holds personal data that nothing needs any more.
  await db.update(importJobs).set({ status: error instanceof DomainError && !(error instanceof ConflictError) ? 'invalid' : 'failed', message, file: null, progress: null, finishedAt: new Date() }).where(and(eq(importJobs.id, jobId), inArray(importJobs.status, ['validating', 'importing'])));
}

/**
 * Marks the actor's running jobs that no worker has renewed for minutes as interrupted, and drops
 * their files; the page then offers to upload again.
 */
export async function markInterruptedJobs(executor: Executor, accountId: number): Promise<void> {
  await executor
    .update(importJobs)
    .set({ status: 'interrupted', message: '处理因服务重启或中断而未完成，未导入任何数据，请重新上传', file: null, finishedAt: new Date() })
    .where(
      and(
        eq(importJobs.accountId, accountId),
        inArray(importJobs.status, ['validating', 'importing']),
        // A job still waiting for a worker (no heartbeat yet) is queued, not cut off: only a day in the queue ends it.
        sql`(${importJobs.heartbeatAt} < now() - make_interval(secs => ${staleHeartbeatSeconds}) or (${importJobs.heartbeatAt} is null and ${importJobs.createdAt} < now() - interval '1 day'))`,
      ),
    );
}

/** Hours an uploaded file or error report is kept at most (IMPORT_FILE_RETENTION_HOURS, default 24). */
function importFileRetentionHours(): number {
  const hours = Number(process.env.IMPORT_FILE_RETENTION_HOURS ?? 24);
  return Number.isFinite(hours) && hours > 0 ? hours : 24;
}

/**
 * Removes what imports leave behind: files of jobs that ended, and anything (files, error reports)
 * older than the retention time, including validated files nobody confirmed. The job row and its
 * summary stay for the history.
 */
export async function purgeImportLeftovers(): Promise<number> {
  const db = await getDb();
  const purged = await db
    .update(importJobs)
    .set({ file: null, errorFile: null })
    .where(
      and(
        sql`(${importJobs.file} is not null or ${importJobs.errorFile} is not null)`,
        sql`${importJobs.status} not in ('validating', 'importing')`,
        sql`${importJobs.createdAt} < now() - make_interval(hours => ${importFileRetentionHours()})`,
      ),
    )
    .returning({ id: importJobs.id });
  await db.update(importJobs).set({ file: null }).where(and(sql`${importJobs.file} is not null`, inArray(importJobs.status, ['invalid', 'failed', 'done', 'interrupted'])));
  return purged.length;
}

/**
 * Queues the import of a validated file. Claiming the job is a conditional update, so a double click
 * imports once; the worker re-validates against the database inside one transaction and writes
 * everything or nothing.
 */
export async function confirmImport(actor: Actor, jobId: string): Promise<StartedJob> {
  assertCan(actor, 'teacher.import');
  const claimed = await transactionWithJob(async (tx) => {
    const [job] = await tx
      .update(importJobs)
      .set({ status: 'importing', message: null, heartbeatAt: null, progress: { phase: '排队等待导入', done: 0, total: 0 } })
      // A validated file past its retention time is gone: the job cannot be confirmed any more.
      .where(and(eq(importJobs.id, jobId), eq(importJobs.accountId, actor.accountId), eq(importJobs.status, 'valid'), sql`${importJobs.file} is not null`))
      .returning({ id: importJobs.id });
    if (!job) {
      const [exists] = await tx.select({ id: importJobs.id }).from(importJobs).where(and(eq(importJobs.id, jobId), eq(importJobs.accountId, actor.accountId)));
      if (!exists) throw new NotFoundError('导入任务不存在');
      throw new ConflictError('该文件已导入、尚未通过校验，或已超过保留时间被删除，请重新上传');
    }
    return { result: { jobId }, job: importQueueJob(jobId, 'importing') };
  });
  return claimed;
}

async function importFile(actor: Actor, jobId: string, file: { name: string; bytes: Uint8Array }): Promise<void> {
  assertCan(actor, 'teacher.import');
  const db = await getDb();
  const started = Date.now();
  const onProgress = progressWriter(jobId);
  await db.transaction(async (tx) => {
    // The job's row is held for the whole import: a second attempt waits here, then finds it done.
    const [held] = await tx.select({ id: importJobs.id }).from(importJobs).where(and(eq(importJobs.id, jobId), eq(importJobs.status, 'importing'))).for('update');
    if (!held) return;
    const plan = (await takeValidatedPlan(tx, jobId)) ?? (await planImport(tx, actor, file, onProgress));
    if (plan.issues.length) throw new ConflictError(`数据在校验后发生变化，发现 ${plan.issues.length} 处错误，未导入任何数据。请重新上传校验。`);
    const result = await applyPlan(tx, actor, plan, onProgress);
    await recordAudit(tx, actor, { action: 'teacher.import', targetType: 'unit', targetId: actor.unitId, detail: { file: file.name, rows: plan.summary.rows, created: result.created, updated: result.updated, entries: plan.summary.entries } });
    const summary = { ...plan.summary, ...result, seconds: Math.round((Date.now() - started) / 100) / 10 };
    // The job ends in the same transaction as the import: a retry after a crash finds it done, or finds nothing written.
    await tx
      .update(importJobs)
      .set({ status: 'done', summary: summary as unknown as Record<string, unknown>, message: `导入完成：新增 ${result.created} 人，更新 ${result.updated} 人`, file: null, progress: null, finishedAt: new Date() })
      .where(and(eq(importJobs.id, jobId), eq(importJobs.status, 'importing')));
  });
}

/**
 * Key rotation for stored import files: every file and error report not under the active key is
 * re-encrypted with it (one row at a time, each in its own short update). Answers how many.
 */
export async function reencryptImportFiles(): Promise<number> {
  const db = await getDb();
  const active = activeKeyId();
  const stale = (blob: Buffer | null) => blob !== null && keyIdOf(blob) !== active;
  const candidates = await db.select({ id: importJobs.id }).from(importJobs).where(sql`${importJobs.file} is not null or ${importJobs.errorFile} is not null`);
  let changed = 0;
  // One row in memory at a time: files run to 30 MB each.
  for (const { id } of candidates) {
    const [row] = await db.select({ file: importJobs.file, errorFile: importJobs.errorFile }).from(importJobs).where(eq(importJobs.id, id));
    if (!row || (!stale(row.file) && !stale(row.errorFile))) continue;
    const updated = await db
      .update(importJobs)
      .set({ file: row.file && encryptBytes(decryptBytes(row.file)), errorFile: row.errorFile && encryptBytes(decryptBytes(row.errorFile)) })
      // Only if nothing touched the row meanwhile (a purge must not be undone by the rotation).
      .where(and(eq(importJobs.id, id), sql`${importJobs.file} is not distinct from ${row.file}`, sql`${importJobs.errorFile} is not distinct from ${row.errorFile}`))
      .returning({ id: importJobs.id });
    changed += updated.length;
  }
  return changed;
}
