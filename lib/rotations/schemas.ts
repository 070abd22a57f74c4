import { z } from 'zod';
import { codeTables } from '@/lib/indicators/code-tables';
import mobility from '@/lib/reference/data/mobility.json';
import type { RotationState } from './chain';

/** Client-safe schemas and figures of 交流轮岗. */
const id = z.coerce.number().int().positive();
const month = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `请填写${label}（YYYY-MM）`);
const optionalMonth = z
  .string()
  .trim()
  .refine((value) => value === '' || /^\d{4}-(0[1-9]|1[0-2])$/.test(value), '年月格式应为 YYYY-MM')
  .optional()
  .default('');

export const fileRotationSchema = z
  .object({
    teacherId: z.coerce.number({ error: '请选择交流教师' }).int('请选择交流教师').positive('请选择交流教师'),
    /** The host school: a unit id picked from the county's list, or a school code typed for one elsewhere. */
    hostSchoolId: z.coerce.number({ error: '请选择接收学校' }).int('请选择接收学校').nonnegative('请选择接收学校').optional().default(0),
    hostSchoolCode: z.string().trim().max(16, '学校代码不能超过 16 位').optional().default(''),
    kind: z.string().refine((value) => codeTables.rotationKind.some((item) => item.code === value), '请选择交流轮岗类型'),
    startMonth: month('开始年月'),
    plannedEndMonth: month('计划结束年月'),
    reason: z.string().trim().min(2, '请填写交流说明（至少 2 个字）').max(500, '交流说明不能超过 500 个字'),
    documentNumber: z.string().trim().max(100, '文号不能超过 100 个字').optional().default(''),
  })
  .superRefine((input, ctx) => {
    if (!input.hostSchoolId && !input.hostSchoolCode) ctx.addIssue({ code: 'custom', path: ['hostSchoolId'], message: '请选择接收学校，或填写其他学校的学校代码' });
    if (input.plannedEndMonth <= input.startMonth) ctx.addIssue({ code: 'custom', path: ['plannedEndMonth'], message: '计划结束年月须晚于开始年月' });
  });
export type FileRotationInput = z.infer<typeof fileRotationSchema>;

export const rotationStepSchema = z.object({
  id,
  action: z.enum(['confirm', 'reject', 'withdraw', 'cancel', 'return', 'endEarly', 'extend'], { error: '操作无效' }),
  reason: z.string().trim().max(500, '意见不能超过 500 个字').optional().default(''),
  /** The end month of a return or an early end; the new end month of an extension. */
  month: optionalMonth,
});
export type RotationStepInput = z.infer<typeof rotationStepSchema>;

export const rotationViews = ['waiting', 'outgoing', 'incoming', 'all'] as const;
export type RotationView = (typeof rotationViews)[number];
export const rotationViewNames: Record<RotationView, string> = { waiting: '待我处理', outgoing: '派出交流', incoming: '交流来校', all: '全部' };

export interface RotationListRow {
  id: number;
  state: RotationState;
  kind: string;
  teacherName: string;
  teacherIdMasked: string;
  teacherGender: string;
  homeSchoolName: string;
  hostSchoolName: string;
  startMonth: string;
  plannedEndMonth: string;
  endMonth: string | null;
  /** Planned end within 30 days while the teacher is away. */
  dueSoon: boolean;
  mine: boolean;
}

// --- The county's rotation plan -------------------------------------------------------------

const policy = mobility.rotationPolicy;

/** The national floor (reference/mobility.json); a county's own targets replace it for a year. */
export const defaultRotationTargets = {
  eligibleYears: policy.eligibleYearsAtSchool,
  minSharePermille: Math.round(policy.minShareOfEligiblePerYear * 1000),
  minKeySharePermille: Math.round(policy.minKeyTeacherShareOfRotating * 1000),
};
export type RotationTargets = typeof defaultRotationTargets;

/** A number typed in a form: blank is "please fill in", not 0. */
const typedNumber = (missing: string) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.coerce.number({ error: missing }));

export const rotationTargetsSchema = z.object({
  year: z.coerce.number({ error: '年度不正确' }).int('年度不正确').min(2000, '年度不正确').max(2100, '年度不正确'),
  eligibleYears: typedNumber('请填写年限').pipe(z.number().int('年限须为整数').min(1, '年限至少 1 年').max(30, '年限不能超过 30 年')),
  minSharePercent: typedNumber('请填写比例').pipe(z.number().min(0, '比例不能小于 0').max(100, '比例不能超过 100%')),
  minKeySharePercent: typedNumber('请填写比例').pipe(z.number().min(0, '比例不能小于 0').max(100, '比例不能超过 100%')),
});
export type RotationTargetsInput = z.infer<typeof rotationTargetsSchema>;

/**
 * School types whose teachers rotate within the county (义务教育学校: primary, junior secondary, and
 * the schools that include them). Kept as a list so the plan and the eligible list read the same one.
 */
export const compulsorySchoolTypes = ['211', '218', '219', '311', '312', '319', '341', '345'];

/** 骨干教师 levels that count as key teachers (05 is 校级; 06 is 否). */
export const keyTeacherLevels = ['01', '02', '03', '04', '05'];

/**
 * A plan year is a school year: "2026" runs from 2026-09 to 2027-08, as rotations start with the
 * school year. Rotations starting inside it are that year's.
 */
export function schoolYearMonths(year: number): { from: string; until: string } {
  return { from: `${year}-09`, until: `${year + 1}-08` };
}

/** The school year a day falls in. */
export function schoolYearOf(today: string): number {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 9 ? year : year - 1;
}

/** Eligible: at the school since this month or earlier, i.e. N full school years by September of the plan year. */
export function eligibleJoinedBy(year: number, eligibleYears: number): string {
  return `${year - eligibleYears}-09`;
}

export interface RotationPlanCounts {
  eligible: number;
  /** Rotations of the plan year (filed, confirmed, under way or ended; not refused or withdrawn), both modes. */
  planned: number;
  plannedKey: number;
  rotatingNow: number;
}

export interface RotationPlanFigures extends RotationPlanCounts {
  /** At least this many should rotate: ⌈eligible × share⌉. */
  required: number;
  /** planned ÷ eligible, per mille; null with nobody eligible. */
  sharePermille: number | null;
  /** plannedKey ÷ planned, per mille; null with nobody planned. */
  keySharePermille: number | null;
  meetsShare: boolean;
  meetsKeyShare: boolean;
}

/** The plan's figures against the targets, in integers (no rounding drift between page, file and test). */
export function planFigures(counts: RotationPlanCounts, targets: RotationTargets): RotationPlanFigures {
  const required = Math.ceil((counts.eligible * targets.minSharePermille) / 1000);
  const sharePermille = counts.eligible > 0 ? Math.round((counts.planned * 1000) / counts.eligible) : null;
  const keySharePermille = counts.planned > 0 ? Math.round((counts.plannedKey * 1000) / counts.planned) : null;
  return {
    ...counts,
    required,
    sharePermille,
    keySharePermille,
    meetsShare: counts.planned >= required,
    // Compared exactly: plannedKey / planned ≥ share.
    meetsKeyShare: counts.planned > 0 ? counts.plannedKey * 1000 >= counts.planned * targets.minKeySharePermille : targets.minKeySharePermille === 0,
  };
}

export function formatPermille(value: number | null): string {
  return value === null ? '—' : `${(value / 10).toFixed(1)}%`;
}
