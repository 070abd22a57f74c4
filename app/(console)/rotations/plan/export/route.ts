import { z } from 'zod';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { idParam, parseSearchParams, searchParamsRecord } from '@/lib/http/params';
import { exportRotationPlan } from '@/lib/rotations/service';

/** The county's rotation plan as xlsx; audited. */
export async function GET(request: Request) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'rotation.plan')) return notFoundResponse();
  const params = parseSearchParams({ county: idParam, year: z.coerce.number().int().min(2000).max(2100) }, searchParamsRecord(new URL(request.url).searchParams));
  if (!params.county || !params.year) return notFoundResponse();
  try {
    const file = await exportRotationPlan(actor, { countyId: params.county, year: params.year });
    return fileResponse(file.content, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
