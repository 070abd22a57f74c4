import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { changeRequests, recordAdditions, reminders, teachers, unitRollupParts, units } from '@/lib/db/schema';
import { badgeCountCap, cappedCount, inboxQuery, type InboxSource } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { competentAuthorityIsActor } from '@/lib/auth/relations';

const recentDays = 30;

const toReport = (actor: Actor) => and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), eq(teachers.complete, true));
const returned = (actor: Actor) => and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'draft'), isNotNull(teachers.returnReason));
const additionsAtSchool = (actor: Actor) => and(eq(recordAdditions.unitId, actor.unitId), eq(recordAdditions.state, 'pending_school'));
const changesAtSchool = (actor: Actor) => and(eq(changeRequests.unitId, actor.unitId), eq(changeRequests.state, 'pending_school'));
const additionsAtAuthority = (actor: Actor) => and(competentAuthorityIsActor(actor, units.parentId), eq(recordAdditions.state, 'pending_authority'));
const changesAtAuthority = (actor: Actor) => and(competentAuthorityIsActor(actor, units.parentId), eq(changeRequests.state, 'pending'));
const unreadReminders = (actor: Actor) => and(eq(reminders.toUnitId, actor.unitId), isNull(reminders.readAt));
/** Reports waiting for the actor's approval, from the schools' progress totals (the queue itself pages through the teachers). */
const submittedToActor = (actor: Actor) =>
  inboxQuery
    .select({ n: sql<number>`coalesce(sum(${unitRollupParts.recordsSubmitted}), 0)::int`.as('n') })
    .from(units)
    .innerJoin(unitRollupParts, eq(unitRollupParts.unitId, units.id))
    .where(and(competentAuthorityIsActor(actor, units.parentId), eq(units.kind, 'school')));
const ownReturnedRecords = (actor: Actor) => and(eq(teachers.accountId, actor.accountId), eq(teachers.recordState, 'draft'), isNotNull(teachers.returnReason));
const ownReturnedAdditions = (actor: Actor) => and(eq(teachers.accountId, actor.accountId), eq(recordAdditions.state, 'returned'), gt(recordAdditions.decidedAt, sql`now() - make_interval(days => ${recentDays})`));
const ownDecidedChanges = (actor: Actor) =>
  and(eq(teachers.accountId, actor.accountId), eq(changeRequests.filedBy, actor.accountId), inArray(changeRequests.state, ['approved', 'rejected']), gt(changeRequests.decidedAt, sql`now() - make_interval(days => ${recentDays})`));
const one = { one: sql`1` };

