import 'server-only';
import { and, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { auditLog } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';

export interface AuditListFilters {
  action?: string;
  username?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
}

export interface AuditListItem {
  id: number;
  occurredAt: Date;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export const auditPageSize = 50;

/** The audit log of the actor's jurisdiction, newest first, keyset-paginated by id. */
export async function listAuditLog(actor: Actor, filters: AuditListFilters): Promise<AuditListItem[]> {
  assertCan(actor, 'audit.read');
  const db = await getDb();
  // Sign-in failures for unknown names concern no unit: only the ministry sees them.
  const scope = actor.unitTier === 'central' ? or(inJurisdiction(actor, auditLog.unitPath), sql`${auditLog.unitPath} is null`)! : inJurisdiction(actor, auditLog.unitPath);
  const conditions: SQL[] = [scope];
  if (filters.action) conditions.push(filters.action.endsWith('.') ? ilike(auditLog.action, `${filters.action}%`) : eq(auditLog.action, filters.action));
  if (filters.username) conditions.push(eq(auditLog.actorUsername, filters.username));
  if (filters.from) conditions.push(sql`${auditLog.occurredAt} >= ${filters.from.toISOString()}`);
  if (filters.to) conditions.push(sql`${auditLog.occurredAt} < ${filters.to.toISOString()}`);
  if (filters.beforeId) conditions.push(lt(auditLog.id, filters.beforeId));
  return db
    .select({
      id: auditLog.id,
      occurredAt: auditLog.occurredAt,
      actorUsername: auditLog.actorUsername,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      detail: auditLog.detail,
      ip: auditLog.ip,
    })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(auditPageSize + 1); // one extra row tells the page whether there is a next one
}
