import { getReadyActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { getImportErrorFile } from '@/lib/teacher-import/queries';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

export async function GET(_request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const actor = await getReadyActor();
  if (!actor) return notFoundResponse();
  try {
    const file = await getImportErrorFile(actor, (await params).jobId);
    return fileResponse(file.content, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
