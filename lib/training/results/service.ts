import 'server-only';
import ExcelJS from 'exceljs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { teachers, trainingParticipants, trainingProjectInstitutions, trainingProjects, trainingSubmissions, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { mayAct } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { normalizeIdNumber } from '@/lib/reference/id-number';
import { readTable } from '@/lib/spreadsheet/read-table';
import { neutralizeFormula, workbookBytes } from '@/lib/spreadsheet/write';
import { idNumberHash } from '@/lib/teachers/identity';
import { recordCaseOpened, transition } from '@/lib/workflow/service';
import { RuleBook } from '../conversion/queries';
import { finishConfirmation, writeConfirmedTraining } from '../ledger/service';
import { creditsText, entryCredits, type TrainingCategory, type TrainingLevel } from '../rules';
import { maySubmitResults, submissionChain, submissionParties, submissionPartyLabels, submissionWaitingUnitOf, type SubmissionState } from '../chain';
import { submitterKindSql } from '../projects/queries';
import { maxResultRows, recordCategoryOf, recordModeOf, resultColumns, type ResultInput, type ReviewSubmissionInput, type SaveResultsInput } from '../schemas';

interface InstitutionProject {
  id: number;
  code: string;
  name: string;
  ownerPath: string;
  endDate: string;
  plannedHours: number;
}

/** Results are entered by an institution's submitting account or, for its own project, a school's information manager. */
function assertResultsSubmitter(actor: Actor): void {
  assertCan(actor, actor.unitKind === 'school' ? 'training.manage' : 'training.results');
}

/**
 * A project as its results submitter reads it (maySubmitResults): one of its institutions, or the school
 * that runs it without one. Any other finds nothing (seed 七(三): the institution sees only its own projects).
 */
async function projectOfSubmitter(tx: Executor, actor: Actor, projectId: number): Promise<InstitutionProject> {
  assertResultsSubmitter(actor);
  const [project] = await tx
    .select({
      id: trainingProjects.id,
      code: trainingProjects.code,
      name: trainingProjects.name,
      ownerPath: trainingProjects.ownerPath,
      endDate: trainingProjects.endDate,
      plannedHours: trainingProjects.plannedHours,
      state: trainingProjects.state,
      ownerUnitId: trainingProjects.ownerUnitId,
      institutionIds: sql<number[]>`array(select pi.institution_id from ${trainingProjectInstitutions} pi where pi.project_id = ${trainingProjects.id})`,
    })
    .from(trainingProjects)
    .where(eq(trainingProjects.id, projectId));
  if (!project || !maySubmitResults(actor, { ...project, institutionIds: project.institutionIds.map(Number) })) throw new NotFoundError('培训项目不存在');
  return project;
}

function assertEnded(project: InstitutionProject): void {
  if (project.endDate > todayIso()) throw new ConflictError(`项目 ${project.endDate} 结束后才能填报考核结果`);
}

interface ResultRow {
  participantId: number;
  attendedHours: number;
  passed: boolean;
  score: number | null;
  certificateNo: string | null;
}

/** Writes results of participants still open (enrolled, or returned for correction): all of them or none. */
async function writeResults(tx: Executor, actor: Actor, project: InstitutionProject, rows: ResultRow[]): Promise<number> {
  for (let start = 0; start < rows.length; start += 1000) {
    const slice = rows.slice(start, start + 1000);
    const values = sql.join(
      slice.map((r) => sql`(${r.participantId}::int, ${r.attendedHours}::numeric, ${r.passed}::boolean, ${r.score}::numeric, ${r.certificateNo}::text)`),
      sql`, `,
    );
    const updated = rowsOf<{ id: number }>(
      await tx.execute(sql`
        update training_participants p set attended_hours = v.hours, passed = v.passed, score = v.score, certificate_no = v.certificate,
          result_by = ${actor.accountId}, result_at = now()
        from (values ${values}) as v(id, hours, passed, score, certificate)
        where p.id = v.id and p.project_id = ${project.id} and p.state in ('enrolled', 'returned')
        returning p.id`),
    );
    if (updated.length !== slice.length) throw new ConflictError('部分参训教师的结果已提交或已确认，不能再修改；请刷新后重试');
  }
  await recordAudit(tx, actor, { action: 'training.results.save', unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { rows: rows.length } });
  return rows.length;
}

