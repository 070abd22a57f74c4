import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { teachers, trainingInstitutionAuthorities, trainingParticipants, trainingProjectInstitutions, trainingProjects, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, can } from '@/lib/auth/policy';
import { mayAct } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { readTable } from '@/lib/spreadsheet/read-table';
import { idNumberHash } from '@/lib/teachers/identity';
import { normalizeIdNumber } from '@/lib/reference/id-number';
import { recordCaseOpened, transition } from '@/lib/workflow/service';
import { centralUnitId } from '../conversion/queries';
import { projectChain, projectParties, projectPartyLabels, type ProjectSubject } from '../chain';
import { maxEnrolmentRows, resultColumns, type EnrolByListInput, type NominateInput, type ProjectDecisionInput, type RegisterProjectInput } from '../schemas';
import type { TrainingLevel } from '../rules';

/** A project's level is its owner's tier (seed 七(三): 国家级 … 校级). */
const levelOfTier: Record<Actor['unitTier'], TrainingLevel> = { central: '1', province: '2', city: '3', county: '4', school: '5' };

/**
 * An authority registers a project (registered at once); a school registers its 校本研修 project,
 * which waits for its competent authority. The institutions named must be on the authority's list.
 */
export async function registerProject(actor: Actor, input: RegisterProjectInput): Promise<{ projectId: number }> {
  assertCan(actor, 'training.manage');
  const school = actor.unitKind === 'school';
  if (school && input.category !== '04') throw new ValidationError('学校登记的是校本研修项目', { category: ['学校只能登记“校本研修”项目，其他项目由教育行政部门登记'] });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: trainingProjects.id }).from(trainingProjects).where(eq(trainingProjects.code, input.code));
    if (taken) throw new ConflictError('项目编号已被使用', { code: ['该项目编号已被使用，请换一个'] });
    const institutionIds = [...new Set(input.institutionIds)];
    if (institutionIds.length > 0) {
      // A school's project may name the institutions its authority uses.
      const authorityId = school ? actor.unitParentId : actor.unitId;
      const usable = await tx
        .select({ id: trainingInstitutionAuthorities.institutionId })
        .from(trainingInstitutionAuthorities)
        .innerJoin(units, eq(units.id, trainingInstitutionAuthorities.institutionId))
        .where(and(eq(trainingInstitutionAuthorities.authorityId, authorityId ?? -1), inArray(trainingInstitutionAuthorities.institutionId, institutionIds), eq(units.status, 'active')));
      if (usable.length !== institutionIds.length) throw new ValidationError('承训机构无效', { institutionIds: ['所选承训机构不在本单位的培训机构名单中或已停用'] });
    } else if (!school) throw new ValidationError('请选择承训机构', { institutionIds: ['请至少选择一个承训机构'] });
    const [created] = await tx
      .insert(trainingProjects)
      .values({
        code: input.code,
        name: input.name,
        ownerUnitId: actor.unitId,
        ownerPath: actor.unitPath,
        ownerName: actor.unitName,
        level: levelOfTier[actor.unitTier],
        category: input.category,
        year: input.year,
        startDate: input.startDate,
        endDate: input.endDate,
        plannedHours: input.plannedHours,
        capacity: input.capacity,
        stages: input.stages,
        subjects: input.subjects,
        forPrincipals: input.forPrincipals,
        nominationOpen: !school && input.nominationOpen,
        description: input.description || null,
        state: school ? 'pending' : 'registered',
        waitingUnitId: school ? actor.unitParentId : null,
        createdBy: actor.accountId,
        createdByName: actor.displayName,
      })
      .onConflictDoNothing({ target: trainingProjects.code })
      .returning({ id: trainingProjects.id });
    if (!created) throw new ConflictError('项目编号已被使用', { code: ['该项目编号已被使用，请换一个'] });
    if (institutionIds.length > 0) await tx.insert(trainingProjectInstitutions).values(institutionIds.map((institutionId) => ({ projectId: created.id, institutionId })));
    await recordCaseOpened(tx, actor, 'training.project', created.id, school ? 'pending' : 'registered', null);
    await recordAudit(tx, actor, { action: 'training.project.register', targetType: 'training_project', targetId: created.id, detail: { code: input.code, name: input.name, category: input.category, year: input.year } });
    return { projectId: created.id };
  });
}

