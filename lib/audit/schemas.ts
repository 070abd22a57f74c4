import { z } from 'zod';
import { idParam, parseSearchParams, textParam } from '@/lib/http/params';
import { auditActionNames, auditTargetNames } from './labels';
import type { AuditListFilters } from './queries';

/** The audit page's filters as they come in the address bar. Client-safe. */
const auditParamShape = {
  action: textParam(60).refine((a) => a in auditActionNames || /^[a-z]+\.$/.test(a)),
  username: textParam(64),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** "type:id", e.g. teacher:123: every row about that object. */
  target: textParam(80).refine((t) => /^[a-z_]+:[0-9A-Za-z_.:-]{1,64}$/.test(t) && t.slice(0, t.indexOf(':')) in auditTargetNames),
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

/** The `target` parameter of one object's rows. */
export function auditTargetParam(type: string, id: string): string {
  return `${type}:${id}`;
}

export function auditFilters(params: ReturnType<typeof parseAuditParams>): AuditListFilters {
  const colon = params.target?.indexOf(':') ?? -1;
  const target = params.target && colon > 0 ? { type: params.target.slice(0, colon), id: params.target.slice(colon + 1) } : undefined;
  return { action: params.action, username: params.username, from: chinaDay(params.from), to: chinaDay(params.to, true), target, beforeId: params.before };
}
