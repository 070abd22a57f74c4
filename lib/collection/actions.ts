'use server';

import { revalidatePath } from 'next/cache';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import {
  approveRecordsSchema,
  decideSchema,
  fileAdditionSchema,
  fileChangeRequestSchema,
  reminderIdSchema,
  returnRecordsSchema,
  reviewDelegationSchema,
  sendRemindersSchema,
  setDeadlineSchema,
  submitRecordsSchema,
} from './schemas';
import {
  approveRecords,
  decideAddition,
  decideChangeRequest,
  fileAddition,
  fileChangeRequest,
  markReminderRead,
  returnRecords,
  sendReminders,
  setDeadline,
  setReviewDelegation,
  submitRecords,
  type ApproveOutcome,
  type SubmitOutcome,
} from './service';

/** The collection workflow's actions, shared by the review pages, the record page and the teacher's phone. */
function revalidateWorkflow(teacherIds: number[] = []) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  for (const id of teacherIds.slice(0, 50)) revalidatePath(`/teachers/${id}`);
}

async function run<I, T>(schema: { safeParse(input: unknown): { success: true; data: I } | { success: false; error: import('zod').ZodError } }, input: unknown, service: (actor: Awaited<ReturnType<typeof requireActor>>, data: I) => Promise<T>, teacherIds: (data: I) => number[] = () => []): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let result: T;
  try {
    result = await service(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidateWorkflow(teacherIds(parsed.data));
  return { ok: true, data: result };
}

export async function submitRecordsAction(input: unknown): Promise<ActionResult<SubmitOutcome>> {
  return run(submitRecordsSchema, input, submitRecords, (data) => data.teacherIds);
}

export async function approveRecordsAction(input: unknown): Promise<ActionResult<ApproveOutcome>> {
  return run(approveRecordsSchema, input, approveRecords, (data) => data.teacherIds);
}

export async function returnRecordsAction(input: unknown): Promise<ActionResult<ApproveOutcome>> {
  return run(returnRecordsSchema, input, returnRecords, (data) => data.teacherIds);
}

export async function setReviewDelegationAction(input: unknown): Promise<ActionResult<void>> {
  return run(reviewDelegationSchema, input, (actor, data) => setReviewDelegation(actor, data.granted));
}

export async function fileAdditionAction(input: unknown): Promise<ActionResult<{ additionId: number }>> {
  return run(fileAdditionSchema, input, fileAddition, (data) => [data.teacherId]);
}

export async function decideAdditionAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return run(decideSchema, input, decideAddition);
}

export async function fileChangeRequestAction(input: unknown): Promise<ActionResult<{ requestId: number }>> {
  return run(fileChangeRequestSchema, input, fileChangeRequest, (data) => [data.teacherId]);
}

export async function decideChangeRequestAction(input: unknown): Promise<ActionResult<{ state: string; version?: number }>> {
  return run(decideSchema, input, decideChangeRequest);
}

export async function setDeadlineAction(input: unknown): Promise<ActionResult<void>> {
  return run(setDeadlineSchema, input, (actor, data) => setDeadline(actor, data));
}

export async function sendRemindersAction(input: unknown): Promise<ActionResult<{ sent: number }>> {
  return run(sendRemindersSchema, input, sendReminders);
}

export async function markReminderReadAction(input: unknown): Promise<ActionResult<void>> {
  return run(reminderIdSchema, input, (actor, data) => markReminderRead(actor, data.id));
}
