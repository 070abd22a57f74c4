'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { buildCredentialSheet } from '@/lib/accounts/credential-sheet';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import type { RegistrationRowError } from '@/lib/teachers/schemas';
import { issueTeacherCredentials, registerTeachersFromSheet } from '@/lib/teachers/registration/service';

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

export async function issuePendingTeacherCredentialsAction(): Promise<ActionResult<{ count: number; sheetBase64: string }>> {
  const actor = await requireActor();
  try {
    const credentials = await issueTeacherCredentials(actor, { limit: 2000 });
    if (credentials.length === 0) return { ok: false, message: '本校教师都已发放初始密码' };
    const sheet = await buildCredentialSheet(credentials, actor.username, new Date());
    revalidatePath('/teachers/accounts');
    return { ok: true, data: { count: credentials.length, sheetBase64: sheet.toString('base64') } };
  } catch (error) {
    return toActionResult(error);
  }
}
