'use server';

import { AuthError } from 'next-auth';
import { signIn, signOut } from '@/lib/auth/auth';
import { homePathFor, requireActorForPasswordChange } from '@/lib/auth/session';
import { changePasswordSchema } from '@/lib/accounts/schemas';
import { changeOwnPassword } from '@/lib/accounts/service';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

export async function changePasswordAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActorForPasswordChange();
  let signInName: string;
  try {
    ({ signInName } = await changeOwnPassword(actor, parsed.data));
  } catch (error) {
    return toActionResult(error);
  }
  // The change ends every session of the account, this one included; the new password opens a new one at
  // once, so the user does not sign in twice. An account with an authenticator signs in again with its code.
  try {
    await signIn('credentials', { username: signInName, password: parsed.data.newPassword, redirect: false });
    return { ok: true, data: { redirectTo: homePathFor(actor) } };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    await signOut({ redirect: false });
    return { ok: true, data: { redirectTo: '/login?notice=password-changed' } };
  }
}
