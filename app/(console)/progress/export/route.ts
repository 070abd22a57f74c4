import type { NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { exportProgress } from '@/lib/collection/steering/service';
import { parseProgressParams } from '@/lib/collection/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

export async function GET(request: NextRequest) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'progress.view')) return notFoundResponse();
  try {
    const { fileName, content } = await exportProgress(actor, parseProgressParams(Object.fromEntries(request.nextUrl.searchParams)));
    return fileResponse(content, fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
