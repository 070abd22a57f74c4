import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { jobQueues, resendJobs, transactionWithJob, type QueuedJob } from '@/lib/db/job-queue';
import { indicatorSettings, teachers } from '@/lib/db/schema';
import { refreshCompleteness } from '@/lib/teachers/service';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ValidationError } from '@/lib/errors';
import { fieldId, nationalCatalogue, subsetsByKey } from './catalogue';
import type { CodeItem } from './code-tables';
import { getProvinceSettings } from './queries';
import type { SaveIndicatorSettingsInput } from './schemas';
import { resolveCatalogue, stages, teacherMayEverFill, type CustomIndicator, type ProvinceSettings } from './settings';

const nonCoreNational = new Set(nationalCatalogue.flatMap((subset) => subset.fields.filter((field) => !field.core).map((field) => fieldId(subset.key, field.key))));

/**
 * Saves a province's indicator selection as a new version (seed 四(二)–(三)). Custom indicators are never
 * removed, only dropped, so values already entered keep their label and type.
 */
export async function saveIndicatorSettings(actor: Actor, input: SaveIndicatorSettingsInput): Promise<{ version: number }> {
  assertCan(actor, 'indicator.configure');
  return transactionWithJob(async (tx) => {
    const current = await getProvinceSettings(actor.unitId, tx);
    if (current.version !== input.baseVersion) {
      throw new ConflictError(`指标设置已被他人更新为第 ${current.version} 版，请刷新页面后再修改`);
    }
    const fieldErrors: Record<string, string[]> = {};
    for (const id of input.excluded) {
      if (!nonCoreNational.has(id)) (fieldErrors.excluded ??= []).push(`“${id}”是国家核心指标或不存在，不能取消选用`);
    }
    const previous = new Map((current.settings?.custom ?? []).map((custom) => [custom.key, custom]));
    const custom: CustomIndicator[] = [];
    const labelsBySubset = new Map<string, Set<string>>();
    input.custom.forEach((item, index) => {
      const subset = subsetsByKey.get(item.subset)!;
      const taken = labelsBySubset.get(item.subset) ?? new Set(subset.fields.map((field) => field.label));
      labelsBySubset.set(item.subset, taken);
      if (!item.dropped && taken.has(item.label)) (fieldErrors[`custom.${index}.label`] ??= []).push(`“${subset.label}”中已有名为“${item.label}”的指标`);
      taken.add(item.label);
      const before = item.key ? previous.get(item.key) : undefined;
      if (item.key && !before) (fieldErrors[`custom.${index}.label`] ??= []).push('该省级指标不存在，请刷新页面');
      if (before && (before.type !== item.type || before.subset !== item.subset)) {
        (fieldErrors[`custom.${index}.type`] ??= []).push('已有指标不能修改类型或所属信息集，请停用后新增');
      }
      const options = optionsFrom(item.optionLines, before?.options);
      if (before?.options && options.length < before.options.length) {
        (fieldErrors[`custom.${index}.optionLines`] ??= []).push('已有选项不能删除，只能在末尾增加');
      }
      custom.push({
        key: before?.key ?? `p${randomBytes(4).toString('hex')}`,
        subset: item.subset,
        label: item.label,
        type: item.type,
        required: item.required,
        options: item.type === 'code' || item.type === 'codes' ? options : undefined,
        dropped: item.dropped || undefined,
      });
    });
    // A custom indicator left out of the form is dropped, never deleted.
    const kept = new Set(custom.map((item) => item.key));
    for (const old of previous.values()) if (!kept.has(old.key)) custom.push({ ...old, dropped: true });
    if (Object.keys(fieldErrors).length) throw new ValidationError('指标设置有误，请检查标出的内容', fieldErrors);

    const settings: ProvinceSettings = { excluded: [...new Set(input.excluded)], custom, selfFillable: input.selfFillable };
    for (const stage of stages) {
      // Only indicators that exist and may ever be teacher-filled can be opened to teachers.
      const allowed = new Set(
        resolveCatalogue(settings, stage).subsets.flatMap((subset) => subset.fields.filter((field) => teacherMayEverFill(subset, field)).map((field) => field.id)),
      );
      settings.selfFillable[stage] = [...new Set(input.selfFillable[stage])].filter((id) => allowed.has(id));
    }
    const version = current.version + 1;
    // A new required indicator (or a dropped one) changes which drafts are complete. A province has hundreds of
    // thousands of them: they are re-checked by a queued job, a batch per transaction, with its progress on this row.
    // Until it reaches a draft, reporting it still checks it against the new version (submitRecords).
    const [{ drafts }] = await tx
      .select({ drafts: sql<number>`count(*)::int` })
      .from(teachers)
      .where(and(eq(teachers.provinceUnitId, actor.unitId), eq(teachers.recordState, 'draft')));
    const recheckJobId = randomUUID();
    await tx.insert(indicatorSettings).values({
      provinceUnitId: actor.unitId,
      version,
      settings,
      note: input.note || null,
      createdBy: actor.accountId,
      createdByName: actor.displayName,
      recheckJobId,
      recheckTotal: drafts,
    });
    await recordAudit(tx, actor, {
      action: 'indicator.settings.save',
      targetType: 'unit',
      targetId: actor.unitId,
      detail: { version, excluded: settings.excluded.length, custom: custom.filter((item) => !item.dropped).length, drafts, note: input.note || undefined },
    });
    return { result: { version }, job: recheckQueueJob(recheckJobId) };
  });
}

