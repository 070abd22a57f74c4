import data from './data/school-types.json';

export type Stage = 'kindergarten' | 'primary_secondary' | 'secondary_vocational' | 'special_education' | 'higher_education';

export interface SchoolType {
  code: string;
  name: string;
  stage: Stage;
  stageName: string;
}

export const schoolTypes: ReadonlyMap<string, SchoolType> = new Map(
  data.stages.flatMap((stage) =>
    stage.schoolTypes.map((type) => [type.code, { code: type.code, name: type.name, stage: stage.stage as Stage, stageName: stage.name }] as const),
  ),
);

export const stageNames: Record<Stage, string> = Object.fromEntries(data.stages.map((s) => [s.stage, s.name])) as Record<Stage, string>;

/** Higher education is collected by the province (or the ministry); every other stage by the county or city. */
export function isHigherEducation(stage: Stage): boolean {
  return stage === 'higher_education';
}

/**
 * 中小学校 split the way education statistics report them: 小学, 初中 and 高中 (普通高中) by school
 * type. 九年一贯制, 完全中学 and 十二年一贯制 schools span two or three of them and count as their own rows.
 */
export type SchoolLevel = 'primary' | 'junior' | 'senior' | 'nine_year' | 'complete_secondary' | 'twelve_year';

export const schoolLevelNames: Record<SchoolLevel, string> = {
  primary: '小学',
  junior: '初中',
  senior: '高中（普通高中）',
  nine_year: '九年一贯制学校',
  complete_secondary: '完全中学',
  twelve_year: '十二年一贯制学校',
};

const levelTypeCodes: Record<SchoolLevel, string[]> = {
  primary: ['211', '218', '219', '221', '222', '228', '229'],
  // 工读学校 teach the junior-secondary curriculum.
  junior: ['311', '319', '321', '329', '331', '332', '371'],
  senior: ['342', '349', '351', '352'],
  nine_year: ['312'],
  complete_secondary: ['341'],
  twelve_year: ['345'],
};

export function isSchoolLevel(value: string | undefined): value is SchoolLevel {
  return !!value && value in levelTypeCodes;
}

/** The school types of a level. */
export function schoolTypesOfLevel(level: SchoolLevel): string[] {
  return levelTypeCodes[level];
}

/**
 * The row a school type counts under in the 学段 breakdown: the stage, or for 中小学校 its level.
 * Keys are a Stage or a SchoolLevel; `breakdownOrder` lists them in the official order.
 */
export function breakdownKeyOf(schoolTypeCode: string | null | undefined): Stage | SchoolLevel | '' {
  const type = schoolTypeCode ? schoolTypes.get(schoolTypeCode) : undefined;
  if (!type) return '';
  if (type.stage !== 'primary_secondary') return type.stage;
  return (Object.keys(levelTypeCodes) as SchoolLevel[]).find((level) => levelTypeCodes[level].includes(type.code)) ?? 'primary_secondary';
}

export const breakdownOrder: (Stage | SchoolLevel)[] = ['kindergarten', 'primary', 'junior', 'senior', 'nine_year', 'complete_secondary', 'twelve_year', 'primary_secondary', 'secondary_vocational', 'special_education', 'higher_education'];

export const breakdownNames: Record<Stage | SchoolLevel, string> = { ...stageNames, primary_secondary: '其他中小学校', ...schoolLevelNames, higher_education: '高校' };

/** SQL-ready: the breakdown key of a school-type column, as a CASE over the codes (same rule as breakdownKeyOf). */
export function breakdownCaseSql(column: string): string {
  const branches = [...schoolTypes.values()].map((type) => `when '${type.code}' then '${breakdownKeyOf(type.code)}'`).join(' ');
  return `(case ${column} ${branches} else '' end)`;
}
