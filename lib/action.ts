import 'server-only';
import type { ZodType } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { requireActor } from '@/lib/auth/session';
import { recordRefusal } from '@/lib/audit/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';

/**
 * The one way to write a server action: parse with zod, re-read the actor, call the service, and map
 * its errors to a typed result. A refusal (forbidden, or not found, which is what an out-of-scope id
 * looks like) is audited outside the service's rolled-back transaction.
 */
export function defineAction<I, T>(
  name: string,
  schema: ZodType<I>,
  service: (actor: Actor, input: I) => Promise<T>,
  after?: (input: I, result: T) => void,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input: unknown) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    const actor = await requireActor();
    let result: T;
    try {
      result = await service(actor, parsed.data);
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof NotFoundError) await recordRefusal(actor, name, error, parsed.data);
      return toActionResult(error);
    }
    after?.(parsed.data, result);
    return { ok: true, data: result };
  };
}
