import 'server-only';
import { and, asc, desc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { getDb, getStatisticsDb, rowsOf } from '@/lib/db';
import { caseEvents, rotations, rotationTargets, teachers, units, type RotationState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { caseVisibleTo } from '@/lib/auth/relations';
import { inJurisdiction, pathInJurisdiction } from '@/lib/auth/scope';
import { NotFoundError } from '@/lib/errors';
import { codeName } from '@/lib/indicators/code-tables';
import { todayIso } from '@/lib/indicators/form-schema';
import { monthIndex } from '@/lib/months';
import { statusChangeBlocked } from '@/lib/mobility/queries';
import { availableActions, type ResolvedAction } from '@/lib/workflow/chain';
import { awayRotationStates, isRotationDue, openRotationStates, rotationChain, rotationDueMonth, rotationParties, type RotationAction, type RotationParty } from './chain';
import { compulsorySchoolTypes, defaultRotationTargets, eligibleJoinedBy, keyTeacherLevels, planFigures, schoolYearMonths, type RotationListRow, type RotationPlanFigures, type RotationTargets, type RotationView } from './schemas';

const pageSize = 50;

const isAway = inArray(rotations.state, awayRotationStates);
/** SQL twin of isRotationDue. */
export const dueSoon = (month: string) => sql<boolean>`(${rotations.state} = 'active' and ${rotations.plannedEndMonth} <= ${month})`;

function viewCondition(actor: Actor, view: RotationView, dueMonth: string): SQL | undefined {
  if (view === 'waiting') return sql`(${rotations.waitingUnitId} = ${actor.unitId} or (${dueSoon(dueMonth)} and (${rotations.homeSchoolId} = ${actor.unitId} or ${rotations.hostSchoolId} = ${actor.unitId})))`;
  if (view === 'incoming') return inJurisdiction(actor, rotations.hostSchoolPath);
  if (view === 'outgoing') return inJurisdiction(actor, rotations.homeSchoolPath);
  return undefined;
}

export interface RotationFilters {
  view: RotationView;
  state?: RotationState | 'open' | 'away' | 'due';
  before?: number;
}

/** 交流轮岗: the rotations whose home or host school lies in the actor's jurisdiction, newest first. */
export async function listRotations(actor: Actor, filters: RotationFilters): Promise<{ rows: RotationListRow[]; hasMore: boolean }> {
  if (!can(actor, 'rotation.view')) throw new NotFoundError();
  const dueMonth = rotationDueMonth(todayIso());
  const conditions: (SQL | undefined)[] = [caseVisibleTo(actor, [rotations.homeSchoolPath, rotations.hostSchoolPath]), viewCondition(actor, filters.view, dueMonth)];
  if (filters.state === 'open') conditions.push(inArray(rotations.state, openRotationStates));
  else if (filters.state === 'away') conditions.push(isAway);
  else if (filters.state === 'due') conditions.push(dueSoon(dueMonth));
  else if (filters.state) conditions.push(eq(rotations.state, filters.state));
  if (filters.before) conditions.push(lt(rotations.id, filters.before));
  const rows = await (await getDb())
    .select({
      id: rotations.id,
      state: rotations.state,
      kind: rotations.kind,
      teacherName: rotations.teacherName,
      teacherIdMasked: rotations.teacherIdMasked,
      teacherGender: rotations.teacherGender,
      homeSchoolName: rotations.homeSchoolName,
      hostSchoolName: rotations.hostSchoolName,
      startMonth: rotations.startMonth,
      plannedEndMonth: rotations.plannedEndMonth,
      endMonth: rotations.endMonth,
      dueSoon: dueSoon(dueMonth),
      waitingUnitId: rotations.waitingUnitId,
      homeSchoolId: rotations.homeSchoolId,
    })
    .from(rotations)
    .where(and(...conditions))
    .orderBy(desc(rotations.id))
    .limit(pageSize + 1);
  return {
    hasMore: rows.length > pageSize,
    rows: rows.slice(0, pageSize).map(({ waitingUnitId, homeSchoolId, ...row }) => ({ ...row, teacherGender: codeName('gender', row.teacherGender), mine: waitingUnitId === actor.unitId || (row.dueSoon && homeSchoolId === actor.unitId) })),
  };
}

export interface RotationDetail {
  id: number;
  state: RotationState;
  kindName: string;
  teacherName: string;
  teacherIdMasked: string;
  teacherGender: string;
  /** Read-only core information, as the host school sees it in 交流来校. */
  teacherSummary: { label: string; value: string }[];
  recordHref: string | null;
  homeSchoolName: string;
  hostSchoolName: string;
  startMonth: string;
  plannedEndMonth: string;
  requestedEndMonth: string | null;
  endMonth: string | null;
  endKind: string | null;
  reason: string;
  documentNumber: string | null;
  rejectionReason: string | null;
  filedByName: string;
  filedAt: Date;
  dueSoon: boolean;
  events: { id: number; action: string; toState: string; reason: string | null; detail: Record<string, string> | null; accountName: string; unitName: string; createdAt: Date }[];
  actions: ResolvedAction<RotationState, RotationParty, RotationAction>[];
}

export async function getRotation(actor: Actor, rotationId: number): Promise<RotationDetail> {
  if (!can(actor, 'rotation.view')) throw new NotFoundError();
  const db = await getDb();
  const [row] = await db
    .select()
    .from(rotations)
    .where(and(eq(rotations.id, rotationId), caseVisibleTo(actor, [rotations.homeSchoolPath, rotations.hostSchoolPath])));
  if (!row) throw new NotFoundError('该交流轮岗不存在或不在您的管辖范围内');
  const [events, [teacher]] = await Promise.all([
    db
      .select({ id: caseEvents.id, action: caseEvents.action, toState: caseEvents.toState, reason: caseEvents.reason, detail: caseEvents.detail, accountName: caseEvents.accountName, unitName: caseEvents.unitName, createdAt: caseEvents.createdAt })
      .from(caseEvents)
      .where(and(eq(caseEvents.flow, 'rotation'), eq(caseEvents.caseId, row.id)))
      .orderBy(asc(caseEvents.id)),
    db.select({ unitPath: teachers.unitPath, record: teachers.record, highestEducation: teachers.highestEducation, titleLevel: teachers.titleLevel }).from(teachers).where(eq(teachers.id, row.teacherId)),
  ]);
  const basic = teacher?.record.basic ?? {};
  const name = (table: Parameters<typeof codeName>[0], value: unknown) => (typeof value === 'string' && value ? codeName(table, value) : '');
  return {
    id: row.id,
    state: row.state,
    kindName: codeName('rotationKind', row.kind),
    teacherName: row.teacherName,
    teacherIdMasked: row.teacherIdMasked,
    teacherGender: codeName('gender', row.teacherGender),
    teacherSummary: [
      { label: '岗位类别', value: name('postCategory', basic.postCategory) },
      { label: '最高学历', value: name('educationLevel', teacher?.highestEducation) },
      { label: '专业技术职务', value: name('teacherTitle', teacher?.titleLevel) },
      { label: '骨干教师', value: row.keyTeacher ? name('keyTeacherLevel', basic.keyTeacherLevel) || '是' : '否' },
    ].filter((item) => item.value),
    // The host school reads the rotation only; the record stays with the home school and its authorities.
    recordHref: teacher && pathInJurisdiction(actor, teacher.unitPath) && actor.role !== 'teacher' ? `/teachers/${row.teacherId}` : null,
    homeSchoolName: row.homeSchoolName,
    hostSchoolName: row.hostSchoolName,
    startMonth: row.startMonth,
    plannedEndMonth: row.plannedEndMonth,
    requestedEndMonth: row.requestedEndMonth,
    endMonth: row.endMonth,
    endKind: row.endKind,
    reason: row.reason,
    documentNumber: row.documentNumber,
    rejectionReason: row.rejectionReason,
    filedByName: row.filedByName,
    filedAt: row.filedAt,
    dueSoon: isRotationDue(row, todayIso()),
    events,
    // The chain says who may act; the dates say which of the home school's steps make sense now.
    actions: availableActions(actor, rotationChain, rotationParties, row, row.state).filter((step) => (step.action === 'cancel' ? row.startMonth > todayIso().slice(0, 7) : step.action === 'return' ? isRotationDue(row, todayIso()) : true)),
  };
}

/** The filing form's choices: the school's own teachers who may rotate now, and the county's other schools. */
export async function getRotationFilingChoices(actor: Actor): Promise<{ teachers: { id: number; name: string; staffNumber: string | null; joinSchoolDate: string | null }[]; schools: { id: number; code: string; name: string }[] }> {
  if (!can(actor, 'rotation.file')) throw new NotFoundError();
  const db = await getDb();
  const [own] = await db.select({ parentId: units.parentId }).from(units).where(eq(units.id, actor.unitId));
  const [candidates, schools] = await Promise.all([
    db
      .select({ id: teachers.id, name: teachers.name, staffNumber: teachers.staffNumber, joinSchoolDate: sql<string | null>`${teachers.record}->'basic'->>'joinSchoolDate'` })
      .from(teachers)
      .where(and(eq(teachers.unitId, actor.unitId), eq(teachers.recordState, 'effective'), sql`coalesce(${teachers.personnelStatus}, '100') like '1%'`, sql`not (${statusChangeBlocked})`))
      .orderBy(asc(teachers.name), asc(teachers.id))
      .limit(2000),
    own?.parentId
      ? db
          .select({ id: units.id, code: units.code, name: units.name })
          .from(units)
          .where(and(eq(units.parentId, own.parentId), eq(units.kind, 'school'), eq(units.status, 'active'), ne(units.id, actor.unitId)))
          .orderBy(asc(units.code))
          .limit(2000)
      : Promise.resolve([]),
  ]);
  return { teachers: candidates, schools };
}

export interface OwnRotation {
  id: number;
  state: RotationState;
  kindName: string;
  homeSchoolName: string;
  hostSchoolName: string;
  startMonth: string;
  plannedEndMonth: string;
  requestedEndMonth: string | null;
  endMonth: string | null;
}

/** The teacher's own rotations (/me): open ones and those ended in the last two years. */
export async function listOwnRotations(actor: Actor): Promise<OwnRotation[]> {
  if (actor.role !== 'teacher') return [];
  const rows = await (await getDb())
    .select({ id: rotations.id, state: rotations.state, kind: rotations.kind, homeSchoolName: rotations.homeSchoolName, hostSchoolName: rotations.hostSchoolName, startMonth: rotations.startMonth, plannedEndMonth: rotations.plannedEndMonth, requestedEndMonth: rotations.requestedEndMonth, endMonth: rotations.endMonth })
    .from(rotations)
    .innerJoin(teachers, eq(teachers.id, rotations.teacherId))
    .where(and(eq(teachers.accountId, actor.accountId), sql`(${rotations.state} in ('filed', 'active', 'extending') or (${rotations.state} = 'ended' and ${rotations.closedAt} > now() - interval '2 years'))`))
    .orderBy(desc(rotations.id))
    .limit(5);
  return rows.map(({ kind, ...row }) => ({ ...row, kindName: codeName('rotationKind', kind) }));
}

// --- The county's rotation plan -------------------------------------------------------------

export interface CountyChoice {
  id: number;
  name: string;
  path: string;
}

/** The county-tier authorities whose plan the actor may read: its own, or those below it. */
export async function listPlanCounties(actor: Actor): Promise<CountyChoice[]> {
  if (!can(actor, 'rotation.plan')) throw new NotFoundError();
  if (actor.unitTier === 'county') return [{ id: actor.unitId, name: actor.unitName, path: actor.unitPath }];
  return (await getDb())
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(and(eq(units.kind, 'authority'), eq(units.tier, 'county'), inJurisdiction(actor, units.path)))
    .orderBy(asc(units.path))
    .limit(5000);
}

async function planCounty(actor: Actor, countyId: number): Promise<CountyChoice> {
  if (!can(actor, 'rotation.plan')) throw new NotFoundError();
  const [county] = await (await getDb())
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(and(eq(units.id, countyId), eq(units.kind, 'authority'), eq(units.tier, 'county'), inJurisdiction(actor, units.path)));
  if (!county) throw new NotFoundError('该县级教育行政部门不存在或不在您的管辖范围内');
  return county;
}

export interface RotationPlanSchool extends RotationPlanFigures {
  schoolId: number;
  code: string;
  name: string;
}

export interface RotationPlan {
  county: CountyChoice;
  year: number;
  targets: RotationTargets;
  /** Set by the county for this year (otherwise the national floor applies). */
  targetsSetBy: { name: string; at: Date } | null;
  joinedBy: string;
  schools: RotationPlanSchool[];
  total: RotationPlanFigures;
}

const compulsoryTypes = sql.join(compulsorySchoolTypes.map((code) => sql`${code}`), sql`, `);
const keyLevels = sql.join(keyTeacherLevels.map((code) => sql`${code}`), sql`, `);

/** The plan's counts per compulsory-education school under a path, in one statement (the bench times it over larger subtrees too). */
export async function planCountsBySchool(db: Awaited<ReturnType<typeof getDb>>, path: string, year: number, joinedBy: string) {
  const { from: yearFrom, until: yearUntil } = schoolYearMonths(year);
  return rowsOf<{ id: number; code: string; name: string; eligible: number; planned: number; planned_key: number; rotating_now: number }>(
    await db.execute(sql`
      with schools as (
        select id, code, name from units
        where kind = 'school' and status = 'active' and path <@ ${path}::ltree and school_type_code in (${compulsoryTypes})
      ),
      eligible as (
        select t.unit_id, count(*)::int as eligible from teachers t
        where t.unit_path <@ ${path}::ltree and t.school_type_code in (${compulsoryTypes})
          and t.record_state = 'effective' and (t.personnel_status is null or t.personnel_status not like '3%')
          and t.record->'basic'->>'joinSchoolDate' <= ${joinedBy}
        group by t.unit_id
      ),
      planned as (
        select home_school_id as unit_id, teacher_id, key_teacher as key, state in ('active', 'extending') as away, start_month between ${yearFrom} and ${yearUntil} as this_year
        from rotations where home_school_path <@ ${path}::ltree and state not in ('rejected', 'withdrawn')
          and (start_month between ${yearFrom} and ${yearUntil} or state in ('active', 'extending'))
        union all
        select tr.sending_school_id, tr.teacher_id, coalesce(t.record->'basic'->>'keyTeacherLevel' in (${keyLevels}), false), false, true
        from transfers tr join teachers t on t.id = tr.teacher_id
        where tr.kind = 'rotation' and tr.sending_school_path <@ ${path}::ltree and tr.state not in ('rejected', 'withdrawn') and tr.planned_arrival_month between ${yearFrom} and ${yearUntil}
      ),
      -- Teachers, not cases: one who ends early and goes again, or goes both ways, counts once.
      planned_teachers as (
        select unit_id, teacher_id, bool_or(this_year) as this_year, bool_or(this_year and key) as key, bool_or(away) as away
        from planned group by unit_id, teacher_id
      ),
      planned_by_school as (
        select unit_id, count(*) filter (where this_year)::int as planned, count(*) filter (where this_year and key)::int as planned_key, count(*) filter (where away)::int as rotating_now
        from planned_teachers group by unit_id
      )
      select s.id, s.code, s.name, coalesce(e.eligible, 0) as eligible, coalesce(p.planned, 0) as planned, coalesce(p.planned_key, 0) as planned_key, coalesce(p.rotating_now, 0) as rotating_now
      from schools s left join eligible e on e.unit_id = s.id left join planned_by_school p on p.unit_id = s.id
      order by s.code`),
  );
}

/**
 * The county's rotation plan for a year (seed 七(二)): per compulsory-education school, the teachers
 * eligible (serving, effective record, at the school since September N years before), the year's
 * rotations in both modes (人走关系留 and, as transfers of kind rotation, 人走关系走), those away now,
 * and the key-teacher share, against the county's targets. One statement over the county's subtree.
 */
export async function getRotationPlan(actor: Actor, input: { countyId: number; year: number }): Promise<RotationPlan> {
  const county = await planCounty(actor, input.countyId);
  const db = await getDb();
  const [setting] = await db.select().from(rotationTargets).where(and(eq(rotationTargets.countyId, county.id), eq(rotationTargets.year, input.year)));
  const targets: RotationTargets = setting ? { eligibleYears: setting.eligibleYears, minSharePermille: setting.minSharePermille, minKeySharePermille: setting.minKeySharePermille } : defaultRotationTargets;
  const joinedBy = eligibleJoinedBy(input.year, targets.eligibleYears);
  const rows = await planCountsBySchool(db, county.path, input.year, joinedBy);
  const schools = rows.map((row) => ({ schoolId: row.id, code: row.code, name: row.name, ...planFigures({ eligible: row.eligible, planned: row.planned, plannedKey: row.planned_key, rotatingNow: row.rotating_now }, targets) }));
  const sum = (key: 'eligible' | 'planned' | 'plannedKey' | 'rotatingNow') => schools.reduce((total, school) => total + school[key], 0);
  return {
    county,
    year: input.year,
    targets,
    targetsSetBy: setting ? { name: setting.updatedByName, at: setting.updatedAt } : null,
    joinedBy,
    schools,
    total: planFigures({ eligible: sum('eligible'), planned: sum('planned'), plannedKey: sum('plannedKey'), rotatingNow: sum('rotatingNow') }, targets),
  };
}

export interface EligibleTeacher {
  id: number;
  name: string;
  idNumberMasked: string;
  gender: string;
  schoolName: string;
  joinSchoolDate: string;
  years: number;
  keyTeacher: string | null;
  statusCode: string | null;
  /** This year's rotation, if any (both modes). */
  rotationState: string | null;
}

/** The plan's drill-down: the eligible teachers of one school (or the whole county), paged by id. */
export async function listEligibleTeachers(actor: Actor, input: { countyId: number; year: number; schoolId?: number; after?: number }): Promise<{ county: CountyChoice; schoolName: string | null; joinedBy: string; rows: EligibleTeacher[]; hasMore: boolean }> {
  const county = await planCounty(actor, input.countyId);
  const db = await getDb();
  const [setting] = await db.select({ eligibleYears: rotationTargets.eligibleYears }).from(rotationTargets).where(and(eq(rotationTargets.countyId, county.id), eq(rotationTargets.year, input.year)));
  const joinedBy = eligibleJoinedBy(input.year, setting?.eligibleYears ?? defaultRotationTargets.eligibleYears);
  let schoolName: string | null = null;
  if (input.schoolId) {
    const [school] = await db.select({ name: units.name }).from(units).where(and(eq(units.id, input.schoolId), eq(units.kind, 'school'), sql`${units.path} <@ ${county.path}::ltree`));
    if (!school) throw new NotFoundError('该学校不在本县');
    schoolName = school.name;
  }
  const joinSchool = sql<string>`${teachers.record}->'basic'->>'joinSchoolDate'`;
  const { from: yearFrom, until: yearUntil } = schoolYearMonths(input.year);
  const rows = await db
    .select({
      id: teachers.id,
      name: teachers.name,
      idNumberMasked: teachers.idNumberMasked,
      gender: teachers.gender,
      schoolName: units.name,
      joinSchoolDate: joinSchool,
      keyLevel: sql<string | null>`${teachers.record}->'basic'->>'keyTeacherLevel'`,
      statusCode: teachers.personnelStatus,
      rotationState: sql<string | null>`coalesce(
        (select ro.state::text from rotations ro where ro.teacher_id = "teachers"."id" and ro.state not in ('rejected', 'withdrawn') and (ro.start_month between ${yearFrom} and ${yearUntil} or ro.state in ('active', 'extending')) order by ro.id desc limit 1),
        (select 'transfer' from transfers tr where tr.teacher_id = "teachers"."id" and tr.kind = 'rotation' and tr.state not in ('rejected', 'withdrawn') and tr.planned_arrival_month between ${yearFrom} and ${yearUntil} limit 1))`,
    })
    .from(teachers)
    .innerJoin(units, eq(units.id, teachers.unitId))
    .where(
      and(
        sql`${teachers.unitPath} <@ ${county.path}::ltree`,
        input.schoolId ? eq(teachers.unitId, input.schoolId) : undefined,
        // The plan's schools: active ones of the compulsory types, so the list adds up to its total.
        eq(units.kind, 'school'),
        eq(units.status, 'active'),
        sql`${units.schoolTypeCode} in (${compulsoryTypes})`,
        sql`${teachers.schoolTypeCode} in (${compulsoryTypes})`,
        eq(teachers.recordState, 'effective'),
        sql`(${teachers.personnelStatus} is null or ${teachers.personnelStatus} not like '3%')`,
        sql`${joinSchool} <= ${joinedBy}`,
        input.after ? sql`${teachers.id} > ${input.after}` : undefined,
      ),
    )
    .orderBy(asc(teachers.id))
    .limit(pageSize + 1);
  // Full years at the school by September of the plan year, as eligibility counts them.
  const planStart = monthIndex(schoolYearMonths(input.year).from);
  return {
    county,
    schoolName,
    joinedBy,
    hasMore: rows.length > pageSize,
    rows: rows.slice(0, pageSize).map(({ keyLevel, ...row }) => ({
      ...row,
      idNumberMasked: row.idNumberMasked ?? '',
      gender: codeName('gender', row.gender),
      years: Math.floor((planStart - monthIndex(row.joinSchoolDate)) / 12),
      keyTeacher: keyLevel && keyTeacherLevels.includes(keyLevel) ? codeName('keyTeacherLevel', keyLevel) : null,
    })),
  };
}

export interface RotationTotals {
  /** Home school in the jurisdiction, teacher away now. */
  awayNow: number;
  /** Host school in the jurisdiction, from schools outside it or inside. */
  hostedNow: number;
}

/** The dashboard's rotation figures for the actor's jurisdiction. */
export async function getRotationTotals(actor: Actor): Promise<RotationTotals> {
  if (!can(actor, 'rotation.view')) throw new NotFoundError();
  const [row] = await (await getStatisticsDb())
    .select({
      awayNow: sql<number>`count(*) filter (where ${inJurisdiction(actor, rotations.homeSchoolPath)})::int`,
      hostedNow: sql<number>`count(*) filter (where ${inJurisdiction(actor, rotations.hostSchoolPath)})::int`,
    })
    .from(rotations)
    .where(and(isAway, caseVisibleTo(actor, [rotations.homeSchoolPath, rotations.hostSchoolPath])));
  return row;
}
