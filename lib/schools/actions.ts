'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import type { SchoolImportOutcome } from '@/lib/schools/schemas';
import { importSchoolList } from '@/lib/schools/service';

const importSchoolListSchema = z.object({
  file: z.instanceof(File, { message: '请选择要导入的文件' }).refine((f) => f.size > 0, '请选择要导入的文件'),
});

export async function importSchoolListAction(formData: FormData): Promise<ActionResult<SchoolImportOutcome>> {
  const parsed = importSchoolListSchema.safeParse({ file: formData.get('file') });
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let outcome: SchoolImportOutcome;
  try {
    const { file } = parsed.data;
    outcome = await importSchoolList(actor, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  } catch (error) {
    return toActionResult(error);
  }
  if (outcome.ok) revalidatePath('/units', 'layout');
  return { ok: true, data: outcome };
}
