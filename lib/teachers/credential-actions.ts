'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { buildCredentialSheet } from '@/lib/accounts/credential-sheet';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import type { RegistrationRowError } from '@/lib/teachers/schemas';
import { registerTeachersFromSheet } from '@/lib/teachers/registration/service';
import { requestTeacherCredentialSheet } from '@/lib/accounts/credential-sheets/service';
import { defineAction } from '@/lib/action';

const fileSchema = z.object({ file: z.instanceof(File, { message: '请选择文件' }).refine((f) => f.size > 0, '请选择文件') });

type SheetResult = { ok: true; count: number; sheetBase64: string } | { ok: false; rows: number; errors: RegistrationRowError[] };

export async function registerTeachersAction(formData: FormData): Promise<ActionResult<SheetResult>> {
  const parsed = fileSchema.safeParse({ file: formData.get('file') });
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const { file } = parsed.data;
    const outcome = await registerTeachersFromSheet(actor, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    if (!outcome.ok) return { ok: true, data: outcome };
    const sheet = await buildCredentialSheet(outcome.credentials, actor.username, new Date());
    revalidatePath('/teachers');
    return { ok: true, data: { ok: true, count: outcome.credentials.length, sheetBase64: sheet.toString('base64') } };
  } catch (error) {
    return toActionResult(error);
  }
}

/** Queues the sheet of initial passwords for the school's teachers who have none yet (made by the worker). */
export const requestTeacherCredentialSheetAction = defineAction('account.credentials.request', z.object({}), (actor) => requestTeacherCredentialSheet(actor), () => revalidatePath('/teachers/accounts'));
