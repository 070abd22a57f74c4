import mobility from '@/lib/reference/data/mobility.json';
import { monthIndex, monthOf } from '@/lib/months';

/**
 * Statutory retirement under the 2025 rules (decision of the NPC Standing Committee, 2024-09), in
 * force from 2025-01-01. Client-safe. The same rule is the SQL function `statutory_retirement_month`
 * (migration 0012), which keeps `teachers.retirement_month`; a test holds the two equal.
 */
export interface RetirementRule {
  originalAge: number;
  /** Born in or before this month: no delay. */
  baseBirthMonth: string;
  /** One more month of delay for every `stepMonths` months born after the base month. */
  stepMonths: number;
  maxDelayMonths: number;
}

const rules = mobility.retirementAge2025.rules;
const rule = (originalAge: number): RetirementRule => rules.find((r) => r.originalAge === originalAge)!;

/** 工勤技能岗位: women on support posts keep the original age of 50. */
export const supportPostCategory = '4';

/** The original age: 60 for men; for women 55 on professional and management posts (teachers), 50 on support posts. */
export function originalRetirementAge(gender: string, postCategory: string | null | undefined): number {
  if (gender === '1') return 60;
  return postCategory === supportPostCategory ? 50 : 55;
}

export interface StatutoryRetirement {
  /** YYYY-MM */
  month: string;
  /** Months of age at retirement. */
  ageMonths: number;
  originalAge: number;
}

/** The retirement month and age for a birth month (YYYY-MM or a full date) and an original age. */
export function statutoryRetirement(birth: string, originalAge: number): StatutoryRetirement {
  const r = rule(originalAge);
  const after = monthIndex(birth) - monthIndex(r.baseBirthMonth);
  const delay = after <= 0 ? 0 : Math.min(Math.ceil(after / r.stepMonths), r.maxDelayMonths);
  const ageMonths = originalAge * 12 + delay;
  return { month: monthOf(monthIndex(birth) + ageMonths), ageMonths, originalAge };
}

/** "60岁2个月" */
export function describeAge(ageMonths: number): string {
  const months = ageMonths % 12;
  return `${Math.floor(ageMonths / 12)}岁${months ? `${months}个月` : ''}`;
}

/**
 * The flexible option: up to 3 years earlier than the statutory month (never below the original age)
 * or up to 3 years later by agreement. Answers why a chosen month is not allowed, or null.
 */
export function flexibleRetirementProblem(birth: string, originalAge: number, chosen: string): string | null {
  const statutory = statutoryRetirement(birth, originalAge);
  const earliest = Math.max(monthIndex(statutory.month) - 36, monthIndex(birth) + originalAge * 12);
  const latest = monthIndex(statutory.month) + 36;
  if (monthIndex(chosen) < earliest) return `弹性提前退休不能早于 ${monthOf(earliest)}`;
  if (monthIndex(chosen) > latest) return `弹性延迟退休不能晚于 ${monthOf(latest)}`;
  return null;
}
