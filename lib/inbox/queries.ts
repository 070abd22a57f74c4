import 'server-only';
import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { changeRequests, recordAdditions, reminders, teachers, unitRollups, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';

export interface InboxItem {
  id: string;
  title: string;
  detail?: string;
  href: string;
  at?: Date | null;
  /** A reminder can be marked read right in the inbox. */
  reminderId?: number;
}

export interface InboxGroup {
  key: string;
  label: string;
  count: number;
  /** Where the whole group is worked through. */
  href: string;
  items: InboxItem[];
}

/**
 * One kind of waiting work, read straight from the workflow table that holds it (no second copy to
 * drift). Later modules (transfers, rotation, training) add their sources to the list below.
 */
interface InboxSource {
  key: string;
  label: string;
  applies(actor: Actor): boolean;
  href(actor: Actor): string;
  count(actor: Actor): Promise<number>;
  items(actor: Actor, limit: number): Promise<InboxItem[]>;
}

const itemLimit = 10;
const recentDays = 30;

const sources: InboxSource[] = [
  {
    key: 'record.toReport',
    label: '待审核上报的完整记录',
    applies: (actor) => can(actor, 'record.submit'),
    href: () => '/review/submit?filter=complete',
    async count(actor) {
      const db = await getDb();
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(teachers).where(and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), eq(teachers.complete, true)));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db.select({ id: teachers.id, name: teachers.name, updatedAt: teachers.updatedAt }).from(teachers).where(and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), eq(teachers.complete, true))).orderBy(asc(teachers.id)).limit(limit);
      return rows.map((row) => ({ id: `t${row.id}`, title: row.name, detail: '已通过完整性检测，可报送', href: `/teachers/${row.id}`, at: row.updatedAt }));
    },
  },
  {
    key: 'record.returned',
    label: '被退回待修改的记录',
    applies: (actor) => actor.unitKind === 'school' && (actor.role === 'manager' || can(actor, 'record.submit')),
    href: () => '/review/submit?filter=returned',
    async count(actor) {
      const db = await getDb();
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(teachers).where(and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), isNotNull(teachers.returnReason)));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: teachers.id, name: teachers.name, reason: teachers.returnReason, at: teachers.returnedAt })
        .from(teachers)
        .where(and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), isNotNull(teachers.returnReason)))
        .orderBy(asc(teachers.id))
        .limit(limit);
      return rows.map((row) => ({ id: `t${row.id}`, title: row.name, detail: `退回原因：${row.reason}`, href: `/teachers/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'record.toApprove',
    label: '待审核的报送记录',
    applies: (actor) => can(actor, 'record.review'),
    href: () => '/review/records',
    async count(actor) {
      const db = await getDb();
      const [row] = await db
        .select({ n: sql<number>`coalesce(sum(${unitRollups.recordsSubmitted}), 0)::int` })
        .from(units)
        .innerJoin(unitRollups, eq(unitRollups.unitId, units.id))
        .where(and(eq(units.parentId, actor.unitId), eq(units.kind, 'school')));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: teachers.id, name: teachers.name, unitName: units.name, at: teachers.submittedAt })
        .from(teachers)
        .innerJoin(units, eq(units.id, teachers.unitId))
        .where(and(eq(units.parentId, actor.unitId), eq(teachers.recordState, 'submitted'), inJurisdiction(actor, teachers.unitPath)))
        .orderBy(asc(teachers.id))
        .limit(limit);
      return rows.map((row) => ({ id: `t${row.id}`, title: row.name, detail: row.unitName, href: `/teachers/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'addition.school',
    label: '待学校审核的新增信息',
    applies: (actor) => can(actor, 'record.submit'),
    href: () => '/review/changes',
    async count(actor) {
      const db = await getDb();
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(recordAdditions).where(and(eq(recordAdditions.unitId, actor.unitId), eq(recordAdditions.state, 'pending_school')));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: recordAdditions.id, teacherId: recordAdditions.teacherId, name: teachers.name, by: recordAdditions.filedByName, at: recordAdditions.filedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .where(and(eq(recordAdditions.unitId, actor.unitId), eq(recordAdditions.state, 'pending_school')))
        .orderBy(asc(recordAdditions.id))
        .limit(limit);
      return rows.map((row) => ({ id: `a${row.id}`, title: row.name, detail: `${row.by} 提交的新增信息`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'addition.authority',
    label: '待审批的新增信息',
    applies: (actor) => can(actor, 'record.review'),
    href: () => '/review/changes',
    async count(actor) {
      const db = await getDb();
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(recordAdditions)
        .innerJoin(units, eq(units.id, recordAdditions.unitId))
        .where(and(eq(units.parentId, actor.unitId), eq(recordAdditions.state, 'pending_authority')));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: recordAdditions.id, name: teachers.name, unitName: units.name, at: recordAdditions.schoolReviewedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .innerJoin(units, eq(units.id, recordAdditions.unitId))
        .where(and(eq(units.parentId, actor.unitId), eq(recordAdditions.state, 'pending_authority')))
        .orderBy(asc(recordAdditions.id))
        .limit(limit);
      return rows.map((row) => ({ id: `a${row.id}`, title: row.name, detail: `${row.unitName} 已审核的新增信息`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'change.authority',
    label: '待审批的变更申请',
    applies: (actor) => can(actor, 'record.review'),
    href: () => '/review/changes',
    async count(actor) {
      const db = await getDb();
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(changeRequests)
        .innerJoin(units, eq(units.id, changeRequests.unitId))
        .where(and(eq(units.parentId, actor.unitId), eq(changeRequests.state, 'pending')));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: changeRequests.id, name: teachers.name, unitName: units.name, reason: changeRequests.reason, at: changeRequests.filedAt })
        .from(changeRequests)
        .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
        .innerJoin(units, eq(units.id, changeRequests.unitId))
        .where(and(eq(units.parentId, actor.unitId), eq(changeRequests.state, 'pending')))
        .orderBy(asc(changeRequests.id))
        .limit(limit);
      return rows.map((row) => ({ id: `c${row.id}`, title: row.name, detail: `${row.unitName}：${row.reason}`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'reminder',
    label: '上级催办',
    applies: (actor) => actor.role === 'sysadmin' || actor.role === 'manager',
    href: (actor) => (can(actor, 'progress.view') ? '/progress' : can(actor, 'record.submit') ? '/review/submit' : '/teachers'),
    async count(actor) {
      const db = await getDb();
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(reminders).where(and(eq(reminders.toUnitId, actor.unitId), isNull(reminders.readAt)));
      return row.n;
    },
    async items(actor, limit) {
      const db = await getDb();
      const rows = await db
        .select({ id: reminders.id, fromUnitName: reminders.fromUnitName, fromAccountName: reminders.fromAccountName, message: reminders.message, at: reminders.createdAt })
        .from(reminders)
        .where(and(eq(reminders.toUnitId, actor.unitId), isNull(reminders.readAt)))
        .orderBy(desc(reminders.id))
        .limit(limit);
      const href = this.href(actor);
      return rows.map((row) => ({ id: `r${row.id}`, title: `${row.fromUnitName}（${row.fromAccountName}）`, detail: row.message, href, at: row.at, reminderId: row.id }));
    },
  },
  {
    key: 'teacher.returned',
    label: '被退回的个人信息',
    applies: (actor) => actor.role === 'teacher',
    href: () => '/me',
    async count(actor) {
      return (await this.items(actor, 100)).length;
    },
    async items(actor, limit) {
      const db = await getDb();
      const records = await db
        .select({ id: teachers.id, reason: teachers.returnReason, at: teachers.returnedAt })
        .from(teachers)
        .where(and(eq(teachers.accountId, actor.accountId), eq(teachers.recordState, 'draft'), isNotNull(teachers.returnReason)));
      const additions = await db
        .select({ id: recordAdditions.id, reason: recordAdditions.returnReason, at: recordAdditions.decidedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .where(and(eq(teachers.accountId, actor.accountId), eq(recordAdditions.state, 'returned'), gt(recordAdditions.decidedAt, sql`now() - make_interval(days => ${recentDays})`)))
        .orderBy(desc(recordAdditions.id))
        .limit(limit);
      return [
        ...records.map((row) => ({ id: `t${row.id}`, title: '信息被退回，请按原因修改', detail: row.reason ?? '', href: '/me', at: row.at })),
        ...additions.map((row) => ({ id: `a${row.id}`, title: '新增信息被退回', detail: row.reason ?? '', href: '/me#history', at: row.at })),
      ].slice(0, limit);
    },
  },
];

/** Each source counted once: the number in the navigation. */
export async function inboxCount(actor: Actor): Promise<number> {
  const counts = await Promise.all(sources.filter((source) => source.applies(actor)).map((source) => source.count(actor)));
  return counts.reduce((sum, n) => sum + n, 0);
}

export async function getInbox(actor: Actor): Promise<InboxGroup[]> {
  const groups = await Promise.all(
    sources
      .filter((source) => source.applies(actor))
      .map(async (source): Promise<InboxGroup> => {
        const count = await source.count(actor);
        return { key: source.key, label: source.label, count, href: source.href(actor), items: count > 0 ? await source.items(actor, itemLimit) : [] };
      }),
  );
  return groups.filter((group) => group.count > 0);
}
