import { describe, expect, it } from 'vitest';
import { exampleRules } from '@/lib/training/examples';
import { conversionRuleSchema, entryCredits, evaluateCycle, ruleInForce, type TrainingEntry } from '@/lib/training/rules';

let sequence = 0;
const entry = (category: TrainingEntry['category'], level: TrainingEntry['level'], hours: number, endDate = '2024-06-30', forPrincipals = false): TrainingEntry => ({ id: ++sequence, category, level, hours, endDate, forPrincipals });

describe('学时学分转化: every example of mobility.json converts as its text says', () => {
  it('北京: courses 10 学时 = 1 学分, practice, online and school-based 20 学时 = 1 学分, at least 36 学分 per 5 years', () => {
    const rule = exampleRules.beijing;
    expect(entryCredits(rule, entry('01', '2', 10))).toBe(100);
    expect(entryCredits(rule, entry('06', '4', 20))).toBe(100);
    expect(entryCredits(rule, entry('02', '1', 20))).toBe(100);
    expect(entryCredits(rule, entry('04', '5', 30))).toBe(150);
    const short = evaluateCycle(rule, [entry('01', '2', 200), entry('04', '5', 300)]);
    expect(short).toMatchObject({ credits: 3500, requiredCredits: 3600, complete: false });
    expect(evaluateCycle(rule, [entry('01', '2', 200), entry('04', '5', 320)])).toMatchObject({ credits: 3600, complete: true });
  });

  it('陕西: credits per 学时 by level, 校本 at most 10 a year, minimums per category, 集中 overflow offsets 远程 only', () => {
    const rule = exampleRules.shaanxi;
    expect(entryCredits(rule, entry('01', '1', 10))).toBe(500);
    expect(entryCredits(rule, entry('01', '2', 10))).toBe(400);
    expect(entryCredits(rule, entry('02', '3', 10))).toBe(300);
    expect(entryCredits(rule, entry('02', '4', 10))).toBe(200);
    // 校本研修: 60 学时 at the county rate is 12 学分, but only 10 count in one year.
    const oneYear = evaluateCycle(rule, [entry('04', '5', 60, '2022-05-01')]);
    expect(oneYear.categories.find((c) => c.category === '04')).toMatchObject({ earned: 1200, counted: 1000 });
    // Five years of 10 校本, 70 集中 (40 over its minimum), 0 远程: the overflow covers 40 of 远程's 40.
    const schoolBased = [2020, 2021, 2022, 2023, 2024].map((year) => entry('04', '5', 50, `${year}-06-30`));
    const withOffset = evaluateCycle(rule, [...schoolBased, entry('01', '1', 140)]);
    expect(withOffset.categories.find((c) => c.category === '02')).toMatchObject({ counted: 0, minimum: 4000, towardsMinimum: 4000, met: true });
    expect(withOffset).toMatchObject({ credits: 12000, requiredCredits: 12000, complete: true });
    // 远程 overflow may not cover 集中: 100 远程 and nothing 集中 leaves 集中 short.
    const noReverse = evaluateCycle(rule, [...schoolBased, entry('02', '1', 200)]);
    expect(noReverse.categories.find((c) => c.category === '01')).toMatchObject({ towardsMinimum: 0, met: false });
    expect(noReverse.complete).toBe(false);
  });

  it('余江: 集中 10 学时 = 1 学分, online 20 学时 = 1 学分, principals’ training at 50 %', () => {
    const rule = exampleRules.yujiang;
    expect(entryCredits(rule, entry('01', '4', 10))).toBe(100);
    expect(entryCredits(rule, entry('02', '4', 20))).toBe(100);
    expect(entryCredits(rule, entry('01', '4', 10, '2024-01-01', true))).toBe(50);
    expect(entryCredits(rule, entry('02', '2', 15, '2024-01-01', true))).toBe(38);
    // Nothing converts what the rule does not name.
    expect(entryCredits(rule, entry('04', '5', 10))).toBeNull();
    expect(evaluateCycle(rule, [entry('01', '4', 200), entry('02', '4', 160)])).toMatchObject({ hours: 360, requiredHours: 360, complete: true });
  });

  it('generic: 集中 6 学时 = 1 学分, 非集中 8 学时 = 1 学分', () => {
    const rule = exampleRules.generic;
    expect(entryCredits(rule, entry('01', '3', 6))).toBe(100);
    expect(entryCredits(rule, entry('05', '5', 8))).toBe(100);
    expect(entryCredits(rule, entry('02', '1', 10))).toBe(125);
    expect(entryCredits(rule, entry('01', '3', 10))).toBe(167);
  });
});

describe('rule data', () => {
  it('applies a changed rule from its effective date only', () => {
    const older = { ...exampleRules.generic, effectiveFrom: '2011-01-01' };
    const newer = { ...exampleRules.generic, effectiveFrom: '2025-09-01', conversions: [{ categories: [], levels: [], hoursPerCredit: 10, principalFactor: 1 }] };
    expect(ruleInForce([newer, older], '2025-08-31')).toBe(older);
    expect(ruleInForce([newer, older], '2025-09-01')).toBe(newer);
    expect(ruleInForce([newer, older], '2010-12-31')).toBeNull();
  });

  it('caps a category per cycle, and counts an entry beyond a cap only in part', () => {
    const rule = conversionRuleSchema.parse({ effectiveFrom: '2024-01-01', conversions: [{ hoursPerCredit: 10 }], capsPerCycle: [{ category: '05', credits: 5 }] });
    const standing = evaluateCycle(rule, [entry('05', '5', 30, '2024-03-01'), entry('05', '5', 30, '2024-04-01')]);
    expect(standing.entries.map((e) => e.counted)).toEqual([300, 200]);
    expect(standing.credits).toBe(500);
  });

  it('refuses a rule that is not well formed, in Chinese', () => {
    const result = conversionRuleSchema.safeParse({ effectiveFrom: '2024-13', conversions: [{ hoursPerCredit: 10, creditsPerHour: 0.1 }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message)).toEqual(expect.arrayContaining(['生效日期格式应为 YYYY-MM-DD', '每条转化须且只须填写“每学分学时”或“每学时学分”之一']));
  });
});
