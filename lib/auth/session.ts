import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { can, type Permission } from './policy';
import { cache } from 'react';
import { auth } from './auth';
import type { Actor } from './actor';
import { isStaffRole } from './actor';
import { clientIp } from './client-ip';
import { loadSessionAccount } from './queries';

/** The signed-in actor re-read from the database once per request, or null if the session is no longer good. */
export const getCurrentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  if (!session?.accountId) return null;
  const current = await loadSessionAccount(session.accountId, clientIp(await headers()));
  if (!current) return null;
  // A disabled account, a closed unit or a password reset ends the session at the next request.
  if (current.accountStatus !== 'active' || current.unitStatus !== 'active') return null;
  if (current.sessionVersion !== session.sessionVersion) return null;
  return current.actor;
});

export function mustChangePassword(actor: Actor): boolean {
  return actor.mustChangePassword && !actor.isDemo;
}

/** For everything but the password change itself: a pending forced change comes first. */
export async function requireActor(): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect('/login');
  if (mustChangePassword(actor)) redirect('/change-password');
  return actor;
}

export async function requireActorForPasswordChange(): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect('/login');
  return actor;
}

export async function requireStaff(): Promise<Actor> {
  const actor = await requireActor();
  if (!isStaffRole(actor.role) && actor.role !== 'institution') redirect('/me');
  return actor;
}

export function homePathFor(actor: Actor): string {
  return actor.role === 'teacher' ? '/me' : '/dashboard';
}

/** Pages: a staff actor holding the permission, or a plain "not found". */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const actor = await requireStaff();
  if (!can(actor, permission)) notFound();
  return actor;
}
