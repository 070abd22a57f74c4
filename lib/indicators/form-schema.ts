import { z } from 'zod';
import type { EffectiveField, EffectiveSubset } from './settings';
import { isServing } from '@/lib/mobility/status';

/**
 * Client-safe. Builds the zod schema of one subset from the effective catalogue: the browser form,
 * the server action and the spreadsheet import all validate with it, so they reject the same input.
 */
export type FieldValue = string | string[];
export type RecordValues = Record<string, FieldValue>;

export interface SchemaOptions {
  /** Drafts may be saved incomplete; entries of lists and the completeness check need required fields. */
  enforceRequired: boolean;
  /** ISO date "today" (tests pin it). */
  today?: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const monthPattern = /^\d{4}-\d{2}$/;
const numberPattern = /^-?\d+(\.\d{1,2})?$/;

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900;
}

/** Fields whose value may lie in the future (ends of contracts and appointments). */
const futureAllowed = new Set(['endMonth', 'revokedDate']);

function fieldSchema(field: EffectiveField, options: SchemaOptions, today: string): z.ZodType<FieldValue> {
  const codes = new Set(field.options.map((option) => option.code));
  const required = options.enforceRequired && field.required;
  const pattern = field.pattern ? new RegExp(field.pattern.regex) : null;
  if (field.type === 'codes') {
    let schema = z.array(z.string()).refine((list) => list.every((code) => codes.has(code)), '包含不在代码表中的选项');
    if (required) schema = schema.refine((list) => list.length > 0, '请至少选择一项');
    // A code chosen twice is held once (statistics count each code a teacher holds).
    return z.preprocess((value) => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? [...new Set(value)] : [value]), schema) as z.ZodType<FieldValue>;
  }
  return z.preprocess(
    (value) => (value === undefined || value === null ? '' : String(value).trim()),
    z.string().superRefine((value, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (value === '') {
        if (required) fail(field.type === 'code' || field.type === 'boolean' ? '请选择' : '请填写');
        return;
      }
      switch (field.type) {
        case 'text':
          if (field.maxLength && value.length > field.maxLength) return fail(`不能超过 ${field.maxLength} 个字`);
          if (field.pattern && pattern && !pattern.test(value)) return fail(field.pattern.message);
          return;
        case 'number': {
          if (!numberPattern.test(value)) return fail('应为数字（最多两位小数）');
          const number = Number(value);
          if (field.integer && !Number.isInteger(number)) return fail('应为整数');
          if (field.min !== undefined && number < field.min) return fail(`不能小于 ${field.min}`);
          if (field.max !== undefined && number > field.max) return fail(`不能大于 ${field.max}`);
          return;
        }
        case 'date':
          if (!datePattern.test(value) || !isRealDate(value)) return fail('日期格式应为 YYYY-MM-DD，且须为真实日期');
          if (!futureAllowed.has(field.key) && value > today) return fail('不能晚于今天');
          return;
        case 'month':
          if (!monthPattern.test(value) || !isRealDate(`${value}-01`)) return fail('年月格式应为 YYYY-MM');
          if (!futureAllowed.has(field.key) && value > today.slice(0, 7)) return fail('不能晚于本月');
          return;
        case 'year':
          if (!/^\d{4}$/.test(value) || Number(value) < 1900) return fail('年度应为 4 位年份');
          if (value > today.slice(0, 4)) return fail('不能晚于今年');
          return;
        case 'code':
        case 'boolean':
          if (!codes.has(value)) return fail('不在代码表中，请从下拉列表选择');
          return;
        default:
          return;
      }
    }),
  ) as z.ZodType<FieldValue>;
}

/** The cross-field rules of DOMAIN.md, reported at the field they concern. */
type Rule = (values: RecordValues, fail: (fieldKey: string, message: string) => void, options: SchemaOptions & { today: string }) => void;

