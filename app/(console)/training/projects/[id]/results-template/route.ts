import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam } from '@/lib/http/params';
import { buildResultsTemplate } from '@/lib/training/results/service';

/** The institution's results template for one project, with its open participants (masked ID numbers); audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getReadyActor();
  const id = idParam.safeParse((await params).id);
  if (!actor || !can(actor, 'training.results') || !id.success) return notFoundResponse();
  try {
    const file = await buildResultsTemplate(actor, id.data);
    return fileResponse(file.bytes, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
