import 'server-only';
import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { caseEvents, teachers, trainingInstitutionAuthorities, trainingParticipants, trainingProjectInstitutions, trainingProjects, trainingSubmissions, units, type ParticipantState, type SubmissionState, type TrainingProjectState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { availableActions } from '@/lib/workflow/chain';
import { maySubmitResults, projectChain, projectParties, submissionChain, submissionParties, type ProjectAction, type SubmissionAction } from '../chain';
import type { TrainingCategory, TrainingLevel } from '../rules';

/** The kind of the unit that submitted a part of the results (an institution, or a school for its own project). */
export const submitterKindSql = sql<'institution' | 'school'>`(select case when submitter.kind = 'school' then 'school' else 'institution' end from ${units} submitter where submitter.id = ${trainingSubmissions.institutionId})`;

/** Which projects a page lists. */
export const projectViews = ['own', 'waiting', 'below', 'above', 'institution'] as const;
export type ProjectView = (typeof projectViews)[number];

/**
 * Who sees a project: staff whose jurisdiction holds its owner, staff below a registered project's
 * owner (the plans above them), and the project's institutions.
 */
function projectVisibleTo(actor: Actor): SQL {
  if (actor.role === 'institution') return sql`exists (select 1 from ${trainingProjectInstitutions} pi where pi.project_id = ${trainingProjects.id} and pi.institution_id = ${actor.unitId})`;
  if (!can(actor, 'training.view')) return sql`false`;
  // Below the owner: a published plan's project, one open for nomination, or one with the actor's own teachers on it (a province confirming its part).
  return sql`(${inJurisdiction(actor, trainingProjects.ownerPath)} or (${trainingProjects.state} = 'registered' and ${actor.unitPath}::ltree <@ ${trainingProjects.ownerPath}
    and (${trainingProjects.nominationOpen} or exists (select 1 from training_plans tp where tp.owner_unit_id = ${trainingProjects.ownerUnitId} and tp.year = ${trainingProjects.year})
      or exists (select 1 from ${trainingParticipants} vp where vp.project_id = ${trainingProjects.id} and vp.school_path <@ ${actor.unitPath}::ltree))))`;
}

export interface ProjectListRow {
  id: number;
  code: string;
  name: string;
  ownerName: string;
  level: TrainingLevel;
  category: TrainingCategory;
  year: number;
  startDate: string;
  endDate: string;
  plannedHours: number;
  capacity: number;
  enrolled: number;
  confirmed: number;
  state: TrainingProjectState;
}

export async function listProjects(actor: Actor, options: { view: ProjectView; year?: number; before?: number }): Promise<{ rows: ProjectListRow[]; hasMore: boolean }> {
  const db = await getDb();
  const viewFilter: Record<ProjectView, SQL> = {
    own: sql`${trainingProjects.ownerUnitId} = ${actor.unitId}`,
    waiting: sql`${trainingProjects.waitingUnitId} = ${actor.unitId}`,
    below: sql`${trainingProjects.ownerPath} <@ ${actor.unitPath}::ltree and ${trainingProjects.ownerUnitId} <> ${actor.unitId}`,
    // The plans above that were published, and projects open for schools to nominate.
    above: sql`${actor.unitPath}::ltree <@ ${trainingProjects.ownerPath} and ${trainingProjects.ownerUnitId} <> ${actor.unitId} and ${trainingProjects.state} = 'registered'
      and (${trainingProjects.nominationOpen} or exists (select 1 from training_plans tp where tp.owner_unit_id = ${trainingProjects.ownerUnitId} and tp.year = ${trainingProjects.year}))`,
    institution: sql`true`,
  };
  const limit = 50;
  const rows = await db
    .select({
      id: trainingProjects.id,
      code: trainingProjects.code,
      name: trainingProjects.name,
      ownerName: trainingProjects.ownerName,
      level: sql<TrainingLevel>`${trainingProjects.level}`,
      category: sql<TrainingCategory>`${trainingProjects.category}`,
      year: trainingProjects.year,
      startDate: trainingProjects.startDate,
      endDate: trainingProjects.endDate,
      plannedHours: trainingProjects.plannedHours,
      capacity: trainingProjects.capacity,
      // Qualified by hand: drizzle renders a one-table select's columns bare, and a bare "id" here is the participant's own.
      enrolled: sql<number>`(select count(*)::int from ${trainingParticipants} p where p.project_id = ${trainingProjects}.${sql.identifier('id')})`,
      confirmed: sql<number>`(select count(*)::int from ${trainingParticipants} p where p.project_id = ${trainingProjects}.${sql.identifier('id')} and p.state = 'confirmed')`,
      state: trainingProjects.state,
    })
    .from(trainingProjects)
    .where(and(projectVisibleTo(actor), viewFilter[options.view], options.year ? eq(trainingProjects.year, options.year) : undefined, options.before ? lt(trainingProjects.id, options.before) : undefined))
    .orderBy(desc(trainingProjects.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export interface ProjectDetail extends ProjectListRow {
  ownerUnitId: number;
  ownerParentId: number | null;
  stages: string[];
  subjects: string[];
  forPrincipals: boolean;
  nominationOpen: boolean;
  description: string | null;
  rejectionReason: string | null;
  createdByName: string;
  institutions: { id: number; code: string; name: string }[];
  counts: Record<ParticipantState, number>;
  /** Enrolled or returned with a result entered: what the institution's submit sends. */
  readyToSubmit: number;
  submissions: { id: number; confirmUnitId: number; confirmUnitName: string; state: SubmissionState; participants: number; returnReason: string | null; submittedAt: Date; actions: { action: SubmissionAction; label: string; requiresReason: boolean }[] }[];
  timeline: { id: number; flow: string; action: string; toState: string; reason: string | null; accountName: string; unitName: string; createdAt: Date }[];
  /** What the actor may do here. */
  may: { enrol: boolean; results: boolean; nominate: boolean; decide: { action: ProjectAction; label: string; requiresReason: boolean }[] };
}

export async function getProject(actor: Actor, projectId: number): Promise<ProjectDetail> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: trainingProjects.id,
      code: trainingProjects.code,
      name: trainingProjects.name,
      ownerName: trainingProjects.ownerName,
      ownerUnitId: trainingProjects.ownerUnitId,
      ownerPath: trainingProjects.ownerPath,
      ownerParentId: units.parentId,
      level: sql<TrainingLevel>`${trainingProjects.level}`,
      category: sql<TrainingCategory>`${trainingProjects.category}`,
      year: trainingProjects.year,
      startDate: trainingProjects.startDate,
      endDate: trainingProjects.endDate,
      plannedHours: trainingProjects.plannedHours,
      capacity: trainingProjects.capacity,
      stages: trainingProjects.stages,
      subjects: trainingProjects.subjects,
      forPrincipals: trainingProjects.forPrincipals,
      nominationOpen: trainingProjects.nominationOpen,
      description: trainingProjects.description,
      rejectionReason: trainingProjects.rejectionReason,
      createdByName: trainingProjects.createdByName,
      state: trainingProjects.state,
    })
    .from(trainingProjects)
    .innerJoin(units, eq(units.id, trainingProjects.ownerUnitId))
    .where(and(eq(trainingProjects.id, projectId), projectVisibleTo(actor)));
  if (!row) throw new NotFoundError('培训项目不存在或不在您的管辖范围内');
  const [institutions, countRows, submissions] = await Promise.all([
    db.select({ id: units.id, code: units.code, name: units.name }).from(trainingProjectInstitutions).innerJoin(units, eq(units.id, trainingProjectInstitutions.institutionId)).where(eq(trainingProjectInstitutions.projectId, projectId)).orderBy(asc(units.code)),
    db
      .select({ state: trainingParticipants.state, count: sql<number>`count(*)::int`, withResult: sql<number>`(count(*) filter (where ${trainingParticipants.passed} is not null))::int` })
      .from(trainingParticipants)
      .where(and(eq(trainingParticipants.projectId, projectId), participantsVisibleTo(actor, row)))
      .groupBy(trainingParticipants.state),
    db
      .select({ id: trainingSubmissions.id, confirmUnitId: trainingSubmissions.confirmUnitId, confirmUnitName: units.name, state: trainingSubmissions.state, participants: trainingSubmissions.participants, returnReason: trainingSubmissions.returnReason, submittedAt: trainingSubmissions.submittedAt, institutionId: trainingSubmissions.institutionId, submitterKind: submitterKindSql })
      .from(trainingSubmissions)
      .innerJoin(units, eq(units.id, trainingSubmissions.confirmUnitId))
      .where(and(eq(trainingSubmissions.projectId, projectId), actor.role === 'institution' || actor.unitId === row.ownerUnitId ? undefined : inJurisdiction(actor, trainingSubmissions.confirmUnitPath)))
      .orderBy(asc(units.code)),
  ]);
  // The project's own steps, then those of the result submissions the actor sees.
  const timeline = await db
    .select({ id: caseEvents.id, flow: caseEvents.flow, action: caseEvents.action, toState: caseEvents.toState, reason: caseEvents.reason, accountName: caseEvents.accountName, unitName: caseEvents.unitName, createdAt: caseEvents.createdAt })
    .from(caseEvents)
    .where(
      sql`(${caseEvents.flow} = 'training.project' and ${caseEvents.caseId} = ${projectId})${
        submissions.length ? sql` or (${caseEvents.flow} = 'training.submission' and ${inArray(caseEvents.caseId, submissions.map((s) => s.id))})` : sql``
      }`,
    )
    .orderBy(asc(caseEvents.id));
  const counts = { enrolled: 0, submitted: 0, returned: 0, confirmed: 0 } as Record<ParticipantState, number>;
  for (const c of countRows) counts[c.state] = c.count;
  const readyToSubmit = countRows.filter((c) => c.state === 'enrolled' || c.state === 'returned').reduce((sum, c) => sum + c.withResult, 0);
  const isInstitution = actor.role === 'institution' && institutions.some((i) => i.id === actor.unitId);
  const owner = can(actor, 'training.manage') && actor.unitId === row.ownerUnitId;
  const below = actor.unitPath.startsWith(`${row.ownerPath}.`);
  const { ownerPath: _ownerPath, ...detail } = row;
  void _ownerPath;
  return {
    ...detail,
    enrolled: Object.values(counts).reduce((a, b) => a + b, 0),
    confirmed: counts.confirmed,
    institutions,
    counts,
    readyToSubmit,
    submissions: submissions.map(({ institutionId, submitterKind, ...s }) => ({ ...s, actions: availableActions(actor, submissionChain, submissionParties, { confirmUnitId: s.confirmUnitId, institutionId, submitterKind }, s.state) })),
    timeline,
    may: {
      enrol: row.state === 'registered' && (owner || isInstitution),
      results: maySubmitResults(actor, { state: row.state, ownerUnitId: row.ownerUnitId, institutionIds: institutions.map((i) => i.id) }),
      nominate: row.state === 'registered' && row.nominationOpen && below && can(actor, 'training.nominate'),
      decide: availableActions(actor, projectChain, projectParties, { ownerUnitId: row.ownerUnitId, ownerParentId: row.ownerParentId }, row.state),
    },
  };
}

/** The owner and the institutions see every participant; anyone else those of its own jurisdiction (a province its teachers, a school its own). */
function participantsVisibleTo(actor: Actor, project: { ownerUnitId: number }): SQL | undefined {
  if (actor.role === 'institution' || actor.unitId === project.ownerUnitId) return undefined;
  return inJurisdiction(actor, trainingParticipants.schoolPath);
}

export interface ParticipantRow {
  id: number;
  teacherName: string;
  teacherIdMasked: string;
  schoolName: string;
  state: ParticipantState;
  attendedHours: number | null;
  passed: boolean | null;
  score: number | null;
  certificateNo: string | null;
  returnReason: string | null;
  credits: number | null;
  confirmUnitId: number;
}

/** A project's participants as the actor may see them: name, masked ID number, school and result; nothing else of the record. */
export async function listParticipants(actor: Actor, projectId: number, options: { state?: ParticipantState | ParticipantState[]; confirmUnitId?: number; sample?: number; after?: number; limit?: number } = {}): Promise<{ rows: ParticipantRow[]; hasMore: boolean }> {
  const project = await getProjectOwner(actor, projectId);
  const db = await getDb();
  const limit = options.limit ?? 100;
  const where = and(
    eq(trainingParticipants.projectId, projectId),
    participantsVisibleTo(actor, project),
    options.state ? (Array.isArray(options.state) ? inArray(trainingParticipants.state, options.state) : eq(trainingParticipants.state, options.state)) : undefined,
    options.confirmUnitId ? eq(trainingParticipants.confirmUnitId, options.confirmUnitId) : undefined,
    options.after ? sql`${trainingParticipants.id} > ${options.after}` : undefined,
  );
  const query = db
    .select({
      id: trainingParticipants.id,
      teacherName: trainingParticipants.teacherName,
      teacherIdMasked: trainingParticipants.teacherIdMasked,
      schoolName: trainingParticipants.schoolName,
      state: trainingParticipants.state,
      attendedHours: trainingParticipants.attendedHours,
      passed: trainingParticipants.passed,
      score: trainingParticipants.score,
      certificateNo: trainingParticipants.certificateNo,
      returnReason: trainingParticipants.returnReason,
      credits: trainingParticipants.credits,
      confirmUnitId: trainingParticipants.confirmUnitId,
    })
    .from(trainingParticipants)
    .where(where);
  // 抽查: a random sample of the rows waiting, for the reviewer to check against the institution's records.
  if (options.sample) return { rows: await query.orderBy(sql`random()`).limit(options.sample), hasMore: false };
  const rows = await query.orderBy(asc(trainingParticipants.id)).limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

async function getProjectOwner(actor: Actor, projectId: number): Promise<{ ownerUnitId: number }> {
  const [row] = await (await getDb()).select({ ownerUnitId: trainingProjects.ownerUnitId }).from(trainingProjects).where(and(eq(trainingProjects.id, projectId), projectVisibleTo(actor)));
  if (!row) throw new NotFoundError('培训项目不存在或不在您的管辖范围内');
  return row;
}

/** Institutions the actor's authority may name on a project (a school: its authority's). */
export async function usableInstitutions(actor: Actor): Promise<{ id: number; code: string; name: string }[]> {
  const authorityId = actor.unitKind === 'school' ? actor.unitParentId : actor.unitId;
  if (!authorityId) return [];
  return (await getDb())
    .select({ id: units.id, code: units.code, name: units.name })
    .from(trainingInstitutionAuthorities)
    .innerJoin(units, eq(units.id, trainingInstitutionAuthorities.institutionId))
    .where(and(eq(trainingInstitutionAuthorities.authorityId, authorityId), eq(units.status, 'active')))
    .orderBy(asc(units.code));
}

/** The school's serving teachers, for a manager filing or nominating on their behalf. */
export async function listSchoolTeacherChoices(actor: Actor): Promise<{ id: number; name: string }[]> {
  if (actor.unitKind !== 'school') return [];
  return (await getDb())
    .select({ id: teachers.id, name: teachers.name })
    .from(teachers)
    .where(and(eq(teachers.unitId, actor.unitId), sql`coalesce(${teachers.personnelStatus}, '') not like '3%'`))
    .orderBy(asc(teachers.name), asc(teachers.id))
    .limit(2000);
}
