import 'server-only';
import { and, asc, eq, isNotNull, or, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { rotations } from '@/lib/db/schema';
import { can } from '@/lib/auth/policy';
import { codeName } from '@/lib/indicators/code-tables';
import { cappedCount, inboxQuery, type InboxSource } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { todayIso } from '@/lib/indicators/form-schema';
import { rotationDueDays, rotationDueMonth, rotationStateNames } from '@/lib/rotations/chain';
import { dueSoon } from '@/lib/rotations/queries';

const waitingAt = (actor: Actor) => and(eq(rotations.waitingUnitId, actor.unitId), isNotNull(rotations.waitingUnitId));
const dueAt = (actor: Actor) => and(dueSoon(rotationDueMonth(todayIso())), or(eq(rotations.homeSchoolId, actor.unitId), eq(rotations.hostSchoolId, actor.unitId)));

/** 交流轮岗's waiting work: filings and extensions for the home school's authority; returns due within 30 days for both schools. */
export const rotationInboxSources: InboxSource[] = [
  {
    key: 'rotation.step',
    label: '待确认的交流轮岗',
    applies: (actor) => can(actor, 'rotation.act') && actor.unitKind === 'authority',
    href: () => '/rotations?view=waiting',
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(rotations).where(waitingAt(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: rotations.id, name: rotations.teacherName, state: rotations.state, from: rotations.homeSchoolName, to: rotations.hostSchoolName, at: rotations.stateSince })
        .from(rotations)
        .where(waitingAt(actor))
        .orderBy(asc(rotations.id))
        .limit(limit);
      return rows.map((row) => ({ id: `ro${row.id}`, title: `${row.name}：${row.from} → ${row.to}`, detail: rotationStateNames[row.state], href: `/rotations/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'rotation.due',
    label: `${rotationDueDays} 天内到期的交流轮岗`,
    applies: (actor) => can(actor, 'rotation.view') && actor.unitKind === 'school',
    href: () => '/rotations?view=waiting&state=due',
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(rotations).where(dueAt(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: rotations.id, name: rotations.teacherName, kind: rotations.kind, home: rotations.homeSchoolName, host: rotations.hostSchoolName, homeId: rotations.homeSchoolId, end: rotations.plannedEndMonth })
        .from(rotations)
        .where(dueAt(actor))
        .orderBy(asc(rotations.plannedEndMonth), asc(rotations.id))
        .limit(limit);
      return rows.map((row) => ({
          id: `rd${row.id}`,
          title: row.name,
          detail: row.homeId === actor.unitId ? `${codeName('rotationKind', row.kind)}到“${row.host}”，计划 ${row.end} 结束：请办理返回、延期或提前结束` : `来自“${row.home}”的交流教师，计划 ${row.end} 结束`,
          href: `/rotations/${row.id}`,
        }));
    },
  },
];