interface LoadedProject extends ProjectSubject {
  id: number;
  state: 'pending' | 'rejected' | 'registered' | 'cancelled';
  code: string;
  name: string;
  ownerPath: string;
  level: string;
  category: string;
  endDate: string;
  capacity: number;
  nominationOpen: boolean;
}

/** A project as a party of it reads it, locked for the step; anyone else finds nothing. */
async function loadProject(tx: Executor, projectId: number): Promise<LoadedProject> {
  const [row] = await tx
    .select({
      id: trainingProjects.id,
      state: trainingProjects.state,
      code: trainingProjects.code,
      name: trainingProjects.name,
      ownerUnitId: trainingProjects.ownerUnitId,
      ownerPath: trainingProjects.ownerPath,
      ownerParentId: units.parentId,
      level: trainingProjects.level,
      category: trainingProjects.category,
      endDate: trainingProjects.endDate,
      capacity: trainingProjects.capacity,
      nominationOpen: trainingProjects.nominationOpen,
    })
    .from(trainingProjects)
    .innerJoin(units, eq(units.id, trainingProjects.ownerUnitId))
    .where(eq(trainingProjects.id, projectId))
    .for('update', { of: trainingProjects });
  if (!row) throw new NotFoundError('培训项目不存在');
  return row;
}

/** The school's competent authority approves or rejects its 校本研修 project; the school may withdraw it. */
export async function decideProject(actor: Actor, input: ProjectDecisionInput): Promise<{ state: string }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await loadProject(tx, input.id);
    const isParty = mayAct(actor, projectParties(project, 'ownerSchool')) || mayAct(actor, projectParties(project, 'ownerAuthority'));
    if (!isParty) throw new NotFoundError('培训项目不存在或不在您的管辖范围内');
    const step = await transition(tx, actor, {
      flow: 'training.project',
      chain: projectChain,
      parties: projectParties,
      partyLabels: projectPartyLabels,
      subject: project,
      action: input.decision,
      reason: input.reason,
      advance: async (t, resolved) => {
        const moved = await t
          .update(trainingProjects)
          .set({ state: resolved.to, waitingUnitId: null, rejectionReason: resolved.to === 'rejected' ? input.reason : null, updatedAt: new Date() })
          .where(and(eq(trainingProjects.id, project.id), eq(trainingProjects.state, project.state)))
          .returning({ id: trainingProjects.id });
        return moved.length === 1;
      },
      audit: { unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { code: project.code } },
    });
    return { state: step.to };
  });
}

/** Who may enrol participants: the owner's information manager, or an institution of the project. */
async function assertMayEnrol(tx: Executor, actor: Actor, project: LoadedProject): Promise<void> {
  if (actor.role === 'institution') {
    const [linked] = await tx.select({ id: trainingProjectInstitutions.projectId }).from(trainingProjectInstitutions).where(and(eq(trainingProjectInstitutions.projectId, project.id), eq(trainingProjectInstitutions.institutionId, actor.unitId)));
    if (!linked) throw new NotFoundError('培训项目不存在');
    return;
  }
  const inJurisdiction = project.ownerPath === actor.unitPath || project.ownerPath.startsWith(`${actor.unitPath}.`);
  if (!inJurisdiction) throw new NotFoundError('培训项目不存在');
  if (!can(actor, 'training.manage') || actor.unitId !== project.ownerUnitId) throw new ForbiddenError('只有项目登记单位或承训机构可以报名参训教师');
}

export interface EnrolmentError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

export type EnrolmentOutcome = { ok: true; enrolled: number } | { ok: false; rows: number; errors: EnrolmentError[]; totalErrors: number };

const errorLimit = 200;

interface Candidate {
  key: string;
  id: number;
  inScope: boolean;
  left: boolean;
  unitId: number;
  unitPath: string;
  unitName: string;
  provinceUnitId: number | null;
  name: string;
  masked: string | null;
  enrolled: boolean;
}

