import { z } from 'zod';
import { subsetsByKey } from './catalogue';
import { stages, type ProvinceSettings } from './settings';

/** Client-safe: what a province sysadmin submits when saving its indicator settings. */
export const customFieldTypeNames = {
  text: '文本',
  number: '数字',
  date: '日期',
  month: '年月',
  year: '年度',
  code: '代码（单选）',
  codes: '代码（多选）',
  boolean: '是/否',
} as const;

const customIndicatorSchema = z
  .object({
    key: z.string().regex(/^p[0-9a-z]{2,12}$/).optional(),
    subset: z.string().refine((key) => subsetsByKey.has(key), '请选择所属信息集'),
    label: z.string().trim().min(1, '请填写指标名称').max(30, '指标名称不能超过 30 个字'),
    type: z.enum(Object.keys(customFieldTypeNames) as [keyof typeof customFieldTypeNames], { message: '请选择指标类型' }),
    required: z.boolean(),
    optionLines: z.string().max(4000).default(''),
    dropped: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    const lines = value.optionLines.split('\n').map((line) => line.trim()).filter(Boolean);
    if ((value.type === 'code' || value.type === 'codes') && lines.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['optionLines'], message: '代码类指标至少需要两个选项，每行一个' });
    }
    if (new Set(lines).size !== lines.length) ctx.addIssue({ code: 'custom', path: ['optionLines'], message: '选项不能重复' });
  });

export const saveIndicatorSettingsSchema = z.object({
  /** The version the form was loaded from: saving over someone else's newer version is a conflict. */
  baseVersion: z.number().int().min(0),
  excluded: z.array(z.string().max(80)).max(500),
  custom: z.array(customIndicatorSchema).max(200),
  selfFillable: z.object(Object.fromEntries(stages.map((stage) => [stage, z.array(z.string().max(80)).max(500)])) as Record<(typeof stages)[number], z.ZodArray<z.ZodString>>),
  note: z.string().trim().max(200).default(''),
});

export type SaveIndicatorSettingsInput = z.infer<typeof saveIndicatorSettingsSchema>;
export type CustomIndicatorInput = z.infer<typeof customIndicatorSchema>;

/** The form's starting values for a settings version. */
export function settingsToForm(version: number, settings: ProvinceSettings): SaveIndicatorSettingsInput {
  return {
    baseVersion: version,
    excluded: settings.excluded,
    custom: settings.custom.map((c) => ({ key: c.key, subset: c.subset, label: c.label, type: c.type, required: c.required, optionLines: (c.options ?? []).map((o) => o.name).join('\n'), dropped: c.dropped ?? false })),
    selfFillable: settings.selfFillable,
    note: '',
  };
}
