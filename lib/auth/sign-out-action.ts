'use server';

import { redirect } from 'next/navigation';
import { revokeSession } from '@/lib/signin/service';
import { signOut } from './auth';
import { getCurrentActor } from './session';

/** Signs out for good: the session row is revoked, so a copied cookie is worth nothing afterwards. */
export async function signOutAction(): Promise<void> {
  const actor = await getCurrentActor();
  if (actor?.sessionId) await revokeSession(actor, actor.sessionId);
  await signOut({ redirect: false });
  redirect('/login?notice=signed-out');
}
