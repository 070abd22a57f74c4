import { conversionRuleSchema, type ConversionRule } from './rules';

/**
 * The conversion rules of reference/mobility.json (trainingCredits.examples) written as rule data: each
 * must be expressible in the rule schema, and tests/training-rules.test.ts holds each to its text.
 * Where a text is silent the choice is said beside it.
 */
export const exampleRules: Record<'beijing' | 'shaanxi' | 'yujiang' | 'generic', ConversionRule> = {
  // 北京: courses 10 学时 = 1 学分; practice, 教研, online and school-based 20 学时 = 1 学分; at least 36 学分 per 5 years.
  // 混合式 and 自主研修 are not named: taken as courses and as practice respectively.
  beijing: conversionRuleSchema.parse({
    effectiveFrom: '2021-01-01',
    requiredCredits: 36,
    conversions: [
      { categories: ['01', '03'], hoursPerCredit: 10 },
      { categories: ['02', '04', '05', '06'], hoursPerCredit: 20 },
    ],
  }),
  // 陕西: at least 120 学分 per 5 years: 集中培训 30 (required), 远程 40, 校本研修 50 (required, at most 10 per year);
  // per 学时 national 0.5, provincial 0.4, municipal 0.3, county 0.2 学分; 集中 overflow may offset 远程 only.
  // 校级 has no rate in the text: school-based projects are taken at the county rate.
  shaanxi: conversionRuleSchema.parse({
    effectiveFrom: '2020-01-01',
    requiredCredits: 120,
    conversions: [
      { levels: ['1'], creditsPerHour: 0.5 },
      { levels: ['2'], creditsPerHour: 0.4 },
      { levels: ['3'], creditsPerHour: 0.3 },
      { levels: ['4', '5'], creditsPerHour: 0.2 },
    ],
    capsPerYear: [{ category: '04', credits: 10 }],
    minimumsPerCycle: [
      { category: '01', credits: 30 },
      { category: '02', credits: 40 },
      { category: '04', credits: 50 },
    ],
    offsets: [{ from: '01', to: '02' }],
  }),
  // 余江 (江西): 集中 10 学时 = 1 学分; online 20 学时 = 1 学分; principals' training counted at 50 %.
  yujiang: conversionRuleSchema.parse({
    effectiveFrom: '2019-01-01',
    requiredHours: 360,
    conversions: [
      { categories: ['01'], hoursPerCredit: 10, principalFactor: 0.5 },
      { categories: ['02'], hoursPerCredit: 20, principalFactor: 0.5 },
    ],
  }),
  // generic: 集中 6 学时 = 1 学分; 非集中 8 学时 = 1 学分 (the national 360 hours over 5 years).
  generic: conversionRuleSchema.parse({
    effectiveFrom: '2011-01-01',
    requiredHours: 360,
    conversions: [{ categories: ['01'], hoursPerCredit: 6 }, { hoursPerCredit: 8 }],
  }),
};
