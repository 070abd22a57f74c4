'use server';

import { signOut } from '@/lib/auth/auth';
import { requireActorForPasswordChange } from '@/lib/auth/session';
import { changePasswordSchema } from '@/lib/accounts/schemas';
import { changeOwnPassword } from '@/lib/accounts/service';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

export async function changePasswordAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActorForPasswordChange();
  try {
    await changeOwnPassword(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  // The change ends every session of the account, this one included.
  await signOut({ redirect: false });
  return { ok: true, data: { redirectTo: '/login?notice=password-changed' } };
}
