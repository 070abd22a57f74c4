'use client';

import { decideProjectAction } from '@/lib/training/actions';
import { StepButtons, type StepButton } from './step-buttons';

export function ProjectDecision({ projectId, steps }: { projectId: number; steps: StepButton[] }) {
  return (
    <StepButtons
      steps={steps}
      description="校本研修项目经主管教育行政部门同意后登记生效，学校即可报名参训教师；不同意须说明原因。"
      testIdPrefix="training-project"
      run={(action, reason) => decideProjectAction({ id: projectId, decision: action, reason })}
    />
  );
}
