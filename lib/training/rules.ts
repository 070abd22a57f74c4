import { z } from 'zod';

/**
 * 学时学分转化规则 (seed 七(三)): each province keeps its conversion of training hours into credits as
 * data, versioned by an effective date. Client-safe: the province's rule editor, the confirmation
 * service and the teacher's ledger all evaluate the same rule with these functions.
 *
 * Credits are kept in hundredths (integers), so sums, caps and minimums never drift.
 */

export const trainingCategories = {
  '01': '集中培训',
  '02': '网络研修',
  '03': '混合式研修',
  '04': '校本研修',
  '05': '自主研修',
  '06': '实践研修（跟岗、教研）',
} as const;
export type TrainingCategory = keyof typeof trainingCategories;

export const trainingLevels = { '1': '国家级', '2': '省级', '3': '市级', '4': '县级', '5': '校级' } as const;
export type TrainingLevel = keyof typeof trainingLevels;

const category = z.enum(Object.keys(trainingCategories) as [TrainingCategory, ...TrainingCategory[]], { error: '请选择培训类别' });
const level = z.enum(Object.keys(trainingLevels) as [TrainingLevel, ...TrainingLevel[]], { error: '请选择项目级别' });
const credits = (label: string) => z.number({ error: `${label}须为数字` }).min(0, `${label}不能小于 0`).max(1000, `${label}不能超过 1000`);

/**
 * One way of converting: hours per credit (北京: 10 学时 = 1 学分) or credits per hour (陕西: 0.4 学分/学时),
 * for some categories and levels (none listed: all), optionally weighted for an audience (余江: principals' training at 50 %).
 */
export const conversionSchema = z
  .object({
    categories: z.array(category).default([]),
    levels: z.array(level).default([]),
    hoursPerCredit: z.number().positive('每学分学时须大于 0').max(1000).optional(),
    creditsPerHour: z.number().positive('每学时学分须大于 0').max(10).optional(),
    /** Principals' and leaders' training counted at this share (1 = in full). */
    principalFactor: z.number().min(0).max(1).default(1),
  })
  .refine((c) => (c.hoursPerCredit === undefined) !== (c.creditsPerHour === undefined), '每条转化须且只须填写“每学分学时”或“每学时学分”之一');

export const conversionRuleSchema = z.object({
  /** The first day it applies (YYYY-MM-DD) to confirmations; credits confirmed before keep the version they were computed by. */
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生效日期格式应为 YYYY-MM-DD'),
  cycleYears: z.number().int().min(1).max(10).default(5),
  /** A year some cycle starts in; cycles follow each other from it (2021: 2021–2025, 2026–2030 …). */
  cycleStartYear: z.number().int().min(2000).max(2100).default(2021),
  /** The cycle's requirement in hours (national: 360) and/or in credits (北京 36, 陕西 120). */
  requiredHours: z.number().int().min(0).max(2000).optional(),
  requiredCredits: credits('周期学分要求').optional(),
  /** The first conversion that names an entry's category and level applies; order from specific to general. */
  conversions: z.array(conversionSchema).min(1, '至少填写一条转化规则'),
  capsPerYear: z.array(z.object({ category, credits: credits('每年上限') })).default([]),
  capsPerCycle: z.array(z.object({ category, credits: credits('周期上限') })).default([]),
  minimumsPerCycle: z.array(z.object({ category, credits: credits('周期最低要求') })).default([]),
  /** A category's credits above its own minimum may count towards another's minimum (陕西: 集中 → 网络 only). */
  offsets: z.array(z.object({ from: category, to: category })).default([]),
});
export type ConversionRule = z.infer<typeof conversionRuleSchema>;
export type ConversionRuleInput = z.input<typeof conversionRuleSchema>;

export interface TrainingEntry {
  id: number | string;
  category: TrainingCategory;
  level: TrainingLevel;
  hours: number;
  /** YYYY-MM-DD the training ended: its year for the yearly caps, its rule by date. */
  endDate: string;
  /** Training for principals and school leaders (余江 counts it at 50 %). */
  forPrincipals?: boolean;
  /** Hundredths already confirmed under the rule of its day: kept as they are, never converted again. */
  credits?: number;
}

