import { z } from 'zod';
import { idParam, parseSearchParams, textParam } from '@/lib/http/params';
import { auditActionNames } from './labels';
import type { AuditListFilters } from './queries';

/** The audit page's filters as they come in the address bar. Client-safe. */
const auditParamShape = {
  action: textParam(60).refine((a) => a in auditActionNames || /^[a-z]+\.$/.test(a)),
  username: textParam(64),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  before: idParam,
};

export function parseAuditParams(raw: Record<string, string | string[] | undefined>) {
  return parseSearchParams(auditParamShape, raw);
}

function chinaDay(value: string | undefined, endOfDay = false): Date | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}T00:00:00+08:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  return endOfDay ? new Date(date.getTime() + 86_400_000) : date;
}

export function auditFilters(params: ReturnType<typeof parseAuditParams>): AuditListFilters {
  return { action: params.action, username: params.username, from: chinaDay(params.from), to: chinaDay(params.to, true), beforeId: params.before };
}