/** Teachers by ID-number hash or by id, with what the enrolment checks of each. */
async function findCandidates(tx: Executor, project: LoadedProject, by: 'hash' | 'id', keys: string[]): Promise<Map<string, Candidate>> {
  const found = new Map<string, Candidate>();
  for (let start = 0; start < keys.length; start += 5000) {
    const slice = keys.slice(start, start + 5000);
    const rows = await tx
      .select({
        key: by === 'hash' ? sql<string>`${teachers.idNumberHash}` : sql<string>`${teachers.id}::text`,
        id: teachers.id,
        inScope: sql<boolean>`${teachers.unitPath} <@ ${project.ownerPath}::ltree`,
        left: sql<boolean>`coalesce(${teachers.personnelStatus} like '3%', false)`,
        unitId: teachers.unitId,
        unitPath: teachers.unitPath,
        unitName: units.name,
        provinceUnitId: teachers.provinceUnitId,
        name: teachers.name,
        masked: teachers.idNumberMasked,
        enrolled: sql<boolean>`exists (select 1 from ${trainingParticipants} p where p.project_id = ${project.id} and p.teacher_id = ${teachers.id})`,
      })
      .from(teachers)
      .innerJoin(units, eq(units.id, teachers.unitId))
      .where(by === 'hash' ? inArray(teachers.idNumberHash, slice) : inArray(teachers.id, slice.map(Number)));
    for (const row of rows) found.set(row.key, row);
  }
  return found;
}

/**
 * Enrols teachers, all or nothing: an unknown teacher, one outside the reach of the enroller, one who
 * left, one already enrolled or beyond the capacity makes the row an error and nothing is written.
 */
async function enrolCandidates(tx: Executor, actor: Actor, project: LoadedProject, by: 'hash' | 'id', totalRows: number, wanted: { rowNumber: number; value: string; key: string }[], errors: EnrolmentError[], reach: (teacher: Candidate) => boolean): Promise<EnrolmentOutcome> {
  const fail = (rowNumber: number, value: string, message: string) => errors.push({ rowNumber, column: resultColumns.idNumber, value, message });
  const found = await findCandidates(tx, project, by, wanted.map((w) => w.key));
  const enrol: { rowNumber: number; teacher: Candidate }[] = [];
  for (const item of wanted) {
    const teacher = found.get(item.key);
    // Out of reach looks like unknown: the list must not reveal who is registered elsewhere.
    // An institution learns nothing of whom a number belongs to: one message for every refusal but a duplicate.
    if (actor.role === 'institution' && (!teacher || !teacher.inScope || teacher.left || teacher.enrolled)) fail(item.rowNumber, item.value, teacher?.enrolled && teacher.inScope ? '已在本项目的参训名单中' : '该身份证件号码不能报名（不在范围内或已离开教师岗位），请与项目登记单位核实');
    else if (!teacher || !teacher.inScope || !reach(teacher)) fail(item.rowNumber, item.value, '管辖范围内没有该身份证件号码的教师');
    else if (teacher.left) fail(item.rowNumber, item.value, `${teacher.name}已离开教师岗位，不能报名`);
    else if (teacher.enrolled) fail(item.rowNumber, item.value, `${teacher.name}已在本项目的参训名单中`);
    else enrol.push({ rowNumber: item.rowNumber, teacher });
  }
  const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(trainingParticipants).where(eq(trainingParticipants.projectId, project.id));
  if (errors.length === 0 && count + enrol.length > project.capacity) {
    const room = Math.max(0, project.capacity - count);
    for (const item of enrol.slice(room)) fail(item.rowNumber, item.teacher.masked ?? '', `超出计划人数 ${project.capacity}（已报名 ${count} 人）`);
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.rowNumber - b.rowNumber);
    return { ok: false, rows: totalRows, errors: errors.slice(0, errorLimit), totalErrors: errors.length };
  }
  // A national project's credits are confirmed by each teacher's province under its own rule.
  const central = project.level === '1' ? await centralUnitId(tx) : null;
  for (let start = 0; start < enrol.length; start += 2000) {
    await tx.insert(trainingParticipants).values(
      enrol.slice(start, start + 2000).map(({ teacher }) => ({
        projectId: project.id,
        teacherId: teacher.id,
        schoolId: teacher.unitId,
        schoolPath: teacher.unitPath,
        schoolName: teacher.unitName,
        // A school's 校本研修 project is confirmed by its competent authority.
        confirmUnitId: project.level === '1' ? (teacher.provinceUnitId ?? central!) : project.level === '5' ? project.ownerParentId! : project.ownerUnitId,
        teacherName: teacher.name,
        teacherIdMasked: teacher.masked ?? '',
        enrolledBy: actor.accountId,
      })),
    );
  }
  await recordAudit(tx, actor, { action: 'training.enrol', unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { enrolled: enrol.length } });
  return { ok: true, enrolled: enrol.length };
}

