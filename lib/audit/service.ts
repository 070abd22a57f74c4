import 'server-only';
import type { Executor } from '@/lib/db';
import { auditLog } from '@/lib/db/schema';

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

/** Writes audit rows with the caller's executor, so that they commit or roll back with the change. */
export async function recordAudit(executor: Executor, actor: AuditActor, ...entries: AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += insertChunk) {
    await executor.insert(auditLog).values(
      entries.slice(start, start + insertChunk).map((entry) => ({
        actorAccountId: actor.accountId,
        actorUsername: actor.username,
        actorUnitId: actor.unitId,
        unitPath: entry.unitPath === undefined ? (actor.unitPath ?? null) : entry.unitPath,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId === undefined ? null : String(entry.targetId),
        detail: entry.detail ?? null,
        ip: actor.ip,
      })),
    );
  }
}