/** The credits of one entry in hundredths, or null when no conversion of the rule covers it. */
export function entryCredits(rule: ConversionRule, entry: TrainingEntry): number | null {
  const conversion = rule.conversions.find((c) => (c.categories.length === 0 || c.categories.includes(entry.category)) && (c.levels.length === 0 || c.levels.includes(entry.level)));
  if (!conversion) return null;
  const raw = conversion.hoursPerCredit !== undefined ? entry.hours / conversion.hoursPerCredit : entry.hours * conversion.creditsPerHour!;
  const weighted = entry.forPrincipals ? raw * conversion.principalFactor : raw;
  // Rounded half up to the hundredth once, per entry: the ledger sums what each entry shows.
  return Math.round(weighted * 100 + 1e-9);
}

/** The rule in force on a day: the latest whose effective date is not after it. */
export function ruleInForce<R extends { effectiveFrom: string }>(versions: R[], day: string): R | null {
  return versions.filter((rule) => rule.effectiveFrom <= day).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0] ?? null;
}

export interface CategoryStanding {
  category: TrainingCategory;
  /** Converted, before caps. */
  earned: number;
  /** After the yearly and cycle caps. */
  counted: number;
  minimum: number;
  /** Counted towards the minimum, offsets from other categories included. */
  towardsMinimum: number;
  met: boolean;
}

export interface CycleStanding {
  hours: number;
  /** Hundredths of a credit, after caps. */
  credits: number;
  requiredHours: number | null;
  requiredCredits: number | null;
  categories: CategoryStanding[];
  entries: { id: TrainingEntry['id']; credits: number | null; counted: number }[];
  complete: boolean;
}

/**
 * A teacher's standing in one cycle under one rule: each entry converted, the yearly and cycle caps
 * applied in date order (an entry beyond a cap counts in part or not at all), then each category's
 * minimum, where surplus above a minimum may cover another category's shortfall along the allowed
 * offsets, and the cycle's requirement in hours and credits.
 */
export function evaluateCycle(rule: ConversionRule, entries: TrainingEntry[]): CycleStanding {
  const hundredths = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 100));
  const yearCap = new Map(rule.capsPerYear.map((cap) => [cap.category, hundredths(cap.credits)!]));
  const cycleCap = new Map(rule.capsPerCycle.map((cap) => [cap.category, hundredths(cap.credits)!]));
  const usedInYear = new Map<string, number>();
  const usedInCycle = new Map<TrainingCategory, number>();
  const earned = new Map<TrainingCategory, number>();
  const ordered = [...entries].sort((a, b) => (a.endDate === b.endDate ? String(a.id).localeCompare(String(b.id)) : a.endDate < b.endDate ? -1 : 1));
  const counted = new Map<TrainingEntry['id'], { credits: number | null; counted: number }>();
  for (const entry of ordered) {
    const credits = entry.credits ?? entryCredits(rule, entry);
    let left = credits ?? 0;
    earned.set(entry.category, (earned.get(entry.category) ?? 0) + left);
    const yearKey = `${entry.category}:${entry.endDate.slice(0, 4)}`;
    const perYear = yearCap.get(entry.category);
    if (perYear !== undefined) left = Math.min(left, Math.max(0, perYear - (usedInYear.get(yearKey) ?? 0)));
    const perCycle = cycleCap.get(entry.category);
    if (perCycle !== undefined) left = Math.min(left, Math.max(0, perCycle - (usedInCycle.get(entry.category) ?? 0)));
    usedInYear.set(yearKey, (usedInYear.get(yearKey) ?? 0) + left);
    usedInCycle.set(entry.category, (usedInCycle.get(entry.category) ?? 0) + left);
    counted.set(entry.id, { credits, counted: left });
  }
  const minimums = new Map(rule.minimumsPerCycle.map((m) => [m.category, hundredths(m.credits)!]));
  const categories = [...new Set<TrainingCategory>([...earned.keys(), ...minimums.keys()])].sort();
  // Surplus above each minimum, then shortfalls covered along the offsets, in the rule's order.
  const surplus = new Map(categories.map((c) => [c, Math.max(0, (usedInCycle.get(c) ?? 0) - (minimums.get(c) ?? 0))]));
  const towards = new Map(categories.map((c) => [c, Math.min(usedInCycle.get(c) ?? 0, minimums.get(c) ?? 0)]));
  for (const offset of rule.offsets) {
    const missing = (minimums.get(offset.to) ?? 0) - (towards.get(offset.to) ?? 0);
    const available = surplus.get(offset.from) ?? 0;
    const moved = Math.max(0, Math.min(missing, available));
    towards.set(offset.to, (towards.get(offset.to) ?? 0) + moved);
    surplus.set(offset.from, available - moved);
  }
  const standing = categories.map((c) => ({ category: c, earned: earned.get(c) ?? 0, counted: usedInCycle.get(c) ?? 0, minimum: minimums.get(c) ?? 0, towardsMinimum: towards.get(c) ?? 0, met: (towards.get(c) ?? 0) >= (minimums.get(c) ?? 0) }));
  const hours = Math.round(entries.reduce((sum, entry) => sum + entry.hours, 0) * 10) / 10;
  const credits = [...usedInCycle.values()].reduce((sum, value) => sum + value, 0);
  const requiredCredits = hundredths(rule.requiredCredits) ?? null;
  const requiredHours = rule.requiredHours ?? null;
  return {
    hours,
    credits,
    requiredHours,
    requiredCredits,
    categories: standing,
    entries: entries.map((entry) => ({ id: entry.id, ...counted.get(entry.id)! })),
    complete: standing.every((c) => c.met) && (requiredCredits === null || credits >= requiredCredits) && (requiredHours === null || hours >= requiredHours),
  };
}