const toRow = (input: ResultInput): ResultRow => ({ participantId: input.participantId, attendedHours: input.attendedHours, passed: input.passed === '1', score: input.score ?? null, certificateNo: input.certificateNo || null });

/** Online entry: the institution fills results in the participants table. */
export async function saveResults(actor: Actor, input: SaveResultsInput): Promise<{ saved: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await projectOfSubmitter(tx, actor, input.projectId);
    assertEnded(project);
    const over: [string, string[]][] = input.results.flatMap((row, i) => (row.attendedHours > project.plannedHours ? [[`results.${i}.attendedHours`, [`实际学时不能超过计划学时 ${project.plannedHours}`]] as [string, string[]]] : []));
    if (over.length > 0) throw new ValidationError(`有 ${over.length} 人的实际学时超过计划学时 ${project.plannedHours}`, Object.fromEntries(over));
    return { saved: await writeResults(tx, actor, project, input.results.map(toRow)) };
  });
}

export interface ResultRowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

export type ResultImportOutcome =
  | { ok: true; rows: number; applied: boolean; passed: number; failed: number }
  | { ok: false; rows: number; errors: ResultRowError[]; totalErrors: number; errorFile: string };

/** The uploaded rows with an error column, for the institution to correct and upload again. ID numbers are masked. */
async function buildErrorFile(headers: string[], rows: { rowNumber: number; cells: Record<string, string> }[], errors: ResultRowError[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('错误');
  sheet.addRow(['行号', ...headers, '错误说明']);
  const byRow = new Map<number, string[]>();
  for (const error of errors) (byRow.get(error.rowNumber) ?? byRow.set(error.rowNumber, []).get(error.rowNumber)!).push(`${error.column}：${error.message}`);
  for (const row of rows) {
    const messages = byRow.get(row.rowNumber);
    if (!messages) continue;
    sheet.addRow([row.rowNumber, ...headers.map((h) => neutralizeFormula(h === resultColumns.idNumber ? maskLoose(row.cells[h] ?? '') : (row.cells[h] ?? ''))), messages.join('；')]);
  }
  sheet.getRow(1).font = { bold: true };
  return (await workbookBytes(workbook)).toString('base64');
}

function maskLoose(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}` : value;
}

/** The results template: one row per open participant, with 参训编号, name, masked ID and school filled in. */
export async function buildResultsTemplate(actor: Actor, projectId: number): Promise<{ fileName: string; bytes: Buffer }> {
  const db = await getDb();
  const project = await projectOfSubmitter(db, actor, projectId);
  const rows = await db
    .select({ id: trainingParticipants.id, name: trainingParticipants.teacherName, masked: trainingParticipants.teacherIdMasked, school: trainingParticipants.schoolName, hours: trainingParticipants.attendedHours, passed: trainingParticipants.passed, score: trainingParticipants.score, certificateNo: trainingParticipants.certificateNo })
    .from(trainingParticipants)
    .where(and(eq(trainingParticipants.projectId, project.id), inArray(trainingParticipants.state, ['enrolled', 'returned'])))
    .orderBy(trainingParticipants.id);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('考核结果');
  sheet.addRow([resultColumns.participantNo, resultColumns.name, resultColumns.teacherIdMasked, resultColumns.school, resultColumns.attendedHours, resultColumns.passed, resultColumns.score, resultColumns.certificateNo]);
  for (const row of rows) sheet.addRow([String(row.id), neutralizeFormula(row.name), row.masked, neutralizeFormula(row.school), row.hours ?? '', row.passed === null ? '' : row.passed ? '合格' : '不合格', row.score ?? '', row.certificateNo ?? '']);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, index) => (column.width = [10, 10, 22, 28, 10, 10, 8, 20][index]));
  await recordAudit(db, actor, { action: 'training.results.template', unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { rows: rows.length } });
  return { fileName: `${project.code}-考核结果.xlsx`, bytes: await workbookBytes(workbook) };
}

const passedWords: Record<string, boolean> = { 合格: true, 通过: true, 不合格: false, 未通过: false };

/**
 * Results by spreadsheet: every row checked first (a dry run stops there); with no error and
 * `apply`, all rows are written in one transaction, else nothing. Rows are matched to the project's
 * participants by ID number.
 */
export async function importResults(actor: Actor, projectId: number, file: { name: string; bytes: Uint8Array }, apply: boolean): Promise<ResultImportOutcome> {
  assertResultsSubmitter(actor);
  const table = await readTable(file, { maxRows: maxResultRows });
  const missing: string[] = [resultColumns.attendedHours, resultColumns.passed].filter((column) => !table.headers.includes(column));
  if (!table.headers.includes(resultColumns.participantNo) && !table.headers.includes(resultColumns.idNumber)) missing.unshift(`${resultColumns.participantNo}或${resultColumns.idNumber}`);
  if (missing.length > 0) throw new ValidationError(`文件缺少以下列：${missing.join('、')}。请使用本页提供的模板`);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await projectOfSubmitter(tx, actor, projectId);
    assertEnded(project);
    const list = await tx
      .select({ id: trainingParticipants.id, hash: teachers.idNumberHash, name: trainingParticipants.teacherName, state: trainingParticipants.state })
      .from(trainingParticipants)
      .innerJoin(teachers, eq(teachers.id, trainingParticipants.teacherId))
      .where(eq(trainingParticipants.projectId, project.id));
    const byHash = new Map(list.map((p) => [p.hash!, p]));
    const byNumber = new Map(list.map((p) => [String(p.id), p]));
    const errors: ResultRowError[] = [];
    const fail = (rowNumber: number, column: string, value: string, message: string) => errors.push({ rowNumber, column, value, message });
    const seen = new Map<number, number>();
    const rows: ResultRow[] = [];
    for (const row of table.rows) {
      const cell = (key: keyof typeof resultColumns) => row.cells[resultColumns[key]] ?? '';
      const number = cell('participantNo');
      const idNumber = normalizeIdNumber(cell('idNumber')).toUpperCase();
      const keyColumn = number ? resultColumns.participantNo : resultColumns.idNumber;
      const shown = number || maskLoose(idNumber);
      const participant = number ? byNumber.get(number) : idNumber ? byHash.get(idNumberHash(idNumber)) : undefined;
      const before = errors.length;
      if (!number && !idNumber) fail(row.rowNumber, keyColumn, '', '请填写参训编号或身份证件号码');
      else if (!participant) fail(row.rowNumber, keyColumn, shown, '该教师不在本项目的参训名单中');
      else if (seen.has(participant.id)) fail(row.rowNumber, keyColumn, shown, `与第 ${seen.get(participant.id)} 行是同一名教师`);
      else if (participant.state === 'submitted' || participant.state === 'confirmed') fail(row.rowNumber, keyColumn, shown, participant.state === 'confirmed' ? '该教师的学分已确认，不能再修改' : '该教师的结果已提交，待教育行政部门确认');
      else if (cell('name') && cell('name') !== participant.name) fail(row.rowNumber, resultColumns.name, cell('name'), '姓名与身份证件号码不符');
      const hoursText = cell('attendedHours');
      const hours = Number(hoursText);
      if (hoursText === '' || !Number.isFinite(hours) || hours < 0 || Math.abs(Math.round(hours * 10) - hours * 10) > 1e-9) fail(row.rowNumber, resultColumns.attendedHours, hoursText, '实际学时须为不小于 0 的数，最多一位小数');
      else if (hours > project.plannedHours) fail(row.rowNumber, resultColumns.attendedHours, hoursText, `实际学时不能超过计划学时 ${project.plannedHours}`);
      const passed = passedWords[cell('passed')];
      if (passed === undefined) fail(row.rowNumber, resultColumns.passed, cell('passed'), '考核结果须填写“合格”或“不合格”');
      const scoreText = cell('score');
      const score = scoreText === '' ? null : Number(scoreText);
      if (score !== null && (!Number.isFinite(score) || score < 0 || score > 100)) fail(row.rowNumber, resultColumns.score, scoreText, '成绩须为 0 至 100 之间的数');
      const certificate = cell('certificateNo');
      if (certificate.length > 64) fail(row.rowNumber, resultColumns.certificateNo, certificate.slice(0, 20), '证书编号不能超过 64 个字');
      if (participant) seen.set(participant.id, row.rowNumber);
      if (errors.length === before && participant) rows.push({ participantId: participant.id, attendedHours: hours, passed: passed!, score, certificateNo: certificate || null });
    }
    if (table.rows.length === 0) throw new ValidationError('文件中没有考核结果');
    if (errors.length > 0) return { ok: false, rows: table.rows.length, errors: errors.slice(0, 200), totalErrors: errors.length, errorFile: await buildErrorFile(table.headers, table.rows, errors) };
    if (apply) await writeResults(tx, actor, project, rows);
    return { ok: true, rows: rows.length, applied: apply, passed: rows.filter((r) => r.passed).length, failed: rows.filter((r) => !r.passed).length };
  });
}

/**
 * The institution submits the results entered: each confirming authority gets its part (the owner,
 * or for a national project each teacher's province). A returned part goes back to the same authority.
 */
export async function submitResults(actor: Actor, input: { projectId: number }): Promise<{ submissions: number; participants: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const project = await projectOfSubmitter(tx, actor, input.projectId);
    assertEnded(project);
    await tx.execute(sql`select id from training_projects where id = ${project.id} for update`);
    const open = await tx
      .select({ confirmUnitId: trainingParticipants.confirmUnitId, count: sql<number>`count(*)::int`, missing: sql<number>`(count(*) filter (where ${trainingParticipants.passed} is null))::int` })
      .from(trainingParticipants)
      .where(and(eq(trainingParticipants.projectId, project.id), inArray(trainingParticipants.state, ['enrolled', 'returned'])))
      .groupBy(trainingParticipants.confirmUnitId);
    const missing = open.reduce((sum, group) => sum + group.missing, 0);
    if (open.length === 0) throw new ConflictError('没有待提交的考核结果');
    if (missing > 0) throw new ValidationError(`尚有 ${missing} 名参训教师未填写考核结果，请填写后再提交`);
    const confirmUnits = await tx.select({ id: units.id, path: units.path }).from(units).where(inArray(units.id, open.map((g) => g.confirmUnitId)));
    const pathOf = new Map(confirmUnits.map((u) => [u.id, u.path]));
    for (const group of open) {
      const subject = { confirmUnitId: group.confirmUnitId, institutionId: actor.unitId, submitterKind: actor.unitKind === 'school' ? ('school' as const) : ('institution' as const) };
      const [existing] = await tx
        .select({ id: trainingSubmissions.id, state: trainingSubmissions.state })
        .from(trainingSubmissions)
        .where(and(eq(trainingSubmissions.projectId, project.id), eq(trainingSubmissions.confirmUnitId, group.confirmUnitId)))
        .for('update');
      const reopen = { state: 'submitted' as const, waitingUnitId: submissionWaitingUnitOf(subject, 'submitted'), returnReason: null, submittedAt: new Date(), submittedByName: actor.displayName, closedAt: null };
      if (!existing) {
        const [created] = await tx
          .insert(trainingSubmissions)
          .values({ projectId: project.id, confirmUnitId: group.confirmUnitId, confirmUnitPath: pathOf.get(group.confirmUnitId)!, institutionId: actor.unitId, state: 'submitted', participants: group.count, waitingUnitId: submissionWaitingUnitOf(subject, 'submitted'), submittedByName: actor.displayName })
          .returning({ id: trainingSubmissions.id });
        await recordCaseOpened(tx, actor, 'training.submission', created.id, 'submitted', null);
      } else if (existing.state === 'returned') {
        await transition(tx, actor, {
          flow: 'training.submission',
          chain: submissionChain,
          parties: submissionParties,
          partyLabels: submissionPartyLabels,
          subject: { ...subject, id: existing.id, state: existing.state },
          action: 'resubmit',
          advance: async (t) => (await t.update(trainingSubmissions).set(reopen).where(and(eq(trainingSubmissions.id, existing.id), eq(trainingSubmissions.state, 'returned'))).returning({ id: trainingSubmissions.id })).length === 1,
          audit: { unitPath: project.ownerPath, targetType: 'training_submission', targetId: existing.id, detail: { project: project.code } },
        });
      } else {
        // Latecomers to a part still waiting, or a new round after a confirmed one: the same authority again.
        await tx.update(trainingSubmissions).set(reopen).where(eq(trainingSubmissions.id, existing.id));
        if (existing.state === 'confirmed') await recordCaseOpened(tx, actor, 'training.submission', existing.id, 'submitted', null);
      }
    }
    const moved = await tx
      .update(trainingParticipants)
      .set({ state: 'submitted', returnReason: null })
      .where(and(eq(trainingParticipants.projectId, project.id), inArray(trainingParticipants.state, ['enrolled', 'returned'])))
      .returning({ id: trainingParticipants.id });
    // Each part counts what now waits for its authority.
    await tx.execute(sql`update training_submissions s set participants = (select count(*) from training_participants p where p.project_id = s.project_id and p.confirm_unit_id = s.confirm_unit_id and p.state = 'submitted') where s.project_id = ${project.id}`);
    await recordAudit(tx, actor, { action: 'training.results.submit', unitPath: project.ownerPath, targetType: 'training_project', targetId: project.id, detail: { participants: moved.length, authorities: open.length } });
    return { submissions: open.length, participants: moved.length };
  });
}

interface LoadedSubmission {
  id: number;
  state: SubmissionState;
  confirmUnitId: number;
  institutionId: number;
  institutionName: string;
  submitterKind: 'institution' | 'school';
  project: { id: number; code: string; name: string; ownerPath: string; level: TrainingLevel; category: TrainingCategory; year: number; endDate: string; forPrincipals: boolean };
}

async function loadSubmission(tx: Executor, submissionId: number): Promise<LoadedSubmission> {
  const [row] = await tx
    .select({
      id: trainingSubmissions.id,
      state: trainingSubmissions.state,
      confirmUnitId: trainingSubmissions.confirmUnitId,
      institutionId: trainingSubmissions.institutionId,
      institutionName: sql<string>`(select u.name from ${units} u where u.id = ${trainingSubmissions.institutionId})`,
      submitterKind: submitterKindSql,
      project: {
        id: trainingProjects.id,
        code: trainingProjects.code,
        name: trainingProjects.name,
        ownerPath: trainingProjects.ownerPath,
        level: sql<TrainingLevel>`${trainingProjects.level}`,
        category: sql<TrainingCategory>`${trainingProjects.category}`,
        year: trainingProjects.year,
        endDate: trainingProjects.endDate,
        forPrincipals: trainingProjects.forPrincipals,
      },
    })
    .from(trainingSubmissions)
    .innerJoin(trainingProjects, eq(trainingProjects.id, trainingSubmissions.projectId))
    .where(eq(trainingSubmissions.id, submissionId))
    .for('update', { of: trainingSubmissions });
  if (!row) throw new NotFoundError('考核结果不存在');
  return row;
}

/**
 * The confirming authority reviews an institution's results: confirms all, confirms the chosen and
 * returns the rest, or returns all, with a reason. Confirmation writes the credits (by each teacher's
 * province rule in force on the project's end day), the record entries, a record version of kind
 * training for every effective record, and the teachers' cycle standings, in this one transaction.
 */
export async function reviewSubmission(actor: Actor, input: ReviewSubmissionInput): Promise<{ confirmed: number; returned: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const submission = await loadSubmission(tx, input.id);
    const parties = [submissionParties(submission, 'confirmer'), submissionParties(submission, 'institution')];
    if (!parties.some((party) => mayAct(actor, party))) throw new NotFoundError('考核结果不存在或不在您的管辖范围内');
    const waiting = await tx
      .select({ id: trainingParticipants.id })
      .from(trainingParticipants)
      .where(and(eq(trainingParticipants.projectId, submission.project.id), eq(trainingParticipants.confirmUnitId, submission.confirmUnitId), eq(trainingParticipants.state, 'submitted')))
      .for('update');
    const waitingIds = new Set(waiting.map((w) => w.id));
    const action = input.action === 'confirm' && input.participantIds.length > 0 && input.participantIds.length < waitingIds.size ? 'confirmSome' : input.action;
    const chosen = action === 'confirm' ? [...waitingIds] : action === 'confirmSome' ? [...new Set(input.participantIds)] : [];
    if (chosen.some((id) => !waitingIds.has(id))) throw new ConflictError('所选教师中有已确认或不在本次结果中的，请刷新后重试');
    const chosenSet = new Set(chosen);
    const returned = [...waitingIds].filter((id) => !chosenSet.has(id));
    await transition(tx, actor, {
      flow: 'training.submission',
      chain: submissionChain,
      parties: submissionParties,
      partyLabels: submissionPartyLabels,
      subject: submission,
      action,
      reason: input.reason,
      advance: async (t, step) => {
        const moved = await t
          .update(trainingSubmissions)
          .set({ state: step.to, waitingUnitId: submissionWaitingUnitOf(submission, step.to), returnReason: step.to === 'returned' ? input.reason : null, closedAt: step.to === 'confirmed' ? new Date() : null })
          .where(and(eq(trainingSubmissions.id, submission.id), eq(trainingSubmissions.state, submission.state)))
          .returning({ id: trainingSubmissions.id });
        return moved.length === 1;
      },
      audit: { unitPath: submission.project.ownerPath, targetType: 'training_submission', targetId: submission.id, detail: { project: submission.project.code, confirmed: chosen.length, returned: returned.length } },
    });
    if (returned.length > 0) {
      for (let start = 0; start < returned.length; start += 5000) {
        await tx.update(trainingParticipants).set({ state: 'returned', returnReason: input.reason }).where(and(inArray(trainingParticipants.id, returned.slice(start, start + 5000)), eq(trainingParticipants.state, 'submitted')));
      }
    }
    if (chosen.length > 0) await confirmParticipants(tx, actor, submission, chosen);
    return { confirmed: chosen.length, returned: returned.length };
  });
}

async function confirmParticipants(tx: Executor, actor: Actor, submission: LoadedSubmission, participantIds: number[]): Promise<void> {
  const { project } = submission;
  const people: { id: number; teacherId: number; provinceUnitId: number | null; attendedHours: number; passed: boolean; score: number | null; certificateNo: string | null }[] = [];
  for (let start = 0; start < participantIds.length; start += 5000) {
    people.push(
      ...(await tx
        .select({ id: trainingParticipants.id, teacherId: trainingParticipants.teacherId, provinceUnitId: teachers.provinceUnitId, attendedHours: sql<number>`${trainingParticipants.attendedHours}::float8`, passed: sql<boolean>`coalesce(${trainingParticipants.passed}, false)`, score: sql<number | null>`${trainingParticipants.score}::float8`, certificateNo: trainingParticipants.certificateNo })
        .from(trainingParticipants)
        .innerJoin(teachers, eq(teachers.id, trainingParticipants.teacherId))
        .where(inArray(trainingParticipants.id, participantIds.slice(start, start + 5000)))),
    );
  }
  const book = await RuleBook.load(tx, people.map((p) => p.provinceUnitId));
  const today = todayIso();
  const computed = people.map((person) => {
    const rule = book.inForce(person.provinceUnitId, today);
    if (!rule) throw new ConflictError('没有适用的学时学分转化规则，请先由省级系统管理员设置');
    const credits = person.passed ? (entryCredits(rule.rule, { id: person.id, category: project.category, level: project.level, hours: person.attendedHours, endDate: project.endDate, forPrincipals: project.forPrincipals }) ?? 0) : 0;
    return { ...person, ruleId: rule.id, credits };
  });
  const passed = computed.filter((p) => p.passed);
  const entryOf = await writeConfirmedTraining(
    tx,
    actor,
    passed.map((p) => ({
      teacherId: p.teacherId,
      provinceUnitId: p.provinceUnitId,
      values: {
        year: String(project.year),
        category: recordCategoryOf(project.level, project.category),
        project: project.name,
        institution: submission.institutionName,
        mode: recordModeOf(project.category),
        form: project.category,
        hours: String(p.attendedHours),
        credits: creditsText(p.credits),
        endDate: project.endDate,
        ...(p.certificateNo ? { certificateNo: p.certificateNo } : {}),
      },
      credit: { category: project.category, level: project.level, hours: p.attendedHours, credits: p.credits, endDate: project.endDate, forPrincipals: project.forPrincipals, ruleId: p.ruleId, projectId: project.id },
    })),
  );
  for (let start = 0; start < computed.length; start += 1000) {
    const slice = computed.slice(start, start + 1000);
    const values = sql.join(slice.map((p) => sql`(${p.id}::int, ${p.credits}::int, ${p.ruleId}::int, ${entryOf.get(p.teacherId) ?? null}::int)`), sql`, `);
    const updated = rowsOf<{ id: number }>(
      await tx.execute(sql`
        update training_participants p set state = 'confirmed', credits = v.credits, rule_id = v.rule_id, entry_id = v.entry_id, confirmed_by = ${actor.accountId}, confirmed_at = now(), return_reason = null
        from (values ${values}) as v(id, credits, rule_id, entry_id)
        where p.id = v.id and p.state = 'submitted'
        returning p.id`),
    );
    if (updated.length !== slice.length) throw new ConflictError('部分结果刚被他人处理，请刷新后重试');
  }
  await finishConfirmation(tx, actor, passed.map((p) => p.teacherId), book);
}
