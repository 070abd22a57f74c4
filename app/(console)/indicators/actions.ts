'use server';

import { revalidatePath } from 'next/cache';
import { requireActor } from '@/lib/auth/session';
import { saveIndicatorSettingsSchema } from '@/lib/indicators/schemas';
import { saveIndicatorSettings } from '@/lib/indicators/service';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

export async function saveIndicatorSettingsAction(input: unknown): Promise<ActionResult<{ version: number }>> {
  const parsed = saveIndicatorSettingsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let result: { version: number };
  try {
    result = await saveIndicatorSettings(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/indicators');
  return { ok: true, data: result };
}
