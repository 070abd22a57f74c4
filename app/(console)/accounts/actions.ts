'use server';

import { revalidatePath } from 'next/cache';
import { buildCredentialSheet } from '@/lib/accounts/credential-sheet';
import {
  accountIdSchema,
  addUniversityManagerSchema,
  issueCredentialsSchema,
  setAccountStatusSchema,
} from '@/lib/accounts/schemas';
import {
  addUniversityManager,
  issueSubordinateCredentials,
  resetAccountPassword,
  setAccountStatus,
  unlockAccount,
  type IssuedCredential,
} from '@/lib/accounts/service';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

export async function resetAccountPasswordAction(input: unknown): Promise<ActionResult<IssuedCredential>> {
  const parsed = accountIdSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let issued: IssuedCredential;
  try {
    issued = await resetAccountPassword(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/accounts');
  return { ok: true, data: issued };
}

export async function unlockAccountAction(input: unknown): Promise<ActionResult> {
  const parsed = accountIdSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    await unlockAccount(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/accounts');
  return { ok: true, data: undefined };
}

export async function setAccountStatusAction(input: unknown): Promise<ActionResult> {
  const parsed = setAccountStatusSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    await setAccountStatus(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/accounts');
  return { ok: true, data: undefined };
}

/** Issues initial passwords and answers the credential sheet; the passwords are never shown again. */
export async function issueCredentialsAction(input: unknown): Promise<ActionResult<{ fileName: string; base64: string; count: number }>> {
  const parsed = issueCredentialsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const issued = await issueSubordinateCredentials(actor, parsed.data);
    const now = new Date();
    const sheet = await buildCredentialSheet(issued, `${actor.unitName}（${actor.username}）`, now);
    const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
    revalidatePath('/accounts/credentials');
    return { ok: true, data: { fileName: `账号分发表-${actor.unitCode}-${stamp}.xlsx`, base64: sheet.toString('base64'), count: issued.length } };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function addUniversityManagerAction(input: unknown): Promise<ActionResult<IssuedCredential>> {
  const parsed = addUniversityManagerSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let issued: IssuedCredential;
  try {
    issued = await addUniversityManager(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidatePath('/accounts/university-managers');
  return { ok: true, data: issued };
}