const str = (value: FieldValue | undefined): string => (typeof value === 'string' ? value : '');
const list = (value: FieldValue | undefined): string[] => (Array.isArray(value) ? value : []);

export const chineseNationality = '156';
/** Posts collected for staff not on the establishment (seed 三(二)): teacher, other professional, management. */
export const contractPostCategories = ['1', '2', '3'];

/** Who is collected (seed 三(二)): reported on the field that rules the person out. */
export function collectionScopeProblem(values: { onEstablishment?: string; contractOneYearOrMore?: string; postCategory?: string; personnelStatus?: string }): { field: string; message: string } | null {
  if (values.personnelStatus && !isServing(values.personnelStatus)) return { field: 'personnelStatus', message: '已离开本单位的人员（离退休、调出、离职等）不在采集范围内' };
  if (values.onEstablishment === '0') {
    if (values.contractOneYearOrMore === '0') return { field: 'contractOneYearOrMore', message: '非在编人员须签订一年以上合同才在采集范围内' };
    if (values.postCategory && !contractPostCategories.includes(values.postCategory)) {
      return { field: 'postCategory', message: '非在编人员仅采集教师岗位、其他专业技术岗位和管理岗位' };
    }
  }
  return null;
}

const rules: Record<string, Rule> = {
  basic(values, fail, options) {
    const nationality = str(values.nationality);
    const political = list(values.politicalStatus);
    if (nationality && nationality !== chineseNationality) {
      if (str(values.ethnicGroup)) fail('ethnicGroup', '民族仅适用于中国国籍人员');
      if (political.length) fail('politicalStatus', '政治面貌仅适用于中国国籍人员');
    } else if (nationality === chineseNationality && options.enforceRequired) {
      if (!str(values.ethnicGroup)) fail('ethnicGroup', '中国国籍人员须填写民族');
      if (!political.length) fail('politicalStatus', '中国国籍人员须填写政治面貌');
    }
    if (political.length > 1 && (political.includes('12') || political.includes('13'))) {
      fail('politicalStatus', '“无党派民主人士”“群众”不能与其他政治面貌同时选择');
    }
    const onEstablishment = str(values.onEstablishment);
    if (onEstablishment === '1' && str(values.employmentForm)) fail('employmentForm', '在编人员不填写用人形式');
    if (onEstablishment === '0' && !str(values.employmentForm) && options.enforceRequired) fail('employmentForm', '非在编人员须填写用人形式');
    if (onEstablishment === '0' && !str(values.contractOneYearOrMore) && options.enforceRequired) fail('contractOneYearOrMore', '非在编人员须说明合同期');
    const scope = collectionScopeProblem({
      onEstablishment,
      contractOneYearOrMore: str(values.contractOneYearOrMore),
      postCategory: str(values.postCategory),
      personnelStatus: str(values.personnelStatus),
    });
    if (scope) fail(scope.field, scope.message);
    const workStart = str(values.workStartDate);
    const joinSchool = str(values.joinSchoolDate);
    if (workStart && joinSchool && joinSchool < workStart) fail('joinSchoolDate', '进本校年月不能早于参加工作年月');
    const birth = str(values.birthDate);
    if (birth && workStart && workStart < birth.slice(0, 7)) fail('workStartDate', '参加工作年月不能早于出生日期');
  },
  education(values, fail) {
    const entry = str(values.entryMonth);
    const graduation = str(values.graduationMonth);
    if (entry && graduation && graduation <= entry) fail('graduationMonth', '毕业年月应晚于入学年月');
    const degree = str(values.degreeMonth);
    if (degree && entry && degree < entry) fail('degreeMonth', '学位授予年月不能早于入学年月');
  },
  work: endNotBeforeStart,
  title: endNotBeforeStart,
  rotation(values, fail) {
    endNotBeforeStart(values, fail);
    if (str(values.fromUnit) && str(values.fromUnit) === str(values.toUnit)) fail('toUnit', '交流轮岗单位不能与原单位相同');
  },
  pay(values, fail, options) {
    if (str(values.year) && str(values.year) >= options.today.slice(0, 4)) fail('year', '待遇信息填报已结束的年度');
  },
  ethics(values, fail) {
    const kind = str(values.recordKind);
    if (kind === '01' && !str(values.assessmentResult)) fail('assessmentResult', '师德考核须填写考核结论');
    if (kind === '02' && !str(values.honourTitle)) fail('honourTitle', '荣誉表彰须填写荣誉称号');
    if (kind === '03' && !str(values.disciplineType)) fail('disciplineType', '违反师德处理须填写处分类别');
    const revoked = str(values.revokedDate);
    if (revoked && revoked < str(values.date)) fail('revokedDate', '撤销日期不能早于处分日期');
  },
  training(values, fail) {
    if (str(values.overseas) === '1' && !str(values.overseasCountry)) fail('overseasCountry', '海外研修须填写国家/地区');
  },
  teaching(values, fail) {
    const schoolYear = str(values.schoolYear);
    if (/^\d{4}-\d{4}$/.test(schoolYear) && Number(schoolYear.slice(5)) !== Number(schoolYear.slice(0, 4)) + 1) fail('schoolYear', '学年的两个年份应相邻，如“2025-2026”');
    if (str(values.teaching) === '0' && Number(str(values.weeklyHours) || 0) > 0) fail('weeklyHours', '未授课时课时数应为 0');
  },
};

