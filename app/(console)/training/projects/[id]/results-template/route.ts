import { getReadyActor } from '@/lib/auth/session';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { mayBeResultsSubmitter } from '@/lib/training/chain';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam } from '@/lib/http/params';
import { buildResultsTemplate } from '@/lib/training/results/service';

/** The results template for one project (its institution, or the school running it), with its open participants (masked ID numbers); audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getReadyActor();
  const id = idParam.safeParse((await params).id);
  if (!actor || !mayBeResultsSubmitter(actor) || !id.success) return notFoundResponse();
  try {
    const file = await buildResultsTemplate(actor, id.data);
    return fileResponse(file.bytes, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return notFoundResponse();
    throw error;
  }
}
