import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { exportRetiring } from '@/lib/mobility/service';

/** 即将退休 as xlsx for the actor's jurisdiction; audited. */
export async function GET() {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  try {
    const file = await exportRetiring(actor);
    return fileResponse(file.content, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
