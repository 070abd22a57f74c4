import 'server-only';
import { notFound } from 'next/navigation';
import type { Actor } from '@/lib/auth/actor';
import { recordPageRefusal } from '@/lib/audit/service';
import { NotFoundError } from '@/lib/errors';
import { parseId } from './params';

/**
 * A page's record by the id in its address: a malformed id is a plain 404, and an id the actor may
 * not see (the service says "not found") is audited as a refused attempt before the 404.
 */
export async function loadOrNotFound<T>(actor: Actor, page: string, rawId: string, load: (id: number) => Promise<T>): Promise<T> {
  const id = parseId(rawId);
  if (!id) notFound();
  try {
    return await load(id);
  } catch (error) {
    if (error instanceof NotFoundError) {
      await recordPageRefusal(actor, page, id);
      notFound();
    }
    throw error;
  }
}
