import 'server-only';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { statusChanges, teachers, units } from '@/lib/db/schema';
import { can } from '@/lib/auth/policy';
import { competentAuthorityIsActor } from '@/lib/auth/relations';
import { todayIso } from '@/lib/indicators/form-schema';
import { cappedCount, inboxQuery, type InboxSource } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { retirementNoticeMonths, retiringWindow } from '@/lib/mobility/schemas';

const pendingForActor = (actor: Actor) => and(eq(statusChanges.state, 'pending'), competentAuthorityIsActor(actor, units.parentId));
const retiringAt = (actor: Actor) => {
  const window = retiringWindow(todayIso(), retirementNoticeMonths);
  return and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'effective'), sql`coalesce(${teachers.personnelStatus}, '100') like '1%'`, gte(teachers.retirementMonth, window.from), lt(teachers.retirementMonth, window.until));
};

/** 在职情况变动's waiting work: departures for the competent authority, coming retirements for the school. */
export const mobilityInboxSources: InboxSource[] = [
  {
    key: 'status.pending',
    label: '待确认的在职情况变动',
    applies: (actor) => can(actor, 'status.confirm'),
    href: () => '/review/changes',
    count: (actor) =>
      cappedCount(inboxQuery.select({ one: sql`1` }).from(statusChanges).innerJoin(teachers, eq(teachers.id, statusChanges.teacherId)).innerJoin(units, eq(units.id, statusChanges.unitId)).where(pendingForActor(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: statusChanges.id, name: teachers.name, unitName: units.name, reason: statusChanges.reason, at: statusChanges.filedAt })
        .from(statusChanges)
        .innerJoin(teachers, eq(teachers.id, statusChanges.teacherId))
        .innerJoin(units, eq(units.id, statusChanges.unitId))
        .where(pendingForActor(actor))
        .orderBy(asc(statusChanges.id))
        .limit(limit);
      return rows.map((row) => ({ id: `st${row.id}`, title: row.name, detail: `${row.unitName}：${row.reason}`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'retirement.soon',
    label: `${retirementNoticeMonths} 个月内到退休时间的教师`,
    applies: (actor) => can(actor, 'status.record'),
    href: () => '/teachers/retiring',
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(teachers).where(retiringAt(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: teachers.id, name: teachers.name, month: teachers.retirementMonth })
        .from(teachers)
        .where(retiringAt(actor))
        .orderBy(asc(teachers.retirementMonth), asc(teachers.id))
        .limit(limit);
      return rows.map((row) => ({ id: `rt${row.id}`, title: row.name, detail: `${row.month!.slice(0, 7)} 到退休时间，可设为待退休`, href: '/teachers/retiring' }));
    },
  },
];
