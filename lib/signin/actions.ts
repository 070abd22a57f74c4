'use server';

import QRCode from 'qrcode';
import { z } from 'zod';
import { getCurrentActor, mustChangePassword } from '@/lib/auth/session';
import { ForbiddenError } from '@/lib/errors';
import { confirmTotpSchema } from '@/lib/signin/schemas';
import { acknowledgeFailedSignins, confirmTotpEnrolment, startTotpEnrolment } from '@/lib/signin/service';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

/**
 * Enrolment runs before the console opens (it may be what is pending), so these actions take the
 * signed-in actor directly rather than through the wrapper, whose requireActor would send it here.
 */
async function signedIn() {
  const actor = await getCurrentActor();
  if (!actor || mustChangePassword(actor)) throw new ForbiddenError('请先登录并完成密码修改');
  return actor;
}

export async function startTotpEnrolmentAction(): Promise<ActionResult<{ secret: string; qrDataUrl: string }>> {
  try {
    const { secret, uri } = await startTotpEnrolment(await signedIn());
    return { ok: true, data: { secret, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) } };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function confirmTotpEnrolmentAction(input: unknown): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  const parsed = confirmTotpSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return { ok: true, data: { recoveryCodes: await confirmTotpEnrolment(await signedIn(), parsed.data.code) } };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function acknowledgeFailedSigninsAction(input: unknown): Promise<ActionResult> {
  if (!z.object({}).safeParse(input ?? {}).success) return { ok: false, message: '请求无效' };
  try {
    await acknowledgeFailedSignins(await signedIn());
    return { ok: true, data: undefined };
  } catch (error) {
    return toActionResult(error);
  }
}
