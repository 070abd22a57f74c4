'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { fileRotationSchema, rotationStepSchema, rotationTargetsSchema } from './schemas';
import { fileRotation, saveRotationTargets, takeRotationStep } from './service';

function revalidateRotations(id?: number) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  if (id) revalidatePath(`/rotations/${id}`);
}

export const fileRotationAction = defineAction('rotation.file', fileRotationSchema, fileRotation, (_, result) => revalidateRotations(result.rotationId));

export const takeRotationStepAction = defineAction('rotation.step', rotationStepSchema, takeRotationStep, (input) => revalidateRotations(input.id));

export const saveRotationTargetsAction = defineAction('rotation.targets', rotationTargetsSchema, saveRotationTargets, () => revalidatePath('/rotations/plan'));
