import { basicSubsetKey, fieldId, nationalCatalogue, type FieldType, type IndicatorField, type IndicatorSubset } from './catalogue';
import { codeTables, type CodeItem } from './code-tables';
import type { Stage } from '@/lib/reference/school-types';

/** Client-safe: a province's choices over the national catalogue, and the catalogue they produce. */
export const stages: Stage[] = ['kindergarten', 'primary_secondary', 'secondary_vocational', 'special_education', 'higher_education'];

export type CustomFieldType = Exclude<FieldType, 'photo'>;

export interface CustomIndicator {
  key: string;
  subset: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  options?: CodeItem[];
  /** Dropped indicators stay in the settings so that entered values keep their meaning; they are hidden. */
  dropped?: boolean;
}

export interface ProvinceSettings {
  /** National non-core indicators the province has not selected ("subset.field"). */
  excluded: string[];
  custom: CustomIndicator[];
  /** Per stage, the indicators teachers fill themselves ("subset.field"). */
  selfFillable: Record<Stage, string[]>;
}

export interface EffectiveField extends IndicatorField {
  id: string;
  custom: boolean;
  options: CodeItem[];
}

export interface EffectiveSubset extends Omit<IndicatorSubset, 'fields'> {
  fields: EffectiveField[];
}

/** Whether the regulations allow a teacher to fill this indicator at all (seed 四(三)). */
export function teacherMayEverFill(subset: IndicatorSubset, field: Pick<IndicatorField, 'schoolOnly' | 'derived' | 'identity'>): boolean {
  return !subset.schoolOnly && !field.schoolOnly && !field.derived && !field.identity;
}

export function defaultProvinceSettings(): ProvinceSettings {
  const defaults = nationalCatalogue.flatMap((subset) =>
    subset.fields.filter((field) => field.teacherDefault && teacherMayEverFill(subset, field)).map((field) => fieldId(subset.key, field.key)),
  );
  return { excluded: [], custom: [], selfFillable: Object.fromEntries(stages.map((stage) => [stage, defaults])) as Record<Stage, string[]> };
}

export interface EffectiveCatalogue {
  subsets: EffectiveSubset[];
  /** Indicators teachers fill themselves at this stage. */
  selfFillable: string[];
}

/** The indicators in force for one stage of one province: national ones not excluded, plus live custom ones. */
export function resolveCatalogue(settings: ProvinceSettings | null, stage: Stage): EffectiveCatalogue {
  const effective = settings ?? defaultProvinceSettings();
  const excluded = new Set(effective.excluded);
  const subsets = nationalCatalogue.map((subset) => {
    const fields: EffectiveField[] = subset.fields
      .filter((field) => field.core || !excluded.has(fieldId(subset.key, field.key)))
      .map((field) => ({ ...field, id: fieldId(subset.key, field.key), custom: false, options: field.codeTable ? codeTables[field.codeTable] : [] }));
    for (const custom of effective.custom) {
      if (custom.subset !== subset.key || custom.dropped) continue;
      fields.push({
        key: custom.key,
        id: fieldId(subset.key, custom.key),
        label: custom.label,
        type: custom.type,
        core: false,
        custom: true,
        required: custom.required,
        maxLength: custom.type === 'text' ? 200 : undefined,
        options: custom.type === 'boolean' ? codeTables.yesNo : (custom.options ?? []),
      });
    }
    return { ...subset, fields };
  });
  const present = new Set(subsets.flatMap((subset) => subset.fields.filter((field) => teacherMayEverFill(subset, field)).map((field) => field.id)));
  return { subsets, selfFillable: (effective.selfFillable[stage] ?? []).filter((id) => present.has(id)) };
}

export function basicSubset(catalogue: EffectiveCatalogue): EffectiveSubset {
  return catalogue.subsets.find((subset) => subset.key === basicSubsetKey)!;
}
