import 'server-only';
import { getDb, type Executor } from '@/lib/db';
import { auditLog } from '@/lib/db/schema';
import { maskLoginName } from '@/lib/reference/id-number';

/** Who did it; an Actor fits, and so does a failed sign-in known only by name and address. */
export interface AuditActor {
  accountId: number | null;
  username: string | null;
  unitId: number | null;
  unitPath?: string | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  /** The unit the event concerns; defaults to the actor's unit. */
  unitPath?: string | null;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
}

const insertChunk = 2000;

/** A teacher's login name is their ID number; the log keeps it masked like every other view. */
function maskIfIdNumber(username: string | null): string | null {
  return username === null ? null : maskLoginName(username);
}

/** Writes audit rows with the caller's executor, so that they commit or roll back with the change. */
export async function recordAudit(executor: Executor, actor: AuditActor, ...entries: AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += insertChunk) {
    await executor.insert(auditLog).values(
      entries.slice(start, start + insertChunk).map((entry) => ({
        actorAccountId: actor.accountId,
        actorUsername: maskIfIdNumber(actor.username),
        actorUnitId: actor.unitId,
        unitPath: entry.unitPath === undefined ? (actor.unitPath ?? null) : entry.unitPath,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId === undefined ? null : String(entry.targetId),
        detail: entry.detail && typeof entry.detail.username === 'string' ? { ...entry.detail, username: maskIfIdNumber(entry.detail.username) } : (entry.detail ?? null),
        ip: actor.ip,
      })),
    );
  }
}

/** Ids named in an action's input, kept with a refusal so that the assessor sees what was tried. */
function targetsOf(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object') return {};
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (/(^id$|Id$|Ids$)/.test(key) && (typeof value === 'number' || (Array.isArray(value) && value.length <= 50))) picked[key] = value;
  }
  return picked;
}

/**
 * A refused attempt (authorization failure, or a not-found that an out-of-scope id gets), in a
 * transaction of its own: the service's own transaction has rolled back.
 */
export async function recordRefusal(actor: AuditActor, attempted: string, error: Error, input?: unknown): Promise<void> {
  const db = await getDb();
  await recordAudit(db, actor, { action: 'access.denied', detail: { attempted, reason: error.name === 'ForbiddenError' ? 'forbidden' : 'not_found', message: error.message, ...targetsOf(input) } });
}

/** A page or download refused an id the actor may not see: audited, then the caller answers 404. */
export async function recordPageRefusal(actor: AuditActor, page: string, id?: number | string): Promise<void> {
  const db = await getDb();
  await recordAudit(db, actor, { action: 'access.denied', detail: { attempted: page, reason: 'not_found', ...(id === undefined ? {} : { id }) } });
}
