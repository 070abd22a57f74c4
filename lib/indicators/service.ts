import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
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
  const db = await getDb();
  return db.transaction(async (tx) => {
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
    await tx.insert(indicatorSettings).values({
      provinceUnitId: actor.unitId,
      version,
      settings,
      note: input.note || null,
      createdBy: actor.accountId,
      createdByName: actor.displayName,
    });
    // A new required indicator (or a dropped one) changes which drafts are complete: the progress figures follow in the same transaction.
    await refreshProvinceDrafts(tx, actor.unitId);
    await recordAudit(tx, actor, {
      action: 'indicator.settings.save',
      targetType: 'unit',
      targetId: actor.unitId,
      detail: { version, excluded: settings.excluded.length, custom: custom.filter((item) => !item.dropped).length, note: input.note || undefined },
    });
    return { version };
  });
}

async function refreshProvinceDrafts(tx: Executor, provinceUnitId: number): Promise<void> {
  let after = 0;
  for (;;) {
    const ids = await tx
      .select({ id: teachers.id })
      .from(teachers)
      .where(and(eq(teachers.provinceUnitId, provinceUnitId), eq(teachers.recordState, 'draft'), gt(teachers.id, after)))
      .orderBy(asc(teachers.id))
      .limit(5000);
    if (ids.length === 0) return;
    await refreshCompleteness(tx, ids.map((row) => row.id));
    after = ids.at(-1)!.id;
  }
}

function optionsFrom(lines: string, previous: CodeItem[] | undefined): CodeItem[] {
  const names = lines.split('\n').map((line) => line.trim()).filter(Boolean);
  return names.map((name, index) => ({ code: previous?.[index]?.code ?? String(index + 1).padStart(2, '0'), name }));
}
