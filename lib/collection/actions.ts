'use server';

import { revalidatePath } from 'next/cache';
import type { ZodType } from 'zod';
import { defineAction } from '@/lib/action';
import type { Actor } from '@/lib/auth/actor';
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
import { decideAddition, fileAddition } from './additions/service';
import { decideChangeRequest, fileChangeRequest } from './changes/service';
import { approveRecords, returnRecords, setReviewDelegation, submitRecords } from './review/service';
import { markReminderRead, sendReminders, setDeadline } from './steering/service';

/** The collection workflow's actions, shared by the review pages, the record page and the teacher's phone. */
function revalidateWorkflow(teacherIds: number[] = []) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  for (const id of teacherIds.slice(0, 50)) revalidatePath(`/teachers/${id}`);
}

/** A workflow action: the wrapper's steps, then the revalidation every workflow step needs. */
function workflowAction<I, T>(name: string, schema: ZodType<I>, service: (actor: Actor, input: I) => Promise<T>, teacherIds: (input: I) => number[] = () => []) {
  return defineAction(name, schema, service, (input) => revalidateWorkflow(teacherIds(input)));
}

export const submitRecordsAction = workflowAction('submitRecords', submitRecordsSchema, submitRecords, (data) => data.teacherIds);

export const approveRecordsAction = workflowAction('approveRecords', approveRecordsSchema, approveRecords, (data) => data.teacherIds);

export const returnRecordsAction = workflowAction('returnRecords', returnRecordsSchema, returnRecords, (data) => data.teacherIds);

export const setReviewDelegationAction = workflowAction('setReviewDelegation', reviewDelegationSchema, (actor, data) => setReviewDelegation(actor, data.granted));

export const fileAdditionAction = workflowAction('fileAddition', fileAdditionSchema, fileAddition, (data) => [data.teacherId]);

export const decideAdditionAction = workflowAction('decideAddition', decideSchema, decideAddition);

export const fileChangeRequestAction = workflowAction('fileChangeRequest', fileChangeRequestSchema, fileChangeRequest, (data) => [data.teacherId]);

export const decideChangeRequestAction = workflowAction('decideChangeRequest', decideSchema, decideChangeRequest);

export const setDeadlineAction = workflowAction('setDeadline', setDeadlineSchema, (actor, data) => setDeadline(actor, data));

export const sendRemindersAction = workflowAction('sendReminders', sendRemindersSchema, sendReminders);

export const markReminderReadAction = workflowAction('markReminderRead', reminderIdSchema, (actor, data) => markReminderRead(actor, data.id));