/** The registration cycle a year falls in under a rule: its first and last year. */
export function cycleOf(rule: Pick<ConversionRule, 'cycleYears' | 'cycleStartYear'>, year: number): { startYear: number; endYear: number } {
  const offset = (((year - rule.cycleStartYear) % rule.cycleYears) + rule.cycleYears) % rule.cycleYears;
  return { startYear: year - offset, endYear: year - offset + rule.cycleYears - 1 };
}

/** Share of the cycle's requirement met, per mille: the lower of hours and credits where both are required. */
export function progressPermille(standing: Pick<CycleStanding, 'hours' | 'credits' | 'requiredHours' | 'requiredCredits'>): number {
  const shares: number[] = [];
  if (standing.requiredHours) shares.push(Math.floor((standing.hours * 1000) / standing.requiredHours));
  if (standing.requiredCredits) shares.push(Math.floor((standing.credits * 1000) / standing.requiredCredits));
  return Math.min(1000, shares.length ? Math.min(...shares) : 1000);
}

/** "12.5 学分" from hundredths. */
export function formatCredits(hundredthsOfCredit: number): string {
  return `${creditsText(hundredthsOfCredit)} 学分`;
}

/** Credits as the record's 培训学分 field holds them: "2.4" from 240 hundredths. */
export function creditsText(hundredthsOfCredit: number): string {
  return (hundredthsOfCredit / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** The rule in words, line by line, as the rule page and the teacher's ledger show it. */
export function describeRule(rule: ConversionRule): string[] {
  const names = (codes: string[], table: Record<string, string>, all: string) => (codes.length ? codes.map((c) => table[c] ?? c).join('、') : all);
  const lines: string[] = [];
  const requirement = [rule.requiredHours ? `不少于 ${rule.requiredHours} 学时` : null, rule.requiredCredits ? `不少于 ${rule.requiredCredits} 学分` : null].filter(Boolean).join('，且');
  lines.push(`每 ${rule.cycleYears} 年为一个周期（${cycleOf(rule, rule.cycleStartYear).startYear} 年起算）${requirement ? `，${requirement}` : ''}`);
  for (const c of rule.conversions) {
    const rate = c.hoursPerCredit !== undefined ? `${c.hoursPerCredit} 学时折合 1 学分` : `每学时 ${c.creditsPerHour} 学分`;
    lines.push(`${names(c.categories, trainingCategories, '各类培训')}（${names(c.levels, trainingLevels, '各级')}）：${rate}${c.principalFactor < 1 ? `；校长培训按 ${Math.round(c.principalFactor * 100)}% 计` : ''}`);
  }
  for (const cap of rule.capsPerYear) lines.push(`${trainingCategories[cap.category]}每年最多计 ${cap.credits} 学分`);
  for (const cap of rule.capsPerCycle) lines.push(`${trainingCategories[cap.category]}每周期最多计 ${cap.credits} 学分`);
  for (const min of rule.minimumsPerCycle) lines.push(`${trainingCategories[min.category]}每周期不少于 ${min.credits} 学分`);
  for (const offset of rule.offsets) lines.push(`${trainingCategories[offset.from]}超出部分可抵${trainingCategories[offset.to]}`);
  return lines;
}