/** The collection workflow's waiting work: reports, returns, approvals, additions, change requests, reminders. */
export const collectionInboxSources: InboxSource[] = [
  {
    key: 'record.toReport',
    label: '待审核上报的完整记录',
    applies: (actor) => can(actor, 'record.submit'),
    href: () => '/review/submit?filter=complete',
    count: (actor) => cappedCount(inboxQuery.select(one).from(teachers).where(toReport(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: teachers.id, name: teachers.name, at: teachers.updatedAt })
        .from(teachers)
        .where(toReport(actor))
        .orderBy(asc(teachers.id))
        .limit(limit);
      return rows.map((row) => ({ id: `t${row.id}`, title: row.name, detail: '已通过完整性检测，可报送', href: `/teachers/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'record.returned',
    label: '被退回待修改的记录',
    applies: (actor) => actor.unitKind === 'school' && (actor.role === 'manager' || can(actor, 'record.submit')),
    href: () => '/review/submit?filter=returned',
    count: (actor) => cappedCount(inboxQuery.select(one).from(teachers).where(returned(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: teachers.id, name: teachers.name, reason: teachers.returnReason, at: teachers.returnedAt })
        .from(teachers)
        .where(returned(actor))
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
    count: (actor) => sql<number>`least((${submittedToActor(actor)}), ${badgeCountCap})`,
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: teachers.id, name: teachers.name, unitName: units.name, at: teachers.submittedAt })
        .from(teachers)
        .innerJoin(units, eq(units.id, teachers.unitId))
        .where(and(competentAuthorityIsActor(actor, units.parentId), eq(teachers.recordState, 'submitted'), inJurisdiction(actor, teachers.unitPath)))
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
    count: (actor) => cappedCount(inboxQuery.select(one).from(recordAdditions).innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId)).where(additionsAtSchool(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: recordAdditions.id, name: teachers.name, by: recordAdditions.filedByName, at: recordAdditions.filedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .where(additionsAtSchool(actor))
        .orderBy(asc(recordAdditions.id))
        .limit(limit);
      return rows.map((row) => ({ id: `a${row.id}`, title: row.name, detail: `${row.by} 提交的新增信息`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'change.school',
    label: '待学校审核的教师变更申请',
    applies: (actor) => can(actor, 'record.submit'),
    href: () => '/review/changes',
    count: (actor) => cappedCount(inboxQuery.select(one).from(changeRequests).innerJoin(teachers, eq(teachers.id, changeRequests.teacherId)).where(changesAtSchool(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: changeRequests.id, name: teachers.name, reason: changeRequests.reason, at: changeRequests.filedAt })
        .from(changeRequests)
        .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
        .where(changesAtSchool(actor))
        .orderBy(asc(changeRequests.id))
        .limit(limit);
      return rows.map((row) => ({ id: `c${row.id}`, title: row.name, detail: `本人申请变更：${row.reason}`, href: '/review/changes', at: row.at }));
    },
  },
  {
    key: 'addition.authority',
    label: '待审批的新增信息',
    applies: (actor) => can(actor, 'record.review'),
    href: () => '/review/changes',
    count: (actor) =>
      cappedCount(inboxQuery.select(one).from(recordAdditions).innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId)).innerJoin(units, eq(units.id, recordAdditions.unitId)).where(additionsAtAuthority(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: recordAdditions.id, name: teachers.name, unitName: units.name, at: recordAdditions.schoolReviewedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .innerJoin(units, eq(units.id, recordAdditions.unitId))
        .where(additionsAtAuthority(actor))
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
    count: (actor) =>
      cappedCount(inboxQuery.select(one).from(changeRequests).innerJoin(teachers, eq(teachers.id, changeRequests.teacherId)).innerJoin(units, eq(units.id, changeRequests.unitId)).where(changesAtAuthority(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: changeRequests.id, name: teachers.name, unitName: units.name, reason: changeRequests.reason, at: changeRequests.filedAt })
        .from(changeRequests)
        .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
        .innerJoin(units, eq(units.id, changeRequests.unitId))
        .where(changesAtAuthority(actor))
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
    count: (actor) => cappedCount(inboxQuery.select(one).from(reminders).where(unreadReminders(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: reminders.id, fromUnitName: reminders.fromUnitName, fromAccountName: reminders.fromAccountName, message: reminders.message, at: reminders.createdAt })
        .from(reminders)
        .where(unreadReminders(actor))
        .orderBy(desc(reminders.id))
        .limit(limit);
      const href = this.href(actor);
      return rows.map((row) => ({ id: `r${row.id}`, title: `${row.fromUnitName}（${row.fromAccountName}）`, detail: row.message, href, at: row.at, reminderId: row.id }));
    },
  },
  {
    key: 'teacher.returned',
    label: '个人信息的审核结果',
    applies: (actor) => actor.role === 'teacher',
    href: () => '/me',
    count: (actor) => sql<number>`(${sql.join(
      [
        cappedCount(inboxQuery.select(one).from(teachers).where(ownReturnedRecords(actor))),
        cappedCount(inboxQuery.select(one).from(recordAdditions).innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId)).where(ownReturnedAdditions(actor))),
        cappedCount(inboxQuery.select(one).from(changeRequests).innerJoin(teachers, eq(teachers.id, changeRequests.teacherId)).where(ownDecidedChanges(actor))),
      ],
      sql` + `,
    )})`,
    async load(actor, limit) {
      const db = await getDb();
      const records = await db.select({ id: teachers.id, reason: teachers.returnReason, at: teachers.returnedAt }).from(teachers).where(ownReturnedRecords(actor));
      const additions = await db
        .select({ id: recordAdditions.id, reason: recordAdditions.returnReason, at: recordAdditions.decidedAt })
        .from(recordAdditions)
        .innerJoin(teachers, eq(teachers.id, recordAdditions.teacherId))
        .where(ownReturnedAdditions(actor))
        .orderBy(desc(recordAdditions.id));
      // The teacher's own change requests, once decided (approved or returned) in the last days.
      const changes = await db
        .select({ id: changeRequests.id, state: changeRequests.state, comment: changeRequests.decisionComment, reason: changeRequests.reason, at: changeRequests.decidedAt })
        .from(changeRequests)
        .innerJoin(teachers, eq(teachers.id, changeRequests.teacherId))
        .where(ownDecidedChanges(actor))
        .orderBy(desc(changeRequests.id));
      const items = [
        ...records.map((row) => ({ id: `t${row.id}`, title: '信息被退回，请按原因修改', detail: row.reason ?? '', href: '/me', at: row.at })),
        ...additions.map((row) => ({ id: `a${row.id}`, title: '新增信息被退回', detail: row.reason ?? '', href: '/me/history', at: row.at })),
        ...changes.map((row) => ({ id: `c${row.id}`, title: row.state === 'approved' ? '变更申请已批准，信息已更新' : '变更申请未获通过', detail: row.state === 'approved' ? row.reason : (row.comment ?? ''), href: '/me', at: row.at })),
      ];
      return items.slice(0, limit);
    },
  },
];
