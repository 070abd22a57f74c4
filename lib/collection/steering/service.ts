import 'server-only';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { collectionDeadlines, reminders, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import type { SendRemindersInput, SetDeadlineInput } from '@/lib/collection/schemas';
import { getProgress } from '@/lib/collection/queries';
import { buildProgressWorkbook } from '@/lib/collection/progress-export';
import { formatDateTime } from '@/lib/format';

/**
 * Seed 六(四): an authority sets the collection deadline for the units below it. A lower tier may set
 * an earlier date than its superiors, never a later one. An empty date removes the unit's own deadline.
 */
export async function setDeadline(actor: Actor, input: SetDeadlineInput, today = todayIso()): Promise<void> {
  assertCan(actor, 'collection.steer');
  const db = await getDb();
  await db.transaction(async (tx) => {
    const ancestors = actor.unitPath.split('.').map(Number).filter((id) => id !== actor.unitId);
    if (input.deadline === '') {
      await tx.delete(collectionDeadlines).where(eq(collectionDeadlines.unitId, actor.unitId));
    } else {
      if (input.deadline < today) throw new ValidationError('截止日期不能早于今天', { deadline: ['截止日期不能早于今天'] });
      if (ancestors.length) {
        const [upper] = await tx
          .select({ deadline: collectionDeadlines.deadline, unitName: units.name })
          .from(collectionDeadlines)
          .innerJoin(units, eq(units.id, collectionDeadlines.unitId))
          .where(inArray(collectionDeadlines.unitId, ancestors))
          .orderBy(collectionDeadlines.deadline)
          .limit(1);
        if (upper && input.deadline > upper.deadline) {
          const message = `不能晚于上级“${upper.unitName}”设定的截止日期 ${upper.deadline}`;
          throw new ValidationError(message, { deadline: [message] });
        }
      }
      await tx
        .insert(collectionDeadlines)
        .values({ unitId: actor.unitId, deadline: input.deadline, setBy: actor.accountId, setByName: actor.displayName })
        .onConflictDoUpdate({ target: collectionDeadlines.unitId, set: { deadline: input.deadline, setBy: actor.accountId, setByName: actor.displayName, updatedAt: new Date() } });
    }
    await recordAudit(tx, actor, { action: 'collection.deadline.set', targetType: 'unit', targetId: actor.unitId, detail: { deadline: input.deadline || null } });
  });
}

/** A superior reminds lagging units below it; the reminder waits in their inbox until read. */
export async function sendReminders(actor: Actor, input: SendRemindersInput): Promise<{ sent: number }> {
  assertCan(actor, 'collection.steer');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const wanted = [...new Set(input.unitIds)];
    const targets = await tx
      .select({ id: units.id, name: units.name, path: units.path })
      .from(units)
      .where(and(inArray(units.id, wanted), inJurisdiction(actor, units.path), ne(units.id, actor.unitId), ne(units.kind, 'institution')));
    if (targets.length !== wanted.length) throw new NotFoundError('所选单位不存在或不在您的管辖范围内');
    await tx.insert(reminders).values(targets.map((unit) => ({ fromUnitId: actor.unitId, fromUnitName: actor.unitName, fromAccountName: actor.displayName, toUnitId: unit.id, message: input.message })));
    await recordAudit(tx, actor, ...targets.map((unit): AuditEntry => ({ action: 'collection.remind', unitPath: unit.path, targetType: 'unit', targetId: unit.id, detail: { unit: unit.name, message: input.message } })));
    return { sent: targets.length };
  });
}

/** Anyone on the staff of the reminded unit can mark the reminder read, which takes it out of the inbox. */
export async function markReminderRead(actor: Actor, reminderId: number): Promise<void> {
  if (actor.role !== 'sysadmin' && actor.role !== 'manager') throw new ForbiddenError();
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(reminders)
      .set({ readAt: new Date(), readByName: actor.displayName })
      .where(and(eq(reminders.id, reminderId), eq(reminders.toUnitId, actor.unitId), isNull(reminders.readAt)))
      .returning({ id: reminders.id });
    if (!row) throw new NotFoundError('该催办已处理或不存在');
    await recordAudit(tx, actor, { action: 'collection.reminder.read', targetType: 'reminder', targetId: reminderId });
  });
}

/** 采集进度 of a unit as xlsx, for the actor's jurisdiction; the export is audited. */
export async function exportProgress(actor: Actor, options: Parameters<typeof getProgress>[1]): Promise<{ fileName: string; content: Buffer }> {
  const view = await getProgress(actor, options);
  const content = await buildProgressWorkbook(view, formatDateTime(new Date()));
  await recordAudit(await getDb(), actor, { action: 'progress.export', targetType: 'unit', targetId: view.unit.id, detail: { unit: view.unit.name } });
  return { fileName: `采集进度-${view.unit.name}.xlsx`, content };
}
