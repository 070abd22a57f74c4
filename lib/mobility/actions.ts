'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { decideStatusChangeSchema, markPendingRetirementSchema, recordStatusChangeSchema, setFlexibleRetirementSchema } from './schemas';
import { decideStatusChange, markPendingRetirement, recordStatusChange, setFlexibleRetirement } from './service';

function revalidateStatus(teacherIds: number[] = []) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  for (const id of teacherIds.slice(0, 50)) revalidatePath(`/teachers/${id}`);
}

export const recordStatusChangeAction = defineAction('status.record', recordStatusChangeSchema, (actor, input) => recordStatusChange(actor, input), (input) => revalidateStatus([input.teacherId]));

export const decideStatusChangeAction = defineAction('status.decide', decideStatusChangeSchema, decideStatusChange, () => revalidateStatus());

export const markPendingRetirementAction = defineAction('status.markPendingRetirement', markPendingRetirementSchema, markPendingRetirement, (input) => revalidateStatus(input.teacherIds));

export const setFlexibleRetirementAction = defineAction('retirement.flexible', setFlexibleRetirementSchema, setFlexibleRetirement, (input) => revalidateStatus([input.teacherId]));
