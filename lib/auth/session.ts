import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { can, type Permission } from './policy';
import { cache } from 'react';
import { auth } from './auth';
import type { Actor } from './actor';
import { clientIp } from './client-ip';
import { loadSessionAccount } from './queries';
import { totpRequiredFor } from '@/lib/signin/policy';
import { isTeacherLoginName, loginNameFor } from '@/lib/teachers/identity';

/** The signed-in actor re-read from the database once per request, or null if the session is no longer good. */
export const getCurrentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  if (!session?.accountId || !session.sessionId) return null;
  const current = await loadSessionAccount(session.accountId, clientIp(await headers()), session.sessionId);
  if (!current) return null;
  // A disabled account, a closed unit or a password reset ends the session at the next request.
  if (current.accountStatus !== 'active' || current.unitStatus !== 'active') return null;
  if (current.sessionVersion !== session.sessionVersion) return null;
  return current.actor;
});

export function mustChangePassword(actor: Actor): boolean {
  return (actor.mustChangePassword || actor.passwordExpired) && !actor.isDemo;
}

/** Staff of the tiers that require a second factor must enrol before anything else. */
export function mustEnrolSecondFactor(actor: Actor): boolean {
  return !actor.totpEnabled && totpRequiredFor(actor);
}

/** Where an actor with a pending obligation (password change, second-factor enrolment) must go first, or null. */
export function pendingObligationPath(actor: Actor): string | null {
  if (mustChangePassword(actor)) return '/change-password';
  if (mustEnrolSecondFactor(actor)) return '/security/two-factor';
  return null;
}

/**
 * The signed-in actor with no pending obligation, for route handlers (downloads, photos) that answer
 * a plain 404 rather than redirecting.
 */
export async function getReadyActor(): Promise<Actor | null> {
  const actor = await getCurrentActor();
  return actor && !pendingObligationPath(actor) ? actor : null;
}

/** For everything but the obligations themselves: a forced password change or enrolment comes first. */
export async function requireActor(): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect('/login');
  const pending = pendingObligationPath(actor);
  if (pending) redirect(pending);
  return actor;
}

/** The enrolment page: signed in, password already changed. */
export async function requireActorForEnrolment(): Promise<Actor> {
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
  if (actor.role === 'teacher') redirect('/me');
  return actor;
}

export function homePathFor(actor: Actor): string {
  return actor.role === 'teacher' ? teacherHome : staffHome;
}

const teacherHome = '/me';
const staffHome = '/dashboard';

/** Where a sign-in lands, from the name typed (teachers sign in with their ID number): no blank "/" first. */
export function homePathForLogin(typed: string): string {
  return isTeacherLoginName(loginNameFor(typed)) ? teacherHome : staffHome;
}

/** Pages: a staff actor holding the permission, or a plain "not found". */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const actor = await requireStaff();
  if (!can(actor, permission)) notFound();
  return actor;
}
