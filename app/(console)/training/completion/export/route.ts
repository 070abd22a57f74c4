import { z } from 'zod';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam, parseSearchParams, searchParamsRecord } from '@/lib/http/params';
import { completionStatuses } from '@/lib/training/completion/queries';
import { exportCompletion } from '@/lib/training/completion/service';

/** 培训完成情况 of a unit as xlsx, ID numbers masked; audited. */
export async function GET(request: Request) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'training.view')) return notFoundResponse();
  const params = parseSearchParams({ unit: idParam, status: z.enum(completionStatuses) }, searchParamsRecord(new URL(request.url).searchParams));
  try {
    const file = await exportCompletion(actor, { unitId: params.unit, status: params.status });
    return fileResponse(file.bytes, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