async function enrolIdNumbers(actor: Actor, projectId: number, lines: { rowNumber: number; value: string }[]): Promise<EnrolmentOutcome> {
  if (lines.length === 0) throw new ValidationError('名单中没有身份证件号码', { idNumbers: ['请粘贴参训教师的身份证件号码，每行一个'] });
  if (lines.length > maxEnrolmentRows) throw new ValidationError(`一次最多报名 ${maxEnrolmentRows.toLocaleString('zh-CN')} 人，请分批导入`);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await loadProject(tx, projectId);
    await assertMayEnrol(tx, actor, project);
    if (project.state !== 'registered') throw new ConflictError('项目尚未登记生效，不能报名');
    const errors: EnrolmentError[] = [];
    const seen = new Map<string, number>();
    const wanted: { rowNumber: number; value: string; key: string }[] = [];
    for (const line of lines) {
      const value = normalizeIdNumber(line.value).toUpperCase();
      if (!/^[0-9A-Z]{6,32}$/.test(value)) errors.push({ rowNumber: line.rowNumber, column: resultColumns.idNumber, value: line.value, message: '身份证件号码格式不正确' });
      else if (seen.has(value)) errors.push({ rowNumber: line.rowNumber, column: resultColumns.idNumber, value: line.value, message: `与第 ${seen.get(value)} 行重复` });
      else {
        seen.set(value, line.rowNumber);
        wanted.push({ rowNumber: line.rowNumber, value, key: idNumberHash(value) });
      }
    }
    return enrolCandidates(tx, actor, project, 'hash', lines.length, wanted, errors, () => true);
  });
}

/** A pasted list: one ID number per line (anything after the first space, tab or comma is ignored, e.g. a name). */
export async function enrolByList(actor: Actor, input: EnrolByListInput): Promise<EnrolmentOutcome> {
  const lines = input.idNumbers
    .split(/\r?\n/)
    .map((line, index) => ({ rowNumber: index + 1, value: line.trim().split(/[\s,，\t]+/)[0] ?? '' }))
    .filter((line) => line.value !== '');
  return enrolIdNumbers(actor, input.projectId, lines);
}

/** A spreadsheet with a 身份证件号码 column. */
export async function enrolByFile(actor: Actor, projectId: number, file: { name: string; bytes: Uint8Array }): Promise<EnrolmentOutcome> {
  const table = await readTable(file, { maxRows: maxEnrolmentRows });
  if (!table.headers.includes(resultColumns.idNumber)) throw new ValidationError(`文件缺少“${resultColumns.idNumber}”列`);
  return enrolIdNumbers(
    actor,
    projectId,
    table.rows.map((row) => ({ rowNumber: row.rowNumber, value: row.cells[resultColumns.idNumber] ?? '' })),
  );
}

/** A school nominates its own teachers to a project open for nomination by an authority above it. */
export async function nominateTeachers(actor: Actor, input: NominateInput): Promise<EnrolmentOutcome> {
  assertCan(actor, 'training.nominate');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await loadProject(tx, input.projectId);
    const below = project.ownerPath === actor.unitPath || actor.unitPath.startsWith(`${project.ownerPath}.`);
    if (!below || project.state !== 'registered') throw new NotFoundError('培训项目不存在');
    if (!project.nominationOpen) throw new ConflictError('该项目未开放学校推荐');
    if (project.endDate < todayIso()) throw new ConflictError('项目已结束，不能再推荐');
    const wanted = [...new Set(input.teacherIds)].map((id, index) => ({ rowNumber: index + 1, value: String(id), key: String(id) }));
    return enrolCandidates(tx, actor, project, 'id', wanted.length, wanted, [], (teacher) => teacher.unitId === actor.unitId);
  });
}

/** The owner (or its institution) takes a participant off the list before any result is in. */
export async function withdrawParticipant(actor: Actor, input: { projectId: number; participantId: number }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const project = await loadProject(tx, input.projectId);
    await assertMayEnrol(tx, actor, project);
    const [removed] = await tx
      .delete(trainingParticipants)
      .where(and(eq(trainingParticipants.id, input.participantId), eq(trainingParticipants.projectId, project.id), eq(trainingParticipants.state, 'enrolled')))
      .returning({ id: trainingParticipants.id, name: trainingParticipants.teacherName });
    if (!removed) throw new ConflictError('该教师已有考核结果或不在名单中，不能移出');
    await recordAudit(tx, actor, { action: 'training.unenrol', unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { participant: removed.id } });
  });
}
