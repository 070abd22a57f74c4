'use client';

import { decideFilingAction } from '@/lib/training/actions';
import { StepButtons, type StepButton } from './step-buttons';

export function FilingSteps({ id, steps }: { id: number; steps: StepButton[] }) {
  return <StepButtons steps={steps} description="校本研修、自主研修学时经学校审核、主管教育行政部门确认后，按本省转化规则折算学分，写入教师的“培训研修”信息。" testIdPrefix="filing" run={(action, reason) => decideFilingAction({ id, decision: action, reason })} />;
}
