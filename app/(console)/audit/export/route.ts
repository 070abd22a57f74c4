import type { NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { buildAuditWorkbook } from '@/lib/audit/export';
import { exportAuditLog } from '@/lib/audit/queries';
import { auditFilters, parseAuditParams } from '@/lib/audit/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { searchParamsRecord } from '@/lib/http/params';

/** The filtered audit log as xlsx, for archiving beyond the retention period; the export is audited. */
export async function GET(request: NextRequest) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'audit.read')) return notFoundResponse();
  const rows = await exportAuditLog(actor, auditFilters(parseAuditParams(searchParamsRecord(request.nextUrl.searchParams))));
  const content = await buildAuditWorkbook(rows, `${actor.unitName} 审计日志，由 ${actor.username} 导出，共 ${rows.length} 条`);
  return fileResponse(content, `审计日志-${actor.unitCode}-${new Date().toISOString().slice(0, 10)}.xlsx`);
}