function endNotBeforeStart(values: RecordValues, fail: (fieldKey: string, message: string) => void): void {
  const start = str(values.startMonth);
  const end = str(values.endMonth);
  if (start && end && end < start) fail('endMonth', '结束年月不能早于开始年月');
}

export function todayIso(): string {
  // China Standard Time: the date users see on their calendars.
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The schema of one subset's values (basic info, or one entry of a list). Derived and photo fields are not input. */
export function buildSubsetSchema(subset: EffectiveSubset, options: SchemaOptions): z.ZodType<RecordValues> {
  const today = options.today ?? todayIso();
  const shape: Record<string, z.ZodType<FieldValue>> = {};
  for (const field of subset.fields) {
    if (field.type === 'photo') continue;
    // Derived values are recomputed by the server; they pass through only so that the rules can read them.
    shape[field.key] = field.derived ? (z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string()) as z.ZodType<FieldValue>) : fieldSchema(field, options, today);
  }
  const rule = rules[subset.key];
  return z
    .object(shape)
    .superRefine((values, ctx) => {
      rule?.(values as RecordValues, (fieldKey, message) => {
        if (fieldKey in shape) ctx.addIssue({ code: 'custom', path: [fieldKey], message });
      }, { ...options, today });
    }) as unknown as z.ZodType<RecordValues>;
}

/** Drops empty values so that stored records hold only what was filled. */
export function compactValues(values: RecordValues): RecordValues {
  const out: RecordValues = {};
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value) ? value.length > 0 : value !== '') out[key] = value;
  }
  return out;
}

/** A code table's names by code, made once per table: exports look up every cell, and 行政区划 has 3,000 codes. */
const optionNamesByTable = new WeakMap<EffectiveField['options'], Map<string, string>>();

function optionNames(options: EffectiveField['options']): Map<string, string> {
  let names = optionNamesByTable.get(options);
  if (!names) {
    names = new Map();
    // The first of a code wins, as a search from the top would find it.
    for (const option of options) if (!names.has(option.code)) names.set(option.code, option.name);
    optionNamesByTable.set(options, names);
  }
  return names;
}

export function displayValue(field: Pick<EffectiveField, 'options' | 'type'>, value: FieldValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  const name = (code: string) => optionNames(field.options).get(code) ?? code;
  if (Array.isArray(value)) return value.map(name).join('、');
  return field.type === 'code' || field.type === 'boolean' ? name(value) : value;
}
