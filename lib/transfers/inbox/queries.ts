import 'server-only';
import { and, asc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { recordSupplements, teachers, transfers, units } from '@/lib/db/schema';
import { can } from '@/lib/auth/policy';
import { caseVisibleTo } from '@/lib/auth/relations';
import { cappedCount, inboxQuery, type InboxSource } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { overdueDays, transferStateNames } from '@/lib/transfers/chain';

const waitingAt = (actor: Actor) => and(eq(transfers.waitingUnitId, actor.unitId), isNotNull(transfers.waitingUnitId));
const overdueBelow = (actor: Actor) =>
  and(
    isNotNull(transfers.waitingUnitId),
    lt(transfers.stateSince, sql`now() - make_interval(days => ${overdueDays})`),
    // Only steps waiting at units below the actor: its own subordinates are late, not another side's.
    sql`${units.path} <@ ${actor.unitPath}::ltree and ${units.id} <> ${actor.unitId}`,
    caseVisibleTo(actor, [transfers.sendingSchoolPath, transfers.receivingSchoolPath]),
  );

/** 教师调动's waiting work: every step is an item for the unit whose turn it is; overdue steps reach the superiors. */
export const transferInboxSources: InboxSource[] = [
  {
    key: 'transfer.step',
    label: '待办理的教师调动',
    applies: (actor) => can(actor, 'transfer.act'),
    href: () => '/transfers?view=waiting',
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(transfers).where(waitingAt(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: transfers.id, name: transfers.teacherName, state: transfers.state, from: transfers.sendingSchoolName, to: transfers.receivingSchoolName, at: transfers.stateSince })
        .from(transfers)
        .where(waitingAt(actor))
        .orderBy(asc(transfers.id))
        .limit(limit);
      return rows.map((row) => ({ id: `tr${row.id}`, title: `${row.name}：${row.from} → ${row.to}`, detail: transferStateNames[row.state], href: `/transfers/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'transfer.overdue',
    label: `下级超过 ${overdueDays} 天未办理的调动`,
    applies: (actor) => can(actor, 'transfer.view') && actor.unitKind === 'authority',
    href: () => '/transfers?view=all&state=overdue',
    // The nation's overdue steps are thousands: the badge counts them up to its cap.
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(transfers).innerJoin(units, eq(units.id, transfers.waitingUnitId)).where(overdueBelow(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: transfers.id, name: transfers.teacherName, state: transfers.state, at: transfers.stateSince })
        .from(transfers)
        .innerJoin(units, eq(units.id, transfers.waitingUnitId))
        .where(overdueBelow(actor))
        .orderBy(asc(transfers.stateSince))
        .limit(limit);
      return rows.map((row) => ({ id: `to${row.id}`, title: row.name, detail: `${transferStateNames[row.state]}，已超期`, href: `/transfers/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'record.supplement',
    label: '调入后待补充的信息',
    applies: (actor) => actor.unitKind === 'school' && (actor.role === 'manager' || actor.role === 'sysadmin'),
    href: () => '/teachers',
    count: (actor) => cappedCount(inboxQuery.select({ one: sql`1` }).from(recordSupplements).innerJoin(teachers, eq(teachers.id, recordSupplements.teacherId)).where(eq(recordSupplements.unitId, actor.unitId))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: recordSupplements.teacherId, name: teachers.name, problems: recordSupplements.problems, at: recordSupplements.createdAt })
        .from(recordSupplements)
        .innerJoin(teachers, eq(teachers.id, recordSupplements.teacherId))
        .where(eq(recordSupplements.unitId, actor.unitId))
        .orderBy(asc(recordSupplements.teacherId))
        .limit(limit);
      return rows.map((row) => ({ id: `s${row.id}`, title: row.name, detail: `待补充：${row.problems.map((p) => p.fieldLabel ?? p.subsetLabel).slice(0, 5).join('、')}`, href: `/teachers/${row.id}`, at: row.at }));
    },
  },
];
