import type { NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { exportReport } from '@/lib/statistics/service';
import { reportKinds, type ReportKind } from '@/lib/statistics/reports';
import { parseStatFilters } from '@/lib/statistics/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

export async function GET(request: NextRequest) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  const params = Object.fromEntries(request.nextUrl.searchParams);
  const kind = (reportKinds as readonly string[]).includes(params.report ?? '') ? (params.report as ReportKind) : 'education-stage';
  try {
    const { fileName, content } = await exportReport(actor, kind, parseStatFilters(params));
    return fileResponse(content, fileName);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundResponse();
    throw error;
  }
}
