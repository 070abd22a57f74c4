import 'server-only';
import { foldAggregateDeltas } from '@/lib/statistics/service';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@/lib/db';
import { teacherEntries, trainingParticipants, trainingSubmissions, units } from '@/lib/db/schema';
import { idCheckCharacter } from '@/lib/reference/id-number';
import { schoolTypes } from '@/lib/reference/school-types';
import { divisionsByCode } from '@/lib/reference/divisions';
import { insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import { getSchoolTarget, refreshCompleteness, refreshTitleLevels } from '@/lib/teachers/service';
import { insertTeachers, type Registration } from '@/lib/teachers/registration/service';
import type { StoredValue } from '@/lib/db/schema/teachers';
import { approveRecords, returnRecords, submitRecords } from '@/lib/collection/review/service';
import { decideAddition, fileAddition } from '@/lib/collection/additions/service';
import { decideChangeRequest, fileChangeRequest } from '@/lib/collection/changes/service';
import { fileTransfer, takeTransferStep } from '@/lib/transfers/service';
import { fileRotation, takeRotationStep } from '@/lib/rotations/service';
import { decideStatusChange, recordStatusChange } from '@/lib/mobility/service';
import { linkInstitution } from '@/lib/training/institutions/service';
import { enrolByList, registerProject } from '@/lib/training/projects/service';
import { reviewSubmission, saveResults, submitResults } from '@/lib/training/results/service';
import { registerProjectSchema } from '@/lib/training/schemas';
import { todayIso } from '@/lib/indicators/form-schema';
import { addMonths } from '@/lib/months';
import { demoActor, demoTeacherActor } from '@/lib/demo/service';
import { nameFor } from '@/lib/demo/names';
import { revealStoredIdNumber } from '@/lib/teachers/identity';

/**
 * The living slice of the demo: every county of 杭州 with schools of every stage and a few thousand
 * teachers, most records effective and some in every other state, with pending additions and change
 * requests, open transfers and rotations, status changes and confirmed training credits. It goes in
 * through the same services users call, so every page and inbox shows what the system would hold.
 * `npm start` loads it after the fixed demo; the tests never depend on it.
 */

export interface LivingDemoOptions {
  /** Schools per county (default 8: kindergartens, primaries, a junior, a 九年一贯制 and a senior school). */
  schoolsPerCounty?: number;
  /** Scales every school's staff (default 1: about 40 teachers a school). */
  staffScale?: number;
  onProgress?: (message: string) => void;
}

export interface LivingDemoSummary {
  schools: number;
  teachers: number;
  effective: number;
  submitted: number;
  returned: number;
  drafts: number;
  additions: number;
  changeRequests: number;
  transfers: number;
  rotations: number;
  statusChanges: number;
  trainingParticipants: number;
  seconds: number;
}

/** A deterministic generator: the same demo on every machine. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SchoolPlan {
  type: string;
  suffix: string;
  staff: number;
}

// A county's schools, kindergartens and primaries first as in the national statistics; every third
// county adds a 完全中学, a 职业高中 and a 特殊教育学校.
const countySchools: SchoolPlan[] = [
  { type: '111', suffix: '实验幼儿园', staff: 18 },
  { type: '111', suffix: '阳光幼儿园', staff: 14 },
  { type: '211', suffix: '实验小学', staff: 46 },
  { type: '211', suffix: '城南小学', staff: 38 },
  { type: '211', suffix: '育才小学', staff: 32 },
  { type: '311', suffix: '第一初级中学', staff: 44 },
  { type: '312', suffix: '外国语学校', staff: 52 },
  { type: '342', suffix: '高级中学', staff: 58 },
];
const everyThirdCounty: SchoolPlan[] = [
  { type: '341', suffix: '第二中学', staff: 60 },
  { type: '365', suffix: '职业高级中学', staff: 42 },
  { type: '514', suffix: '特殊教育学校', staff: 18 },
];

const femaleShare: Record<string, number> = { kindergarten: 0.97, special: 0.78, secondary_vocational: 0.55, higher_education: 0.5 };
const universities = ['浙江师范大学', '杭州师范大学', '宁波大学', '浙江大学', '华东师范大学', '湖州师范学院', '绍兴文理学院', '温州大学', '浙江外国语学院', '浙江工业大学'];
const secondarySubjects = [
  ['汉语言文学', '语文'],
  ['数学与应用数学', '数学'],
  ['英语', '英语'],
  ['物理学', '物理'],
  ['化学', '化学'],
  ['生物科学', '生物'],
  ['历史学', '历史'],
  ['地理科学', '地理'],
  ['思想政治教育', '道德与法治'],
  ['体育教育', '体育'],
  ['音乐学', '音乐'],
  ['美术学', '美术'],
];
const vocationalSubjects = [
  ['机械设计制造及其自动化', '机械基础'],
  ['计算机科学与技术', '计算机应用'],
  ['会计学', '会计实务'],
  ['电子商务', '电子商务'],
  ['汉语言文学', '语文'],
];

/** 任课学段 and 教师资格种类 by school type; a 九年一贯制 or 完全中学 teacher teaches one of its two stages. */
function stageOf(type: string, pick: number): { teaching: string; certificate: string } {
  switch (type) {
    case '111':
      return { teaching: '01', certificate: '01' };
    case '211':
      return { teaching: '02', certificate: '02' };
    case '311':
      return { teaching: '03', certificate: '03' };
    case '312':
      return pick < 0.55 ? { teaching: '02', certificate: '02' } : { teaching: '03', certificate: '03' };
    case '341':
      return pick < 0.45 ? { teaching: '03', certificate: '03' } : { teaching: '04', certificate: '04' };
    case '342':
      return { teaching: '04', certificate: '04' };
    case '365':
      return { teaching: '05', certificate: '05' };
    default:
      return { teaching: '06', certificate: '02' };
  }
}

interface GeneratedTeacher {
  idNumber: string;
  name: string;
  gender: '1' | '2';
  birthDate: string;
  /** What the record is to become. */
  target: 'effective' | 'submitted' | 'returned' | 'draft' | 'incomplete';
  politicalStatus: string;
}

const thisYear = () => Number(todayIso().slice(0, 4));
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Plausible teachers for a school: gender by stage, names by gender, titles and education by age and stage. */
function generateStaff(school: { code: string; name: string; type: string; stage: string; region: string }, count: number, random: () => number, takenIds: Set<string>) {
  const year = thisYear();
  const rows: (Registration & { entries: { subset: string; values: Record<string, StoredValue> }[] })[] = [];
  const generated: GeneratedTeacher[] = [];
  for (let i = 0; i < count; i++) {
    const gender: '1' | '2' = random() < (femaleShare[school.stage] ?? (school.type.startsWith('21') ? 0.78 : school.type === '342' ? 0.56 : 0.66)) ? '2' : '1';
    // Age 22 up to a year or more before retirement; kindergartens are younger.
    const maxAge = school.stage === 'kindergarten' ? 48 : gender === '2' ? 54 : 59;
    const age = 22 + Math.floor(Math.pow(random(), 1.15) * (maxAge - 22));
    const birthYear = year - age - 1;
    const birthDate = `${birthYear}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
    // Sequences 400–498 (the fixed demo's are lower); the next free one on a rare collision.
    const idFor = (sequence: number) => {
      const first17 = `${school.region}${birthDate.replaceAll('-', '')}${pad(sequence * 2 + (gender === '1' ? 1 : 0), 3)}`;
      return first17 + idCheckCharacter(first17);
    };
    let sequence = 400 + Math.floor(random() * 99);
    while (takenIds.has(idFor(sequence))) sequence = 400 + ((sequence - 399) % 99);
    const idNumber = idFor(sequence);
    takenIds.add(idNumber);
    const name = nameFor(gender, Math.floor(random() * 40), Math.floor(random() * 30));
    const educationPick = random();
    const highestEducation =
      school.stage === 'kindergarten'
        ? educationPick < 0.36 ? '31' : educationPick < 0.97 ? '21' : '14'
        : school.type === '342' || school.type === '341'
          ? educationPick < 0.6 ? '21' : educationPick < 0.98 ? '14' : '11'
          : school.type === '211' ? (educationPick < 0.08 ? '31' : educationPick < 0.9 ? '21' : '14') : educationPick < 0.03 ? '31' : educationPick < 0.8 ? '21' : '14';
    const highestDegree = highestEducation === '11' ? '2' : highestEducation === '14' ? '3' : highestEducation === '21' && random() < 0.93 ? '4' : '0';
    const studyYears = highestEducation === '31' ? 3 : highestEducation === '21' ? 4 : highestEducation === '14' ? 7 : 10;
    const graduationYear = Math.min(year - 1, birthYear + 18 + studyYears);
    const workStartYear = Math.min(year - 1, graduationYear);
    const joinYear = Math.min(year, workStartYear + Math.floor(random() * Math.max(1, year - workStartYear)));
    const subjects = school.stage === 'secondary_vocational' ? vocationalSubjects : secondarySubjects;
    const [major, course] =
      school.stage === 'kindergarten' ? ['学前教育', '保育教育'] : school.stage === 'special' ? ['特殊教育', '生活语文'] : school.type === '211' && random() < 0.5 ? ['小学教育', random() < 0.5 ? '语文' : '数学'] : subjects[Math.floor(random() * subjects.length)];
    // 职称 by years of service: 二级 after a year or so, 一级 after about 6, 高级 after about 12, 正高 rare and after 45.
    const service = year - workStartYear;
    const titlePick = random();
    const title =
      service < 2
        ? titlePick < 0.8 ? '06' : '05'
        : service < 6
          ? titlePick < 0.75 ? '04' : titlePick < 0.9 ? '03' : '06'
          : service < 12
            ? titlePick < 0.65 ? '03' : titlePick < 0.95 || age < 32 ? '04' : '02'
            : titlePick < (school.stage === 'kindergarten' ? 0.2 : 0.5) ? '02' : titlePick < 0.96 || age <= 45 || school.stage === 'kindergarten' ? '03' : '01';
    const titleYear = Math.min(year, workStartYear + Math.max(1, Math.floor(service * 0.6)));
    const postGrade = title === '01' ? '04' : title === '02' ? '07' : title === '03' ? '09' : title === '04' ? '11' : '12';
    const onEstablishment = random() < (school.stage === 'kindergarten' ? 0.6 : 0.9);
    const stage = stageOf(school.type, random());
    const statePick = random();
    const target: GeneratedTeacher['target'] = statePick < 0.8 ? 'effective' : statePick < 0.87 ? 'submitted' : statePick < 0.9 ? 'returned' : statePick < 0.96 ? 'draft' : 'incomplete';
    const politicalStatus = random() < 0.38 ? '01' : random() < 0.1 ? '03' : '13';
    generated.push({ idNumber, name, gender, birthDate, target, politicalStatus });
    rows.push({
      registration: {
        name,
        gender,
        birthDate,
        idType: '1',
        idNumber,
        onEstablishment: onEstablishment ? ('1' as const) : ('0' as const),
        contractOneYearOrMore: onEstablishment ? ('' as const) : ('1' as const),
        postCategory: '1',
      },
      record: {
        basic: {
          nationality: '156',
          ethnicGroup: random() < 0.96 ? '01' : random() < 0.5 ? '11' : '04',
          politicalStatus: [politicalStatus],
          maritalStatus: age < 27 && random() < 0.7 ? '10' : '20',
          staffNumber: `${school.code.slice(-4)}${pad(i + 1, 3)}`,
          workStartDate: `${workStartYear}-08`,
          joinSchoolDate: `${joinYear}-09`,
          staffSource: '02',
          staffCategory: '01',
          contractStatus: '02',
          personnelStatus: '100',
          healthStatus: '1',
          keyTeacherLevel: service > 8 && random() < 0.14 ? pad(2 + Math.floor(random() * 4)) : '06',
          highestEducation,
          highestDegree,
          ...(onEstablishment ? {} : { employmentForm: '01' }),
        },
        // One in twenty-five has no mobile number yet: the completeness check finds it.
        contact: target === 'incomplete' ? ({} as Record<string, StoredValue>) : { mobile: `1${'3578'[Math.floor(random() * 4)]}${pad(Math.floor(random() * 1e9), 9)}` },
      },
      entries: [
        { subset: 'education', values: { educationLevel: highestEducation, country: '156', institution: universities[Math.floor(random() * universities.length)], major, teacherTrainingMajor: random() < 0.75 ? '1' : '0', entryMonth: `${graduationYear - studyYears}-09`, graduationMonth: `${graduationYear}-07`, degreeLevel: highestDegree, studyMode: '01' } },
        { subset: 'work', values: { unitName: school.name, startMonth: `${joinYear}-09`, post: `${course}教师` } },
        { subset: 'post', values: { postCategory: '1', postGrade, startMonth: `${Math.max(joinYear, titleYear)}-09` } },
        ...(title === '06' ? [] : [{ subset: 'title', values: { title, appointingUnit: school.name, startMonth: `${titleYear}-09` } }]),
        { subset: 'qualification', values: { certificateType: stage.certificate, certificateNumber: `${workStartYear}33${pad(Math.floor(random() * 1e12), 12)}`, subject: course, issueDate: `${workStartYear}-0${1 + Math.floor(random() * 6)}-15`, issuingAuthority: '杭州市教育局' } },
        { subset: 'teaching', values: { schoolYear: `${year - 1}-${year}`, term: '01', stage: stage.teaching, teaching: '1', courses: course, weeklyHours: String(10 + Math.floor(random() * 7)) } },
      ],
    });
  }
  return { rows, generated };
}

/** Loads the slice. Call once, after seedDemoData, on a database that does not hold it yet. */
export async function seedLivingDemo(db: Database, options: LivingDemoOptions = {}): Promise<LivingDemoSummary> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const random = mulberry32(20261201);
  const counties = await db.select({ id: units.id, code: units.code, path: units.path }).from(units).where(and(eq(units.tier, 'county'), sql`${units.divisionCode} like '3301%'`)).orderBy(units.code);
  const schoolsPerCounty = options.schoolsPerCounty ?? countySchools.length;
  const scale = options.staffScale ?? 1;

  // 1. Schools and teachers with full records, in one transaction.
  const takenIds = new Set<string>();
  const plan: { unitId: number; code: string; county: string; type: string; generated: { teacherId: number; teacher: GeneratedTeacher }[] }[] = [];
  await db.transaction(async (tx) => {
    const newSchools = counties.flatMap((county, countyIndex) => {
      const countyName = divisionsByCode.get(county.code)?.name ?? county.code;
      const plans = [...countySchools.slice(0, schoolsPerCounty), ...(countyIndex % 3 === 0 ? everyThirdCounty.slice(0, Math.max(0, schoolsPerCounty - 5)) : [])];
      return plans.map((school, i) => ({
        code: `${school.type.slice(0, 2)}${county.code.slice(0, 2)}${county.code.slice(4)}${pad(101 + i, 4)}`,
        name: `杭州市${countyName}${school.suffix}`,
        kind: 'school' as const,
        tier: 'school' as const,
        parentId: county.id,
        parentPath: county.path,
        divisionCode: county.code,
        schoolTypeCode: school.type,
        stage: schoolTypes.get(school.type)!.stage,
        ownership: 'public' as const,
        staff: Math.max(3, Math.round(school.staff * scale)),
      }));
    });
    const created = await insertUnitsWithDefaultAccounts(tx, newSchools.map(({ staff: _staff, ...unit }) => unit));
    const author = { accountId: null, displayName: '系统初始化', unitPath: '1' };
    for (const [index, unit] of created.entries()) {
      const wanted = newSchools[index];
      const school = await getSchoolTarget(tx, unit.id);
      const { rows, generated } = generateStaff({ code: wanted.code, name: wanted.name, type: wanted.schoolTypeCode, stage: wanted.stage, region: wanted.divisionCode }, wanted.staff, random, takenIds);
      const inserted = await insertTeachers(tx, author, school, rows.map(({ entries: _entries, ...row }) => row), 'system');
      await tx.insert(teacherEntries).values(inserted.flatMap((teacher, i) => rows[i].entries.map((entry) => ({ teacherId: teacher.teacherId, subset: entry.subset, values: entry.values }))));
      plan.push({ unitId: unit.id, code: wanted.code, county: wanted.parentPath, type: wanted.schoolTypeCode, generated: inserted.map((teacher, i) => ({ teacherId: teacher.teacherId, teacher: generated[i] })) });
    }
    const ids = plan.flatMap((school) => school.generated.map((g) => g.teacherId));
    await refreshTitleLevels(tx, ids);
    await refreshCompleteness(tx, ids);
  });
  const teacherCount = plan.reduce((sum, school) => sum + school.generated.length, 0);
  progress(`学校 ${plan.length} 所，教师 ${teacherCount} 名`);

  // 2. Each school head reports; each county approves most and returns a few.
  const byCounty = new Map<string, { approve: number[]; return: number[] }>();
  for (const school of plan) {
    const reported = school.generated.filter((g) => ['effective', 'submitted', 'returned'].includes(g.teacher.target)).map((g) => g.teacherId);
    if (reported.length) await submitRecords(await demoActor(`${school.code}.admin`), { teacherIds: reported });
    const county = byCounty.get(school.county) ?? { approve: [], return: [] };
    county.approve.push(...school.generated.filter((g) => g.teacher.target === 'effective').map((g) => g.teacherId));
    county.return.push(...school.generated.filter((g) => g.teacher.target === 'returned').map((g) => g.teacherId));
    byCounty.set(school.county, county);
  }
  const countyCodes = new Map(counties.map((c) => [c.path, c.code]));
  for (const [path, county] of byCounty) {
    const manager = await demoActor(`${countyCodes.get(path)}.manager`);
    for (let start = 0; start < county.approve.length; start += 2000) await approveRecords(manager, { teacherIds: county.approve.slice(start, start + 2000), comment: '经审核，信息属实', sampled: county.approve.slice(start, start + 3) });
    if (county.return.length) await returnRecords(manager, { teacherIds: county.return, reason: '学习经历与毕业证书不一致，请核对后重新报送' });
  }
  progress('信息采集：报送与审核完成');

  const effectiveAt = (school: (typeof plan)[number]) => school.generated.filter((g) => g.teacher.target === 'effective');
  const months = (delta: number) => addMonths(todayIso().slice(0, 7), delta);
  let additions = 0;
  let changeRequests = 0;
  let transfers = 0;
  let rotations = 0;
  let statusChanges = 0;

  // 3. New information and change requests on effective records: some wait for the school head, some for the county.
  for (const [index, school] of plan.entries()) {
    if (index % 2 !== 0) continue;
    const [first, second] = effectiveAt(school);
    const third = effectiveAt(school).find((g) => g.teacher.politicalStatus === '13' && g !== first && g !== second);
    if (!second) continue;
    const manager = await demoActor(`${school.code}.manager`);
    const head = await demoActor(`${school.code}.admin`);
    const year = thisYear();
    const filed = await fileAddition(manager, { teacherId: first.teacherId, subset: 'assessment', values: { year: String(year - 1), result: '01', assessingUnit: '本校考核领导小组' } });
    additions++;
    if (index % 4 === 0) await decideAddition(head, { id: filed.additionId, decision: 'approve', comment: '' });
    // The teacher asks herself; every other one the head has passed on to the county.
    const own = await fileChangeRequest(await demoTeacherActor(second.teacherId), { teacherId: second.teacherId, subset: 'contact', kind: 'update', values: { mobile: `139${school.code.slice(-4)}${pad(index, 4)}` }, reason: '本人更换手机号码' });
    if (index % 4 === 0) await decideChangeRequest(head, { id: own.requestId, decision: 'approve', comment: '' });
    changeRequests++;
    if (index % 4 === 2 && third) {
      await fileChangeRequest(manager, { teacherId: third.teacherId, subset: 'basic', kind: 'update', values: { politicalStatus: ['01'] }, reason: `${year} 年 7 月经党组织批准转为中共正式党员` });
      changeRequests++;
    }
  }
  progress(`新增信息 ${additions} 条，变更申请 ${changeRequests} 条`);

  // 4. 教师调动 between counties at every step, filed by the receiving schools.
  const primaries = plan.filter((school) => school.type === '211');
  const steps = ['filed', 'sent', 'agreed', 'awaiting', 'completed', 'rejected'] as const;
  for (let i = 0; i + 1 < primaries.length && i < 12; i++) {
    const receiving = primaries[i];
    const sending = primaries[(i + 3) % primaries.length];
    if (receiving.county === sending.county) continue;
    const moving = effectiveAt(sending)[5 + i];
    if (!moving) continue;
    const receiver = await demoActor(`${receiving.code}.manager`);
    const { transferId } = await fileTransfer(receiver, { idNumber: moving.teacher.idNumber, name: moving.teacher.name, kind: 'transfer', reason: i % 2 ? '夫妻两地分居，申请调入' : '本校学科缺编，经双方协商调入', postCategory: '1', postTitle: '小学教师', plannedArrivalMonth: months(2) });
    transfers++;
    const step = steps[i % steps.length];
    const take = async (username: string, action: 'confirm' | 'agree' | 'reject' | 'receive', extra: { reason?: string; leavingMonth?: string } = {}) =>
      takeTransferStep(await demoActor(username), { id: transferId, action, reason: extra.reason ?? '', leavingMonth: extra.leavingMonth ?? '', arrivalMonth: '' });
    if (step === 'filed') continue;
    await take(`${countyCodes.get(receiving.county)}.manager`, 'confirm', { reason: '同意调入' });
    if (step === 'sent') continue;
    if (step === 'rejected') {
      await take(`${sending.code}.manager`, 'reject', { reason: '该教师担任毕业班班主任，本学年结束前不宜调出' });
      continue;
    }
    await take(`${sending.code}.manager`, 'agree', { leavingMonth: months(0), reason: '同意调出' });
    if (step === 'agreed') continue;
    await take(`${countyCodes.get(sending.county)}.manager`, 'confirm', { reason: '同意' });
    if (step === 'awaiting') continue;
    await take(`${receiving.code}.manager`, 'receive');
  }
  progress(`教师调动 ${transfers} 件`);

  // 5. 交流轮岗 within each county: under way, waiting for the county; a 进修 or 长病假, decided or waiting.
  const bySchoolCounty = new Map<string, typeof plan>();
  for (const school of plan) bySchoolCounty.set(school.county, [...(bySchoolCounty.get(school.county) ?? []), school]);
  for (const [path, schools] of bySchoolCounty) {
    const juniors = schools.filter((school) => school.type === '311' || school.type === '312');
    const hosts = schools.filter((school) => school.type === '211');
    if (!juniors.length || !hosts.length) continue;
    const county = await demoActor(`${countyCodes.get(path)}.manager`);
    const home = juniors[0];
    const manager = await demoActor(`${home.code}.manager`);
    const candidates = effectiveAt(home).slice(-4);
    for (const [i, candidate] of candidates.slice(0, 3).entries()) {
      const { rotationId } = await fileRotation(manager, { teacherId: candidate.teacherId, hostSchoolId: hosts[i % hosts.length].unitId, hostSchoolCode: '', kind: pad(1 + (i % 3)), startMonth: months(i === 2 ? 1 : -4 - i), plannedEndMonth: months(i === 2 ? 13 : 8 + i * 12), reason: '县域内义务教育学校教师交流轮岗', documentNumber: '' });
      rotations++;
      if (i < 2) await takeRotationStep(county, { id: rotationId, action: 'confirm', reason: '', month: '' });
    }
    const leaving = candidates[3];
    if (leaving) {
      const change = await recordStatusChange(manager, { teacherId: leaving.teacherId, toStatus: path.length % 2 ? '204' : '203', effectiveDate: `${months(0)}-01`, reason: path.length % 2 ? '脱产攻读教育硕士，为期一年' : '因病长期休养', documentNumber: '' });
      statusChanges++;
      if (change.state === 'pending' && schools.length % 2 === 0) await decideStatusChange(county, { id: change.changeId, decision: 'approve', comment: '' });
    }
  }
  progress(`交流轮岗 ${rotations} 人次，人员状态变动 ${statusChanges} 件`);

  // 6. 培训学分: 杭州's project for every effective primary and junior teacher, confirmed; 西湖区's, waiting for the county.
  const participants = await seedLivingTraining(db, plan.filter((school) => ['211', '311', '312'].includes(school.type)).flatMap((school) => effectiveAt(school).map((g) => g.teacher.idNumber)));
  progress(`培训参训 ${participants} 人次`);
  // The server folds every few seconds; the demo starts folded, as a day-old database would be.
  await foldAggregateDeltas(db);

  const counts = rowsOf<{ state: string; returned: boolean; n: number }>(
    await db.execute(sql`select record_state as state, return_reason is not null as returned, count(*)::int as n from teachers where unit_id in (${sql.join(plan.map((s) => sql`${s.unitId}::int`), sql`, `)}) group by 1, 2`),
  );
  const count = (state: string, returned = false) => counts.filter((row) => row.state === state && row.returned === returned).reduce((sum, row) => sum + Number(row.n), 0);
  return {
    schools: plan.length,
    teachers: teacherCount,
    effective: count('effective'),
    submitted: count('submitted'),
    returned: count('draft', true),
    drafts: count('draft'),
    additions,
    changeRequests,
    transfers,
    rotations,
    statusChanges,
    trainingParticipants: participants,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function seedLivingTraining(db: Database, idNumbers: string[]): Promise<number> {
  if (idNumbers.length === 0) return 0;
  const year = thisYear();
  const daysAgo = (days: number) => new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);
  const city = await demoActor('330100.manager');
  const institution = await demoActor('PX33000001.submit');
  const [institutionUnit] = await db.select({ id: units.id }).from(units).where(eq(units.code, 'PX33000001'));
  await linkInstitution(city, { code: 'PX33000001' });
  const project = await registerProject(
    city,
    registerProjectSchema.parse({ code: `HZ-${year}-XX20`, name: '杭州市中小学教师信息技术应用能力提升工程 2.0', category: '03', year: Number(daysAgo(40).slice(0, 4)), startDate: daysAgo(70), endDate: daysAgo(40), plannedHours: 30, capacity: idNumbers.length + 100, institutionIds: [institutionUnit.id], stages: ['02', '03'], description: '线上研修 20 学时与校本实践 10 学时。' }),
  );
  await enrolByList(city, { projectId: project.projectId, idNumbers: idNumbers.join('\n') });
  const people = await db.select({ id: trainingParticipants.id }).from(trainingParticipants).where(eq(trainingParticipants.projectId, project.projectId)).orderBy(trainingParticipants.id);
  for (let start = 0; start < people.length; start += 500) {
    const slice = people.slice(start, start + 500);
    // One in forty did not finish: the institution enters the hours attended and 不合格.
    await saveResults(institution, { projectId: project.projectId, results: slice.map((p, i) => ((start + i) % 40 === 39 ? { participantId: p.id, attendedHours: 12, passed: '0' as const, score: 48, certificateNo: '' } : { participantId: p.id, attendedHours: 30, passed: '1' as const, score: 80 + ((start + i) % 20), certificateNo: `HZPX${year}${pad(start + i + 1, 5)}` })) });
  }
  await submitResults(institution, { projectId: project.projectId });
  const parts = await db.select({ id: trainingSubmissions.id }).from(trainingSubmissions).where(eq(trainingSubmissions.projectId, project.projectId));
  for (const part of parts) await reviewSubmission(city, { id: part.id, action: 'confirm', participantIds: [], reason: '' });
  // 西湖区's own project: results in, waiting for the county's confirmation.
  const county = await demoActor('330106.manager');
  await linkInstitution(county, { code: 'PX33000001' });
  const xihu = rowsOf<{ enc: string }>(await db.execute(sql`select t.id_number_enc as enc from teachers t join units u on u.id = t.unit_id where u.division_code = '330106' and u.code like '__3306010_' and t.record_state = 'effective' order by t.id limit 120`));
  if (xihu.length) {
    const countyProject = await registerProject(county, registerProjectSchema.parse({ code: `XH-${year}-BZR2`, name: '西湖区班主任工作能力专题培训', category: '01', year: Number(daysAgo(20).slice(0, 4)), startDate: daysAgo(30), endDate: daysAgo(20), plannedHours: 16, capacity: 150, institutionIds: [institutionUnit.id] }));
    await enrolByList(county, { projectId: countyProject.projectId, idNumbers: xihu.map((row) => revealStoredIdNumber(row.enc)).join('\n') });
    const enrolled = await db.select({ id: trainingParticipants.id }).from(trainingParticipants).where(eq(trainingParticipants.projectId, countyProject.projectId)).orderBy(trainingParticipants.id);
    await saveResults(institution, { projectId: countyProject.projectId, results: enrolled.map((p, i) => ({ participantId: p.id, attendedHours: 16, passed: '1' as const, score: 85 + (i % 15), certificateNo: `XHPX${year}${pad(i + 1, 4)}` })) });
    await submitResults(institution, { projectId: countyProject.projectId });
  }
  const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from training_participants`));
  return Number(n);
}
