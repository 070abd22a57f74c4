import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { loadSnapshots } from '@/lib/records/service';
import { diffSnapshots } from '@/lib/records/diff';
import { teacherEntries, teachers, teacherVersions, trainingCredits, trainingParticipants, trainingProjects, trainingStandings, trainingSubmissions, type FieldDiff } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { issueSubordinateCredentials } from '@/lib/accounts/service';
import { todayIso } from '@/lib/indicators/form-schema';
import { exampleRules } from '@/lib/training/examples';
import { applyDueTrainingRules, saveTrainingRule } from '@/lib/training/conversion/service';
import { linkInstitution, registerInstitution, updateInstitution } from '@/lib/training/institutions/service';
import { listInstitutions } from '@/lib/training/institutions/queries';
import { authenticate } from '@/lib/signin/service';
import { decideProject, enrolByList, registerProject } from '@/lib/training/projects/service';
import { getProject, listParticipants, listProjects } from '@/lib/training/projects/queries';
import { buildResultsTemplate, importResults, reviewSubmission, saveResults, submitResults } from '@/lib/training/results/service';
import { getLedger, getOwnLedger } from '@/lib/training/ledger/queries';
import { decideFiling, fileTraining } from '@/lib/training/filings/service';
import { getCompletion, listCompletionTeachers } from '@/lib/training/completion/queries';
import { getInbox } from '@/lib/inbox/queries';
import { getPlan } from '@/lib/training/plans/queries';
import { publishPlan } from '@/lib/training/plans/service';
import { deleteEntry } from '@/lib/teachers/editing/service';
import { registerProjectSchema, saveRuleSchema, type RegisterProjectInput } from '@/lib/training/schemas';
import { actorFor, effectiveTeacher, school, expectBadgeCountsTheInbox } from './support/factories';

const today = todayIso();
const year = Number(today.slice(0, 4));
let sequence = Math.floor(Math.random() * 9000) + 1000;
const unique = (prefix: string) => `${prefix}${++sequence}`;

/** A project that ended last month, so that results may be entered. */
function projectInput(overrides: Partial<RegisterProjectInput> = {}): RegisterProjectInput {
  return registerProjectSchema.parse({
    code: unique('XM-'),
    name: '教师信息技术应用能力提升培训',
    category: '01',
    year,
    startDate: `${year}-01-05`,
    endDate: `${year}-01-20`,
    plannedHours: 24,
    capacity: 3,
    institutionIds: [],
    ...overrides,
  });
}

async function institutionFor(authority: Actor): Promise<{ id: number; actor: Actor; code: string }> {
  const code = unique('PX');
  const { institutionId, username } = await registerInstitution(authority, { code: `${code}01`, name: `${code}教师发展中心`, institutionType: '01', contactName: '王老师', contactPhone: '0571-88886666' });
  const sysadmin = await actorFor(`${authority.username.split('.')[0]}.admin`);
  const issued = await issueSubordinateCredentials(sysadmin, { unitIds: [institutionId] });
  expect(issued.map((i) => i.username)).toEqual([username]);
  return { id: institutionId, actor: await actorFor(username), code: `${code}01` };
}

async function rowCounts(projectId: number) {
  const db = await getDb();
  const [row] = await db
    .select({
      participants: sql<number>`(select count(*)::int from training_participants where project_id = ${projectId})`,
      withResult: sql<number>`(select count(*)::int from training_participants where project_id = ${projectId} and passed is not null)`,
      submitted: sql<number>`(select count(*)::int from training_participants where project_id = ${projectId} and state <> 'enrolled')`,
      credits: sql<number>`(select count(*)::int from training_credits where project_id = ${projectId})`,
      submissions: sql<number>`(select count(*)::int from training_submissions where project_id = ${projectId})`,
    })
    .from(sql`(select 1) as one`);
  return row;
}