function recheckQueueJob(jobId: string): QueuedJob {
  return { name: jobQueues.settingsRecheck, id: jobId, data: { jobId } };
}

/** Drafts re-checked per transaction: a batch's completeness flags and progress figures commit together. */
const recheckBatch = 5000;

/**
 * The worker: re-checks the province's drafts against one version of its settings, a batch per transaction, and
 * stops when a newer version was saved (whose own job re-checks them all). Safe to run again: it starts over.
 */
export async function runSettingsRecheck(jobId: string): Promise<void> {
  const db = await getDb();
  const [job] = await db
    .update(indicatorSettings)
    .set({ recheckDone: 0 })
    .where(and(eq(indicatorSettings.recheckJobId, jobId), isNull(indicatorSettings.recheckFinishedAt)))
    .returning({ id: indicatorSettings.id, provinceUnitId: indicatorSettings.provinceUnitId, version: indicatorSettings.version });
  if (!job) return;
  for (let after = 0; ; ) {
    const more = await db.transaction(async (tx) => {
      const [latest] = await tx
        .select({ version: indicatorSettings.version })
        .from(indicatorSettings)
        .where(eq(indicatorSettings.provinceUnitId, job.provinceUnitId))
        .orderBy(desc(indicatorSettings.version))
        .limit(1);
      if (latest.version !== job.version) return false;
      const ids = await tx
        .select({ id: teachers.id })
        .from(teachers)
        .where(and(eq(teachers.provinceUnitId, job.provinceUnitId), eq(teachers.recordState, 'draft'), gt(teachers.id, after)))
        .orderBy(asc(teachers.id))
        .limit(recheckBatch);
      if (!ids.length) return false;
      await refreshCompleteness(tx, ids.map((row) => row.id));
      await tx
        .update(indicatorSettings)
        .set({ recheckDone: sql`least(${indicatorSettings.recheckTotal}, ${indicatorSettings.recheckDone} + ${ids.length})` })
        .where(eq(indicatorSettings.id, job.id));
      after = ids.at(-1)!.id;
      return ids.length === recheckBatch;
    });
    if (!more) break;
  }
  await db.update(indicatorSettings).set({ recheckFinishedAt: sql`now()` }).where(and(eq(indicatorSettings.id, job.id), isNull(indicatorSettings.recheckFinishedAt)));
}

/** At start-up: re-checks that no node finished are queued again (the queue drops a duplicate of one still queued). */
export async function resumeUnfinishedRechecks(): Promise<number> {
  const db = await getDb();
  const open = await db.select({ jobId: indicatorSettings.recheckJobId }).from(indicatorSettings).where(isNull(indicatorSettings.recheckFinishedAt));
  const jobIds = open.map((row) => row.jobId).filter((id): id is string => id !== null);
  await resendJobs(jobIds.map(recheckQueueJob));
  return jobIds.length;
}

function optionsFrom(lines: string, previous: CodeItem[] | undefined): CodeItem[] {
  const names = lines.split('\n').map((line) => line.trim()).filter(Boolean);
  return names.map((name, index) => ({ code: previous?.[index]?.code ?? String(index + 1).padStart(2, '0'), name }));
}
