import { getCurrentActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { readPhoto } from '@/lib/teachers/queries';

/** The teacher's photo, for whoever may see the record; never a public file. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getCurrentActor();
  if (!actor) return new Response('未登录', { status: 401 });
  const { id } = await params;
  if (!/^\d{1,10}$/.test(id)) return new Response('不存在', { status: 404 });
  try {
    const photo = await readPhoto(actor, Number(id));
    if (!photo) return new Response('不存在', { status: 404 });
    return new Response(new Uint8Array(photo), { headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=300' } });
  } catch (error) {
    if (error instanceof NotFoundError) return new Response('不存在', { status: 404 });
    throw error;
  }
}
