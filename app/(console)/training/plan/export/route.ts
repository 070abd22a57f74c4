import { z } from 'zod';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam, parseSearchParams, searchParamsRecord } from '@/lib/http/params';
import { exportPlan } from '@/lib/training/plans/service';

/** An authority's training plan of a year as xlsx; audited. */
export async function GET(request: Request) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'training.view')) return notFoundResponse();
  const params = parseSearchParams({ owner: idParam, year: z.coerce.number().int().min(2000).max(2100) }, searchParamsRecord(new URL(request.url).searchParams));
  if (!params.year) return notFoundResponse();
  try {
    const file = await exportPlan(actor, { ownerUnitId: params.owner, year: params.year });
    return fileResponse(file.bytes, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
