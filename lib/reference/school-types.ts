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
