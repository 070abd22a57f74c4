import { getReadyActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { notFoundResponse } from '@/lib/http/download';
import { parseId } from '@/lib/http/params';
import { readPhoto } from '@/lib/teachers/queries';

/** The teacher's photo, for whoever may see the record; never a public file, never cached. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getReadyActor();
  if (!actor) return notFoundResponse();
  const id = parseId((await params).id);
  if (!id) return notFoundResponse();
  try {
    const photo = await readPhoto(actor, id);
    if (!photo) return notFoundResponse();
    return new Response(new Uint8Array(photo), { headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' } });
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
