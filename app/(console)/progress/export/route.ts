import type { NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { getProgress } from '@/lib/collection/queries';
import { buildProgressWorkbook } from '@/lib/collection/progress-export';
import { parseProgressParams } from '@/lib/collection/schemas';
import { formatDateTime } from '@/lib/format';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

export async function GET(request: NextRequest) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'progress.view')) return notFoundResponse();
  try {
    const view = await getProgress(actor, parseProgressParams(Object.fromEntries(request.nextUrl.searchParams)));
    const content = await buildProgressWorkbook(view, formatDateTime(new Date()));
    return fileResponse(content, `采集进度-${view.unit.name}.xlsx`);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
