import { getReadyActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam } from '@/lib/http/params';
import { readFilingAttachment } from '@/lib/training/filings/service';

/** A filing's evidence for the teacher, the school's staff and the authority above; audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getReadyActor();
  const id = idParam.safeParse((await params).id);
  if (!actor || !id.success) return notFoundResponse();
  try {
    const file = await readFilingAttachment(actor, id.data);
    return fileResponse(file.content, file.fileName, file.contentType);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
