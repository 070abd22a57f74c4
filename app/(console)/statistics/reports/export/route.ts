import type { NextRequest } from 'next/server';
import { getCurrentActor, mustChangePassword } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { getReport } from '@/lib/statistics/queries';
import { buildReportWorkbook } from '@/lib/statistics/report-export';
import { reportKinds, type ReportKind } from '@/lib/statistics/reports';
import { parseStatFilters } from '@/lib/statistics/schemas';

export async function GET(request: NextRequest) {
  const actor = await getCurrentActor();
  if (!actor || mustChangePassword(actor) || !can(actor, 'teacher.list')) return new Response('不存在', { status: 404 });
  const params = Object.fromEntries(request.nextUrl.searchParams);
  const kind = (reportKinds as readonly string[]).includes(params.report ?? '') ? (params.report as ReportKind) : 'education-stage';
  try {
    const report = await getReport(actor, kind, parseStatFilters(params));
    const content = await buildReportWorkbook(report, formatDateTime(new Date()));
    return new Response(new Uint8Array(content), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`${report.unitName}-${report.title}.xlsx`)}`,
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return new Response('不存在', { status: 404 });
    throw error;
  }
}
