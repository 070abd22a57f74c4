'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import { getImportJob } from '@/lib/teacher-import/queries';
import type { ImportJobView } from '@/lib/teacher-import/schemas';
import { confirmImport, startImportValidation } from '@/lib/teacher-import/service';

const uploadSchema = z.object({
  file: z.instanceof(File, { message: '请选择要导入的文件' }).refine((f) => f.size > 0, '请选择要导入的文件'),
});
const jobSchema = z.object({ jobId: z.string().uuid('导入任务不存在') });

export async function startTeacherImportAction(formData: FormData): Promise<ActionResult<{ jobId: string }>> {
  const parsed = uploadSchema.safeParse({ file: formData.get('file') });
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const { file } = parsed.data;
    const started = await startImportValidation(actor, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return { ok: true, data: { jobId: started.jobId } };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function getTeacherImportJobAction(input: unknown): Promise<ActionResult<ImportJobView>> {
  const parsed = jobSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    return { ok: true, data: await getImportJob(actor, parsed.data.jobId) };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function confirmTeacherImportAction(input: unknown): Promise<ActionResult> {
  const parsed = jobSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    await confirmImport(actor, parsed.data.jobId);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/teachers');
  return { ok: true, data: undefined };
}
