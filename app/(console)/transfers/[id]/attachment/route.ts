import { getReadyActor } from '@/lib/auth/session';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { parseId } from '@/lib/http/params';
import { readTransferAttachment } from '@/lib/transfers/service';

/** The filing's attachment, for the staff of the transfer's parties; audited, never cached. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getReadyActor();
  if (!actor) return notFoundResponse();
  const id = parseId((await params).id);
  if (!id) return notFoundResponse();
  try {
    const file = await readTransferAttachment(actor, id);
    return fileResponse(file.content, file.fileName, file.contentType);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return notFoundResponse();
    throw error;
  }
}
