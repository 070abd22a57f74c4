'use server';

import { redirect } from 'next/navigation';
import { signOut } from './auth';
import { getCurrentActor } from './session';
import { recordSignOut } from '@/lib/accounts/service';

export async function signOutAction(): Promise<void> {
  const actor = await getCurrentActor();
  if (actor) await recordSignOut(actor);
  await signOut({ redirect: false });
  redirect('/login?notice=signed-out');
}