async function refused(actors: Actor[], projectId: number, attempt: (actor: Actor) => Promise<unknown>) {
  const before = await rowCounts(projectId);
  for (const actor of actors) {
    const error = await attempt(actor).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${actor.username} must be refused`).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(await rowCounts(projectId)).toEqual(before);
  }
}

/** Saves a version as the province's sysadmin does; one in force today is applied to the standings as the action's follow-up does. */
async function setRule(provinceCode: string, rule: (typeof exampleRules)[keyof typeof exampleRules], effectiveFrom = today) {
  const saved = await saveTrainingRule(await actorFor(`${provinceCode}.admin`), saveRuleSchema.parse({ rule: { ...rule, effectiveFrom }, note: '测试' }));
  if (effectiveFrom <= today) await applyDueTrainingRules();
  return saved;
}

async function participantIds(projectId: number) {
  return (await (await getDb()).select({ id: trainingParticipants.id, teacherId: trainingParticipants.teacherId }).from(trainingParticipants).where(eq(trainingParticipants.projectId, projectId)).orderBy(trainingParticipants.id)).map((p) => p);
}

describe('培训学分: institutions, projects, results and credit confirmation', () => {
  it('runs a county project end to end: institution with its password, enrolment, results, confirmation into the record and the ledger', async () => {
    await setRule('330000', exampleRules.beijing);
    const county = await actorFor('330106.manager');
    const otherCounty = await actorFor('330108.manager');
    const home = await school('330106');
    const elsewhere = await school('330108');
    const a = await effectiveTeacher(home, '330106', '培训甲');
    const b = await effectiveTeacher(home, '330106', '培训乙');
    const outside = await effectiveTeacher(elsewhere, '330108', '外县教师');
    const institution = await institutionFor(county);
    const rival = await institutionFor(otherCounty);

    // Only an authority's information manager registers, and only institutions on its list.
    await expect(registerProject(county, projectInput({ institutionIds: [rival.id] }))).rejects.toThrow(ValidationError);
    await expect(registerProject(await actorFor('330106.query1'), projectInput({ institutionIds: [institution.id] }))).rejects.toThrow(ForbiddenError);
    await expect(registerProject(home.manager, projectInput())).rejects.toThrow(/校本研修/);
    const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id] }));

    // Enrolment is all or nothing: an unknown number, one outside the county, a duplicate.
    const bad = await enrolByList(county, { projectId, idNumbers: [a.idNumber, outside.idNumber, 'X123', a.idNumber].join('\n') });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.rowNumber)).toEqual([2, 3, 4]);
    expect((await rowCounts(projectId)).participants).toBe(0);
    await refused([otherCounty, home.manager, rival.actor, await actorFor('330106.query1')], projectId, (actor) => enrolByList(actor, { projectId, idNumbers: a.idNumber }));
    expect(await enrolByList(county, { projectId, idNumbers: `${a.idNumber} 培训甲\n${b.idNumber}` })).toEqual({ ok: true, enrolled: 2 });
    // The project list counts the same participants as the project page.
    const listed = (await listProjects(county, { view: 'own' })).rows.find((row) => row.id === projectId)!;
    expect({ enrolled: listed.enrolled, confirmed: listed.confirmed }).toEqual({ enrolled: 2, confirmed: 0 });
    expect((await getProject(county, projectId)).enrolled).toBe(2);

    // The institution sees its project's participants masked; another institution nothing.
    const seen = await listParticipants(institution.actor, projectId);
    expect(seen.rows.map((r) => r.teacherName).sort()).toEqual(['培训乙', '培训甲']);
    expect(seen.rows.every((r) => r.teacherIdMasked.includes('*') && !JSON.stringify(r).includes(a.idNumber))).toBe(true);
    await expect(getProject(rival.actor, projectId)).rejects.toThrow(NotFoundError);

    // Results: only the project's institution enters them.
    const [pa, pb] = await participantIds(projectId);
    const results = [
      { participantId: pa.id, attendedHours: 24, passed: '1' as const, score: 92, certificateNo: 'ZS-001' },
      { participantId: pb.id, attendedHours: 6, passed: '0' as const, certificateNo: '' },
    ];
    await refused([county, rival.actor, home.manager], projectId, (actor) => saveResults(actor, { projectId, results }));
    await saveResults(institution.actor, { projectId, results });
    await refused([county, rival.actor], projectId, (actor) => submitResults(actor, { projectId }));
    expect(await submitResults(institution.actor, { projectId })).toEqual({ submissions: 1, participants: 2 });

    // The county confirms; nobody else may.
    const [submission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
    await refused([otherCounty, institution.actor, await actorFor('330100.manager'), await actorFor('330106.query1')], projectId, (actor) => reviewSubmission(actor, { id: submission.id, action: 'confirm', participantIds: [], reason: '' }));
    const versionBefore = (await (await getDb()).select({ v: teachers.effectiveVersion }).from(teachers).where(eq(teachers.id, a.teacherId)))[0].v;
    // A record that moved since its last version (a field gone, one changed, one new): the bulk version's diff must show all three.
    const [held] = await (await getDb()).select({ record: teachers.record }).from(teachers).where(eq(teachers.id, a.teacherId));
    const [goneField] = Object.keys(held.record.basic ?? {}).filter((key) => key !== 'name');
    const { [goneField]: _gone, ...basicKept } = held.record.basic ?? {};
    await (await getDb()).update(teachers).set({ record: { ...held.record, basic: { ...basicKept, name: '培训甲改', workNote: '系统写入' } } }).where(eq(teachers.id, a.teacherId));
    // …and a previous version that held an entry since removed, a subset since gone, and a null the record now lacks (no change).
    const [frozen] = await (await getDb()).select().from(teacherVersions).where(and(eq(teacherVersions.teacherId, a.teacherId), eq(teacherVersions.version, versionBefore)));
    const frozenSnapshot = { record: { ...frozen.snapshot.record, formerSubset: { note: '旧值' }, basic: { ...frozen.snapshot.record.basic, nullField: null } }, entries: { ...frozen.snapshot.entries, award: [{ id: 2_000_000_001, values: { awardName: '已删除的获奖' } }] } };
    await (await getDb()).update(teacherVersions).set({ snapshot: sql`${JSON.stringify(frozenSnapshot)}::jsonb` }).where(eq(teacherVersions.id, frozen.id));
    expect(await reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' })).toEqual({ confirmed: 2, returned: 0 });

    // 北京's rule: 集中培训 10 学时 = 1 学分, so 24 hours are 2.4 credits; the failed one gets nothing.
    const db = await getDb();
    const [entry] = await db.select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, a.teacherId), eq(teacherEntries.subset, 'training')));
    expect(entry).toMatchObject({ origin: 'training', values: { project: '教师信息技术应用能力提升培训', hours: '24', credits: '2.4', category: '04', form: '01', certificateNo: 'ZS-001' } });
    expect(await db.select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, b.teacherId), eq(teacherEntries.subset, 'training')))).toHaveLength(0);
    const [version] = await db.select().from(teacherVersions).where(and(eq(teacherVersions.teacherId, a.teacherId), eq(teacherVersions.version, versionBefore + 1)));
    expect(version.kind).toBe('training');
    expect(version.diff.some((d) => d.subset === 'training' && d.field === 'credits' && d.newValue === '2.4')).toBe(true);
    // The database-built snapshot and diff are what loading the record and diffing it here give.
    const [previousVersion] = await db.select().from(teacherVersions).where(and(eq(teacherVersions.teacherId, a.teacherId), eq(teacherVersions.version, versionBefore)));
    const current = (await loadSnapshots(db, [a.teacherId])).get(a.teacherId)!;
    expect(version.snapshot).toEqual(current);
    const ordered = (diff: FieldDiff[]) => [...diff].sort((x, y) => `${x.subset}/${x.entryId ?? 0}/${x.field}`.localeCompare(`${y.subset}/${y.entryId ?? 0}/${y.field}`));
    expect(ordered(version.diff)).toEqual(ordered(diffSnapshots(previousVersion.snapshot, current)));
    expect(version.diff.filter((d) => d.subset === 'basic').map((d) => d.field).sort()).toEqual([goneField, 'name', 'workNote'].sort());
    expect(version.diff).toContainEqual({ subset: 'formerSubset', entryId: null, field: 'note', oldValue: '旧值', newValue: null });
    expect(version.diff).toContainEqual({ subset: 'award', entryId: 2_000_000_001, field: 'awardName', oldValue: '已删除的获奖', newValue: null });
    // The record's fields come before the entries' (as the JS diff lists them).
    const firstEntry = version.diff.findIndex((d) => d.entryId !== null);
    expect(version.diff.slice(firstEntry).every((d) => d.entryId !== null)).toBe(true);

    // The ledger: the teacher's own and the school's view agree with a recount.
    const teacher = await actorFor(a.idNumber);
    const own = await getOwnLedger(teacher);
    expect(own!.entries.map((e) => e.credits)).toEqual([240]);
    expect(own!.standing).toMatchObject({ credits: 240, requiredCredits: 3600, complete: false });
    const [recount] = await db.select({ credits: sql<number>`sum(credits)::int` }).from(trainingCredits).where(eq(trainingCredits.teacherId, a.teacherId));
    expect((await getLedger(home.manager, a.teacherId))!.standing.credits).toBe(recount.credits);
    await expect(getLedger(elsewhere.manager, a.teacherId)).rejects.toThrow(NotFoundError);
    const [standing] = await db.select().from(trainingStandings).where(eq(trainingStandings.teacherId, a.teacherId));
    expect(standing).toMatchObject({ credits: 240, requiredCredits: 3600, complete: false, progressPermille: 66 });

    // Confirmed results are final: neither the institution nor the county can change them again.
    await expect(saveResults(institution.actor, { projectId, results: [results[0]] })).rejects.toThrow(/已提交或已确认/);
    await expect(reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' })).rejects.toThrow(/已办结|不能执行/);
  });

  it('never rewrites confirmed credits when a rule changes, and applies a new version from its effective date', async () => {
    await setRule('330000', exampleRules.generic);
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const first = await effectiveTeacher(home, '330106', '规则甲');
    const institution = await institutionFor(county);
    const confirmOne = async (teacher: { idNumber: string }) => {
      const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id], category: '02', plannedHours: 40 }));
      await enrolByList(county, { projectId, idNumbers: teacher.idNumber });
      const [p] = await participantIds(projectId);
      await saveResults(institution.actor, { projectId, results: [{ participantId: p.id, attendedHours: 40, passed: '1', certificateNo: '' }] });
      await submitResults(institution.actor, { projectId });
      const [submission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
      await reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' });
      return (await (await getDb()).select().from(trainingCredits).where(eq(trainingCredits.projectId, projectId)))[0];
    };
    // generic: 非集中 8 学时 = 1 学分: 40 hours are 5 credits.
    expect((await confirmOne(first)).credits).toBe(500);
    // A province cannot back-date a rule.
    await expect(setRule('330000', exampleRules.beijing, '2020-01-01')).rejects.toThrow(/不能早于今天/);
    // A version effective tomorrow does not apply today; one effective today does, and the old credits stay.
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await setRule('330000', exampleRules.beijing, tomorrow);
    expect((await confirmOne(await effectiveTeacher(home, '330106', '规则乙'))).credits).toBe(500);
    // The stored standing keeps today's rule until the version's day comes; the housekeeping job then evaluates it again, once.
    const latestStanding = async (teacherId: number) => (await (await getDb()).select().from(trainingStandings).where(eq(trainingStandings.teacherId, teacherId)).orderBy(desc(trainingStandings.updatedAt)))[0];
    const standingToday = await latestStanding(first.teacherId);
    expect(standingToday.requiredCredits).not.toBe(3600);
    await applyDueTrainingRules();
    expect(await latestStanding(first.teacherId)).toEqual(standingToday);
    expect(await applyDueTrainingRules(tomorrow)).toBeGreaterThanOrEqual(1);
    expect(await latestStanding(first.teacherId)).toMatchObject({ requiredCredits: 3600, credits: 500 });
    expect(await applyDueTrainingRules(tomorrow)).toBe(0);
    await setRule('330000', exampleRules.beijing);
    expect((await confirmOne(await effectiveTeacher(home, '330106', '规则丙'))).credits).toBe(200);
    const [kept] = await (await getDb()).select({ credits: trainingCredits.credits }).from(trainingCredits).where(eq(trainingCredits.teacherId, first.teacherId));
    expect(kept.credits).toBe(500);
    await expect(saveTrainingRule(county, saveRuleSchema.parse({ rule: exampleRules.beijing }))).rejects.toThrow(ForbiddenError);
  });

  it('fans a national project out to each province, which confirms its own teachers under its own rule', async () => {
    await setRule('330000', exampleRules.beijing);
    await setRule('430000', exampleRules.shaanxi);
    const ministry = await actorFor('000000.manager');
    const zj = await school('330106');
    const hn = await school('430102');
    const zjTeacher = await effectiveTeacher(zj, '330106', '国培浙江');
    const hnTeacher = await effectiveTeacher(hn, '430102', '国培湖南');
    const institution = await institutionFor(ministry);
    const { projectId } = await registerProject(ministry, projectInput({ institutionIds: [institution.id], name: '国培计划示范项目', plannedHours: 50 }));
    // The ministry's institution enrols teachers of any province.
    expect(await enrolByList(institution.actor, { projectId, idNumbers: `${zjTeacher.idNumber}\n${hnTeacher.idNumber}` })).toEqual({ ok: true, enrolled: 2 });
    const people = await participantIds(projectId);
    await saveResults(institution.actor, { projectId, results: people.map((p) => ({ participantId: p.id, attendedHours: 50, passed: '1' as const, certificateNo: '' })) });
    expect(await submitResults(institution.actor, { projectId })).toEqual({ submissions: 2, participants: 2 });
    const submissions = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
    const zhejiang = await actorFor('330000.manager');
    const hunan = await actorFor('430000.manager');
    const zjPart = submissions.find((s) => s.confirmUnitId === zhejiang.unitId)!;
    const hnPart = submissions.find((s) => s.confirmUnitId === hunan.unitId)!;
    // Each province sees and confirms only its own part; the ministry does not confirm for them.
    await refused([hunan, ministry, await actorFor('330106.manager')], projectId, (actor) => reviewSubmission(actor, { id: zjPart.id, action: 'confirm', participantIds: [], reason: '' }));
    expect((await listParticipants(hunan, projectId)).rows.map((r) => r.teacherName)).toEqual(['国培湖南']);
    await reviewSubmission(zhejiang, { id: zjPart.id, action: 'confirm', participantIds: [], reason: '' });
    await reviewSubmission(hunan, { id: hnPart.id, action: 'confirm', participantIds: [], reason: '' });
    const credits = await (await getDb()).select({ teacherId: trainingCredits.teacherId, credits: trainingCredits.credits }).from(trainingCredits).where(eq(trainingCredits.projectId, projectId));
    // 北京-style: 50 h / 10 = 5 credits; 陕西-style: national level 0.5 per hour = 25 credits.
    expect(Object.fromEntries(credits.map((c) => [c.teacherId, c.credits]))).toEqual({ [zjTeacher.teacherId]: 500, [hnTeacher.teacherId]: 2500 });
  });

  it('confirms some results and returns the rest to the institution, which corrects and submits them again', async () => {
    await setRule('330000', exampleRules.generic);
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const a = await effectiveTeacher(home, '330106', '部分甲');
    const b = await effectiveTeacher(home, '330106', '部分乙');
    const institution = await institutionFor(county);
    const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id] }));
    await enrolByList(county, { projectId, idNumbers: `${a.idNumber}\n${b.idNumber}` });
    const [pa, pb] = await participantIds(projectId);
    await saveResults(institution.actor, { projectId, results: [pa, pb].map((p) => ({ participantId: p.id, attendedHours: 24, passed: '1' as const, certificateNo: '' })) });
    await submitResults(institution.actor, { projectId });
    const [submission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
    await expect(reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [pa.id], reason: '' })).rejects.toThrow(ValidationError);
    expect(await reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [pa.id], reason: '乙的学时与签到记录不符' })).toEqual({ confirmed: 1, returned: 1 });
    const states = async () => Object.fromEntries((await (await getDb()).select({ id: trainingParticipants.id, state: trainingParticipants.state }).from(trainingParticipants).where(eq(trainingParticipants.projectId, projectId))).map((p) => [p.id, p.state]));
    expect(await states()).toEqual({ [pa.id]: 'confirmed', [pb.id]: 'returned' });
    await saveResults(institution.actor, { projectId, results: [{ participantId: pb.id, attendedHours: 18, passed: '1', certificateNo: '' }] });
    await submitResults(institution.actor, { projectId });
    await reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' });
    expect(await states()).toEqual({ [pa.id]: 'confirmed', [pb.id]: 'confirmed' });
    const [row] = await (await getDb()).select({ state: trainingSubmissions.state }).from(trainingSubmissions).where(eq(trainingSubmissions.id, submission.id));
    expect(row.state).toBe('confirmed');
  });

  it('imports results from a spreadsheet with a dry run; a bad file writes nothing and comes back with an error file', async () => {
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const a = await effectiveTeacher(home, '330106', '导入甲');
    const b = await effectiveTeacher(home, '330106', '导入乙');
    const institution = await institutionFor(county);
    const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id] }));
    await enrolByList(county, { projectId, idNumbers: `${a.idNumber}\n${b.idNumber}` });
    const workbook = async (rows: string[][]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('结果');
      sheet.addRow(['身份证件号码', '姓名', '实际学时', '考核结果', '成绩', '结业证书编号']);
      for (const row of rows) sheet.addRow(row);
      return { name: '结果.xlsx', bytes: new Uint8Array(await book.xlsx.writeBuffer()) };
    };
    const bad = await importResults(institution.actor, projectId, await workbook([[a.idNumber, '导入甲', '24', '合格', '90', 'Z1'], [b.idNumber, '别人', 'abc', '优秀', '', '']]), true);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => e.column)).toEqual(['姓名', '实际学时', '考核结果']);
      const errors = new ExcelJS.Workbook();
      await errors.xlsx.load(Buffer.from(bad.errorFile, 'base64') as unknown as ArrayBuffer);
      expect(errors.worksheets[0].rowCount).toBe(2);
      expect(JSON.stringify(errors.worksheets[0].getSheetValues())).not.toContain(b.idNumber);
    }
    expect((await rowCounts(projectId)).withResult).toBe(0);
    const good = await workbook([[a.idNumber, '导入甲', '24', '合格', '90', 'Z1'], [b.idNumber, '', '12.5', '不合格', '', '']]);
    expect(await importResults(institution.actor, projectId, good, false)).toEqual({ ok: true, rows: 2, applied: false, passed: 1, failed: 1 });
    expect((await rowCounts(projectId)).withResult).toBe(0);
    await expect(importResults(county, projectId, good, true)).rejects.toThrow(ForbiddenError);
    expect(await importResults(institution.actor, projectId, good, true)).toMatchObject({ ok: true, applied: true });
    expect((await rowCounts(projectId)).withResult).toBe(2);
  });

  it('registers a school-based project that waits for the county, and lets another authority add an institution', async () => {
    const home = await school('330106');
    const county = await actorFor('330106.manager');
    const { projectId } = await registerProject(home.manager, projectInput({ category: '04', name: '校本研修：课堂观察' }));
    const pending = async () => (await (await getDb()).select({ state: trainingProjects.state }).from(trainingProjects).where(eq(trainingProjects.id, projectId)))[0].state;
    expect(await pending()).toBe('pending');
    for (const actor of [await actorFor('330108.manager'), home.manager, await actorFor('330100.manager')]) {
      await expect(decideProject(actor, { id: projectId, decision: 'approve', reason: '' })).rejects.toBeInstanceOf(DomainError);
      expect(await pending()).toBe('pending');
    }
    await expect(decideProject(county, { id: projectId, decision: 'reject', reason: '' })).rejects.toThrow(ValidationError);
    expect(await decideProject(county, { id: projectId, decision: 'approve', reason: '' })).toEqual({ state: 'registered' });
    const detail = await getProject(home.manager, projectId);
    expect(detail.timeline.map((t) => t.action)).toEqual(['file', 'approve']);

    // Results of a school's project with the county's institution are confirmed by the county; no hours above the plan.
    const institution = await institutionFor(county);
    const teacher = await effectiveTeacher(home, '330106', '校本甲');
    const { projectId: own } = await registerProject(home.manager, projectInput({ category: '04', name: '校本研修：作业设计', institutionIds: [institution.id], plannedHours: 12 }));
    await decideProject(county, { id: own, decision: 'approve', reason: '' });
    expect(await enrolByList(home.manager, { projectId: own, idNumbers: teacher.idNumber })).toEqual({ ok: true, enrolled: 1 });
    const [p] = await participantIds(own);
    await expect(saveResults(institution.actor, { projectId: own, results: [{ participantId: p.id, attendedHours: 13, passed: '1', certificateNo: '' }] })).rejects.toThrow(/超过计划学时/);
    expect((await rowCounts(own)).withResult).toBe(0);
    await saveResults(institution.actor, { projectId: own, results: [{ participantId: p.id, attendedHours: 12, passed: '1', certificateNo: '' }] });
    await submitResults(institution.actor, { projectId: own });
    const [part] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, own));
    expect(part.confirmUnitId).toBe(county.unitId);
    await expect(reviewSubmission(home.manager, { id: part.id, action: 'confirm', participantIds: [], reason: '' })).rejects.toBeInstanceOf(DomainError);
    expect(await reviewSubmission(county, { id: part.id, action: 'confirm', participantIds: [], reason: '' })).toEqual({ confirmed: 1, returned: 0 });

    // A school's own project without an institution: the school enters and submits the results; the county confirms.
    const selfRun = await effectiveTeacher(home, '330106', '自行组织甲');
    const { projectId: ownRun } = await registerProject(home.manager, projectInput({ category: '04', name: '校本研修：听评课', plannedHours: 8 }));
    await decideProject(county, { id: ownRun, decision: 'approve', reason: '' });
    await enrolByList(home.manager, { projectId: ownRun, idNumbers: selfRun.idNumber });
    expect((await getProject(home.manager, ownRun)).may.results).toBe(true);
    expect((await getProject(home.manager, own)).may.results).toBe(false);
    const [selfPart] = await participantIds(ownRun);
    const selfResult = { projectId: ownRun, results: [{ participantId: selfPart.id, attendedHours: 8, passed: '1' as const, certificateNo: '' }] };
    await refused([county, institution.actor, home.sysadmin, (await school('330106')).manager], ownRun, (actor) => saveResults(actor, selfResult));
    await expect(saveResults(home.manager, { projectId: own, results: [{ participantId: p.id, attendedHours: 1, passed: '1', certificateNo: '' }] })).rejects.toThrow(NotFoundError);
    const waitingForResults = async () => ((await getInbox(home.manager)).find((g) => g.key === 'training.results')?.items ?? []).map((item) => item.href);
    expect(await waitingForResults()).toEqual([`/training/projects/${ownRun}`]);
    await saveResults(home.manager, selfResult);
    expect(await submitResults(home.manager, { projectId: ownRun })).toEqual({ submissions: 1, participants: 1 });
    expect(await waitingForResults()).toEqual([]);
    const [selfSubmission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, ownRun));
    expect(selfSubmission).toMatchObject({ confirmUnitId: county.unitId, institutionId: home.school.id });
    expect(await reviewSubmission(county, { id: selfSubmission.id, action: 'return', participantIds: [], reason: '学时证明不全' })).toEqual({ confirmed: 0, returned: 1 });
    // Returned, it waits for the school: in its inbox, and the school downloads the template to correct it.
    expect(((await getInbox(home.manager)).find((g) => g.key === 'training.submission')?.items ?? []).map((item) => item.detail)).toEqual(['已退回修改：学时证明不全']);
    await expectBadgeCountsTheInbox(home.manager);
    expect((await buildResultsTemplate(home.manager, ownRun)).fileName).toMatch(/考核结果/);
    await expect(buildResultsTemplate(home.manager, own)).rejects.toThrow(NotFoundError);
    expect(await submitResults(home.manager, { projectId: ownRun })).toEqual({ submissions: 1, participants: 1 });
    expect(await reviewSubmission(county, { id: selfSubmission.id, action: 'confirm', participantIds: [], reason: '' })).toEqual({ confirmed: 1, returned: 0 });
    const [selfEntry] = await (await getDb()).select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, selfRun.teacherId), eq(teacherEntries.subset, 'training')));
    expect(selfEntry.values).toMatchObject({ project: '校本研修：听评课', institution: home.manager.unitName, hours: '8' });

    const other = await actorFor('330108.manager');
    await linkInstitution(other, { code: institution.code });
    await expect(linkInstitution(other, { code: institution.code })).rejects.toThrow(/已在本单位/);
    const { projectId: shared } = await registerProject(other, projectInput({ institutionIds: [institution.id] }));
    expect((await getProject(institution.actor, shared)).name).toBe('教师信息技术应用能力提升培训');

    // Only the registering county edits or closes it; closed, its account no longer signs in and no new project may choose it.
    const details = { id: institution.id, name: '更名后的教师发展中心', institutionType: '02', contactName: '李老师', contactPhone: '0571-12345678', status: 'closed' as const };
    const listed = async () => JSON.stringify(await listInstitutions(other));
    const before = await listed();
    await expect(updateInstitution(other, details)).rejects.toThrow(ForbiddenError);
    await expect(updateInstitution(await actorFor('330000.manager'), details)).rejects.toThrow(NotFoundError);
    await expect(updateInstitution(home.manager, details)).rejects.toThrow(ForbiddenError);
    expect(await listed()).toBe(before);
    expect((await authenticate({ username: institution.actor.username, password: 'Test@2026pw', ip: '10.33.0.1' })).ok).toBe(true);
    await updateInstitution(county, details);
    expect((await listInstitutions(other)).find((row) => row.id === institution.id)).toMatchObject({ name: '更名后的教师发展中心', institutionType: '02', contactName: '李老师', status: 'closed', ownedByActor: false });
    expect((await authenticate({ username: institution.actor.username, password: 'Test@2026pw', ip: '10.33.0.1' })).ok).toBe(false);
    await expect(registerProject(other, projectInput({ institutionIds: [institution.id] }))).rejects.toThrow(ValidationError);
  });
});

describe('racing on a confirmation', () => {
  it.skipIf(!process.env.DATABASE_URL)('lets one of two reviewers confirming the same results at the same moment win; the credits are written once', async () => {
    await setRule('330000', exampleRules.generic);
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const a = await effectiveTeacher(home, '330106', '并发甲');
    const b = await effectiveTeacher(home, '330106', '并发乙');
    const institution = await institutionFor(county);
    const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id] }));
    await enrolByList(county, { projectId, idNumbers: `${a.idNumber}\n${b.idNumber}` });
    const people = await participantIds(projectId);
    await saveResults(institution.actor, { projectId, results: people.map((p) => ({ participantId: p.id, attendedHours: 24, passed: '1' as const, certificateNo: '' })) });
    await submitResults(institution.actor, { projectId });
    const [submission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DomainError);
    expect((await rowCounts(projectId)).credits).toBe(2);
    const entries = await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(teacherEntries).where(and(eq(teacherEntries.subset, 'training'), sql`${teacherEntries.teacherId} in (${a.teacherId}, ${b.teacherId})`));
    expect(entries[0].n).toBe(2);
  });

  it.skipIf(!process.env.DATABASE_URL)('confirms two projects of the same teachers at the same moment: no deadlock, two versions, each frozen after the other', async () => {
    await setRule('330000', exampleRules.generic);
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const people = [await effectiveTeacher(home, '330106', '同时甲'), await effectiveTeacher(home, '330106', '同时乙'), await effectiveTeacher(home, '330106', '同时丙')];
    const institution = await institutionFor(county);
    const submissions: number[] = [];
    for (const name of ['同时确认项目一', '同时确认项目二']) {
      const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id], name }));
      await enrolByList(county, { projectId, idNumbers: people.map((p) => p.idNumber).join('\n') });
      await saveResults(institution.actor, { projectId, results: (await participantIds(projectId)).map((p) => ({ participantId: p.id, attendedHours: 24, passed: '1' as const, certificateNo: '' })) });
      await submitResults(institution.actor, { projectId });
      submissions.push((await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId)))[0].id);
    }
    const db = await getDb();
    const versionsBefore = new Map((await db.select({ id: teachers.id, v: teachers.effectiveVersion }).from(teachers).where(sql`${teachers.id} in (${sql.join(people.map((p) => sql`${p.teacherId}`), sql`, `)})`)).map((row) => [row.id, row.v]));
    const outcomes = await Promise.allSettled(submissions.map((id) => reviewSubmission(county, { id, action: 'confirm', participantIds: [], reason: '' })));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : String(o.reason)))).toEqual(['ok', 'ok']);
    for (const person of people) {
      const before = versionsBefore.get(person.teacherId)!;
      const versions = await db.select().from(teacherVersions).where(and(eq(teacherVersions.teacherId, person.teacherId), sql`${teacherVersions.version} > ${before}`)).orderBy(teacherVersions.version);
      expect(versions.map((v) => v.version)).toEqual([before + 1, before + 2]);
      // The later version holds both entries and shows only its own as new, never the whole record.
      const [, later] = versions;
      expect(later.snapshot.entries.training?.map((e) => e.values.project).sort()).toEqual(['同时确认项目一', '同时确认项目二']);
      expect(later.diff.every((d) => d.subset === 'training' && d.oldValue === null)).toBe(true);
      expect(new Set(later.diff.map((d) => d.entryId)).size).toBe(1);
      expect(later.snapshot).toEqual((await loadSnapshots(db, [person.teacherId])).get(person.teacherId));
    }
  });
});

describe('校本研修 and 自主研修 filed by the teacher; completion per unit', () => {
  const pdf = { name: '研修记录.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4 研修记录') };
  const filing = { teacherId: 0, category: '04' as const, title: '校级公开课观摩与评课', hours: 16, startDate: `${year}-01-05`, endDate: `${year}-01-06`, description: '' };

  it('goes from the teacher to the school head to the county, which converts the hours into the record', async () => {
    await setRule('330000', exampleRules.generic);
    const home = await school('330106');
    const other = await school('330106');
    const a = await effectiveTeacher(home, '330106', '研修甲');
    const teacher = await actorFor(a.idNumber);
    const county = await actorFor('330106.manager');
    const db = await getDb();
    const filings = async () => (await db.select({ state: sql<string>`state` }).from(sql`training_filings`).where(sql`teacher_id = ${a.teacherId}`)).map((r) => r.state);
    // Evidence is required, and must really be a PDF, JPG or PNG.
    await expect(fileTraining(teacher, filing, null)).rejects.toThrow(/证明材料/);
    await expect(fileTraining(teacher, filing, { ...pdf, bytes: new TextEncoder().encode('<html>') })).rejects.toThrow(/PDF、JPG 或 PNG/);
    await expect(fileTraining(other.manager, { ...filing, teacherId: a.teacherId }, pdf)).rejects.toBeInstanceOf(DomainError);
    expect(await filings()).toEqual([]);
    const { filingId } = await fileTraining(teacher, filing, pdf);
    // The school head (its sysadmin) reviews first; not the manager without the delegated right, not the county, not another school.
    for (const actor of [home.manager, county, other.sysadmin, await actorFor('330108.manager')]) {
      await expect(decideFiling(actor, { id: filingId, decision: 'approve', reason: '' })).rejects.toBeInstanceOf(DomainError);
      expect(await filings()).toEqual(['pending_school']);
    }
    await expect(decideFiling(home.manager, { id: filingId, decision: 'withdraw', reason: '' })).rejects.toBeInstanceOf(DomainError);
    expect(await decideFiling(home.sysadmin, { id: filingId, decision: 'approve', reason: '' })).toEqual({ state: 'pending_authority' });
    await expect(decideFiling(county, { id: filingId, decision: 'reject', reason: '' })).rejects.toThrow(ValidationError);
    // generic: 非集中 8 学时 = 1 学分.
    expect(await decideFiling(county, { id: filingId, decision: 'approve', reason: '' })).toEqual({ state: 'confirmed', credits: 200 });
    const [entry] = await db.select().from(teacherEntries).where(and(eq(teacherEntries.teacherId, a.teacherId), eq(teacherEntries.subset, 'training')));
    expect(entry).toMatchObject({ origin: 'training', values: { category: '05', form: '04', hours: '16', credits: '2', project: '校级公开课观摩与评课' } });
    expect((await getOwnLedger(teacher))!.standing).toMatchObject({ hours: 16, credits: 200 });
    // The teacher withdraws a second one before the school decides; nobody else can.
    const second = await fileTraining(teacher, { ...filing, category: '05', title: '自主阅读' }, pdf);
    expect(await decideFiling(teacher, { id: second.filingId, decision: 'withdraw', reason: '' })).toEqual({ state: 'withdrawn' });
    // The school cannot edit or delete the confirmed entry directly.
    await expect(deleteEntry(home.manager, { teacherId: a.teacherId, entryId: entry.id })).rejects.toThrow(/变更申请/);
  });

  it('counts completion per unit as a recount of the standings does, and reminds the school of a cycle ending unmet', async () => {
    // A cycle that ends this year: 2022–2026 for a 2026 today.
    await setRule('330000', { ...exampleRules.generic, cycleStartYear: year - 4 });
    const county = await actorFor('330106.manager');
    const home = await school('330106');
    const done = await effectiveTeacher(home, '330106', '达标教师');
    const none = await effectiveTeacher(home, '330106', '未达标教师');
    const institution = await institutionFor(county);
    const { projectId } = await registerProject(county, projectInput({ institutionIds: [institution.id], plannedHours: 400, capacity: 5 }));
    await enrolByList(county, { projectId, idNumbers: done.idNumber });
    const [p] = await participantIds(projectId);
    await saveResults(institution.actor, { projectId, results: [{ participantId: p.id, attendedHours: 400, passed: '1', certificateNo: '' }] });
    await submitResults(institution.actor, { projectId });
    const [submission] = await (await getDb()).select().from(trainingSubmissions).where(eq(trainingSubmissions.projectId, projectId));
    await reviewSubmission(county, { id: submission.id, action: 'confirm', participantIds: [], reason: '' });

    const schoolView = await getCompletion(home.manager);
    expect(schoolView.totals).toEqual({ teachers: 2, complete: 1, onTrack: 0, behind: 0, atRisk: 1 });
    const countyView = await getCompletion(county);
    const row = countyView.rows.find((r) => r.unitId === home.school.id)!;
    expect(row).toMatchObject({ teachers: 2, complete: 1, atRisk: 1 });
    const [recount] = await (await getDb())
      .select({ teachers: sql<number>`count(*)::int`, complete: sql<number>`(count(*) filter (where s.complete))::int` })
      .from(sql`teachers t left join training_standings s on s.teacher_id = t.id and s.cycle_start_year = ${year - 4}`)
      .where(sql`t.unit_path <@ ${county.unitPath}::ltree and coalesce(t.personnel_status, '') not like '3%'`);
    expect({ teachers: countyView.totals.teachers, complete: countyView.totals.complete }).toEqual(recount);
    const list = await listCompletionTeachers(home.manager, { status: 'atRisk' });
    expect(list.rows.map((r) => r.name)).toEqual(['未达标教师']);
    await expect(getCompletion(home.manager, (await actorFor('330108.manager')).unitId)).rejects.toThrow(NotFoundError);
    const inbox = (await getInbox(home.manager)).find((g) => g.key === 'training.atRisk');
    await expectBadgeCountsTheInbox(home.manager);
    expect(inbox?.items.map((i) => i.title)).toEqual(['未达标教师']);
    void none;
  });
});

describe('培训计划', () => {
  it('is seen below only once published, a school seeing the projects for its stage', async () => {
    const county = await actorFor('330110.manager');
    const home = await school('330110');
    const institution = await institutionFor(county);
    await registerProject(county, projectInput({ institutionIds: [institution.id], year: year + 1, startDate: `${year + 1}-03-01`, endDate: `${year + 1}-03-10`, capacity: 40, plannedHours: 30, stages: ['02'] }));
    await registerProject(county, projectInput({ institutionIds: [institution.id], year: year + 1, startDate: `${year + 1}-04-01`, endDate: `${year + 1}-04-03`, capacity: 10, plannedHours: 12, stages: ['01'], category: '02' }));
    await expect(getPlan(home.manager, { ownerUnitId: county.unitId, year: year + 1 })).rejects.toThrow(/尚未发布/);
    await expect(publishPlan(home.manager, { year: year + 1 })).rejects.toBeInstanceOf(DomainError);
    await publishPlan(county, { year: year + 1 });
    const own = await getPlan(county, { year: year + 1 });
    expect(own.totals).toEqual([
      { level: '4', category: '01', projects: 1, places: 40, personHours: 1200 },
      { level: '4', category: '02', projects: 1, places: 10, personHours: 120 },
    ]);
    // The seeded school is a primary school (type 211): the kindergarten project is not for it.
    const seen = await getPlan(home.manager, { ownerUnitId: county.unitId, year: year + 1 });
    expect(seen.projects.map((p) => p.stages)).toEqual([['02']]);
    await expect(getPlan(await actorFor('330108.manager'), { ownerUnitId: county.unitId, year: year + 1 })).rejects.toThrow(NotFoundError);
  });
});
