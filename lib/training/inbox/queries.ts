import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { trainingFilings, trainingParticipants, trainingProjectInstitutions, trainingProjects, trainingSubmissions } from '@/lib/db/schema';
import { can } from '@/lib/auth/policy';
import { cappedCount, inboxQuery, type InboxSource } from '@/lib/inbox/registry';
import type { Actor } from '@/lib/auth/actor';
import { todayIso } from '@/lib/indicators/form-schema';
import { atRiskCount, atRiskTeachers } from '../completion/queries';
import { mayBeResultsSubmitter } from '../chain';

const one = { one: sql`1` };
const projectsAt = (actor: Actor) => and(eq(trainingProjects.waitingUnitId, actor.unitId), eq(trainingProjects.state, 'pending'));
/** Registered projects that have ended and are the actor's to report: an institution's, or a school's own run without one. */
const resultsDue = (actor: Actor) => {
  const linked = sql`exists (select 1 from ${trainingProjectInstitutions} pi where pi.project_id = ${trainingProjects.id}${actor.role === 'institution' ? sql` and pi.institution_id = ${actor.unitId}` : sql``})`;
  const mine = actor.role === 'institution' ? linked : sql`${trainingProjects.ownerUnitId} = ${actor.unitId} and not ${linked}`;
  return and(eq(trainingProjects.state, 'registered'), sql`${trainingProjects.endDate} <= ${todayIso()}::date`, mine);
};

/** 培训学分's waiting work, each item for the unit whose turn it is. */
export const trainingInboxSources: InboxSource[] = [
  {
    key: 'training.project',
    label: '待审核的校本研修项目',
    applies: (actor) => can(actor, 'training.approve'),
    href: () => '/training?view=waiting',
    count: (actor) => cappedCount(inboxQuery.select(one).from(trainingProjects).where(projectsAt(actor))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: trainingProjects.id, name: trainingProjects.name, owner: trainingProjects.ownerName, at: trainingProjects.createdAt })
        .from(trainingProjects)
        .where(projectsAt(actor))
        .orderBy(asc(trainingProjects.id))
        .limit(limit);
      return rows.map((row) => ({ id: `tp${row.id}`, title: row.name, detail: row.owner, href: `/training/projects/${row.id}`, at: row.at }));
    },
  },
  {
    key: 'training.submission',
    label: '待确认学分的考核结果',
    applies: (actor) => can(actor, 'training.confirm') || mayBeResultsSubmitter(actor),
    href: () => '/training',
    count: (actor) => cappedCount(inboxQuery.select(one).from(trainingSubmissions).innerJoin(trainingProjects, eq(trainingProjects.id, trainingSubmissions.projectId)).where(eq(trainingSubmissions.waitingUnitId, actor.unitId))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: trainingSubmissions.id, projectId: trainingSubmissions.projectId, name: trainingProjects.name, state: trainingSubmissions.state, participants: trainingSubmissions.participants, reason: trainingSubmissions.returnReason, at: trainingSubmissions.submittedAt })
        .from(trainingSubmissions)
        .innerJoin(trainingProjects, eq(trainingProjects.id, trainingSubmissions.projectId))
        .where(eq(trainingSubmissions.waitingUnitId, actor.unitId))
        .orderBy(asc(trainingSubmissions.id))
        .limit(limit);
      return rows.map((row) => ({ id: `ts${row.id}`, title: row.name, detail: row.state === 'returned' ? `已退回修改：${row.reason ?? ''}` : `${row.participants} 人待确认学分`, href: `/training/projects/${row.projectId}`, at: row.at }));
    },
  },
  {
    key: 'training.results',
    label: '待填报考核结果的培训项目',
    // The institutions' projects, and a school's own projects run without one (maySubmitResults).
    applies: (actor) => mayBeResultsSubmitter(actor),
    href: () => '/training',
    // Projects with someone still enrolled, as the list groups them.
    count: (actor) =>
      cappedCount(
        inboxQuery
          .select(one)
          .from(trainingProjects)
          .where(and(resultsDue(actor), sql`exists (select 1 from ${trainingParticipants} p where p.project_id = ${trainingProjects.id} and p.state = 'enrolled')`)),
      ),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: trainingProjects.id, name: trainingProjects.name, endDate: trainingProjects.endDate, open: sql<number>`count(*)::int` })
        .from(trainingProjects)
        .innerJoin(trainingParticipants, and(eq(trainingParticipants.projectId, trainingProjects.id), eq(trainingParticipants.state, 'enrolled')))
        .where(resultsDue(actor))
        .groupBy(trainingProjects.id)
        .orderBy(asc(trainingProjects.endDate))
        .limit(limit);
      return rows.map((row) => ({ id: `tr${row.id}`, title: row.name, detail: `${row.endDate} 结束，${row.open} 人待填报`, href: `/training/projects/${row.id}` }));
    },
  },
  {
    key: 'training.atRisk',
    label: '培训周期将满、学时学分未达标的教师',
    applies: (actor) => actor.unitKind === 'school' && (actor.role === 'manager' || actor.role === 'sysadmin'),
    href: () => '/training/completion?status=atRisk',
    count: (actor) => atRiskCount(actor),
    async load(actor, limit) {
      const rows = await atRiskTeachers(actor, limit);
      return rows.map((row) => ({ id: `tk${row.id}`, title: row.name, detail: `${row.endYear} 年底周期结束，已完成 ${Math.round(row.progressPermille / 10)}%`, href: `/teachers/${row.id}` }));
    },
  },
  {
    key: 'training.filing',
    label: '待审核的校本研修、自主研修学时',
    applies: (actor) => can(actor, 'record.submit') || can(actor, 'training.approve'),
    href: () => '/training/filings?view=waiting',
    count: (actor) => cappedCount(inboxQuery.select(one).from(trainingFilings).where(eq(trainingFilings.waitingUnitId, actor.unitId))),
    async load(actor, limit) {
      const rows = await (await getDb())
        .select({ id: trainingFilings.id, name: trainingFilings.teacherName, title: trainingFilings.title, hours: trainingFilings.hours, at: trainingFilings.filedAt })
        .from(trainingFilings)
        .where(eq(trainingFilings.waitingUnitId, actor.unitId))
        .orderBy(asc(trainingFilings.id))
        .limit(limit);
      return rows.map((row) => ({ id: `tf${row.id}`, title: `${row.name}：${row.title}`, detail: `${row.hours} 学时`, href: '/training/filings?view=waiting', at: row.at }));
    },
  },
];
