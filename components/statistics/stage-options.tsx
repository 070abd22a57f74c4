import { schoolLevelNames, stageNames, type SchoolLevel, type Stage } from '@/lib/reference/school-types';

/**
 * The options of a 学段 select, in the breakdown of the plan's appendix: 中小学校 opens into 小学, 初中,
 * 高中 and the school types that span them. Values are a Stage or a SchoolLevel.
 */
export function StageOptions({ allLabel = '全部' }: { allLabel?: string }) {
  return (
    <>
      <option value="">{allLabel}</option>
      {(Object.entries(stageNames) as [Stage, string][]).map(([stage, name]) =>
        stage === 'primary_secondary' ? (
          <optgroup key={stage} label={name}>
            <option value={stage}>{name}（全部）</option>
            {(Object.entries(schoolLevelNames) as [SchoolLevel, string][]).map(([level, levelName]) => (
              <option key={level} value={level}>
                {levelName}
              </option>
            ))}
          </optgroup>
        ) : (
          <option key={stage} value={stage}>
            {name}
          </option>
        ),
      )}
    </>
  );
}
