'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/action';
import { fileTransferSchema, findTransferTeacherSchema, transferStepSchema } from './schemas';
import { fileTransfer, findTransferTeacher, takeTransferStep } from './service';

/** The filing form posts FormData (it may carry the attachment); its text fields are checked by the same schema as everywhere. */
const fileTransferFormSchema = z
  .custom<FormData>((value) => value instanceof FormData, '请求无效')
  .transform((form) => ({ ...Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')), attachment: form.get('attachment') }))
  .pipe(fileTransferSchema.extend({ attachment: z.union([z.instanceof(File), z.string(), z.null()]).transform((value) => (value instanceof File ? value : null)) }));

function revalidateTransfers(id?: number) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  if (id) revalidatePath(`/transfers/${id}`);
}

export const findTransferTeacherAction = defineAction('transfer.lookup', findTransferTeacherSchema, findTransferTeacher);

export const fileTransferAction = defineAction(
  'transfer.file',
  fileTransferFormSchema,
  async (actor, { attachment, ...input }) =>
    fileTransfer(actor, input, attachment && attachment.size > 0 ? { name: attachment.name, type: attachment.type, bytes: new Uint8Array(await attachment.arrayBuffer()) } : null),
  (_, result) => revalidateTransfers(result.transferId),
);

export const takeTransferStepAction = defineAction('transfer.step', transferStepSchema, takeTransferStep, (input) => revalidateTransfers(input.id));
