import type { NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { notFoundResponse, streamedFileResponse } from '@/lib/http/download';
import { openExportFile } from '@/lib/teacher-export/queries';

/** A finished export file, streamed from the database to its requester (audited per download). */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ jobId: string }> }) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  try {
    const file = await openExportFile(actor, (await params).jobId);
    return streamedFileResponse(file.pieces, file.fileName, file.bytes);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
