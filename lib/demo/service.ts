import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { idCheckCharacter } from '@/lib/reference/id-number';
import { schoolTypes } from '@/lib/reference/school-types';
import { initializeNationalTree, insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import { getDb } from '@/lib/db';
import type { Database, Executor } from '@/lib/db/client';
import { roleNames, type Actor, type Role } from '@/lib/auth/actor';
import { loadSessionAccount } from '@/lib/auth/queries';
import { approveRecords, submitRecords } from '@/lib/collection/review/service';
import { fileTransfer, takeTransferStep } from '@/lib/transfers/service';
import { fileRotation, saveRotationTargets, takeRotationStep } from '@/lib/rotations/service';
import { schoolYearOf } from '@/lib/rotations/schemas';
import { decideStatusChange, recordStatusChange } from '@/lib/mobility/service';
import type { TransferStepInput } from '@/lib/transfers/schemas';
import { todayIso } from '@/lib/indicators/form-schema';
import { addMonths, monthIndex, monthOf } from '@/lib/months';
import { originalRetirementAge, statutoryRetirement } from '@/lib/mobility/retirement';
import { accounts, teacherEntries, teachers, trainingInstitutionAuthorities, trainingInstitutions, trainingParticipants, trainingSubmissions, units } from '@/lib/db/schema';
import { getSchoolTarget, refreshCompleteness } from '@/lib/teachers/service';
import { insertTeachers } from '@/lib/teachers/registration/service';
import { isTeacherLoginName, revealStoredIdNumber, teacherLoginName } from '@/lib/teachers/identity';
import { applyDueTrainingRules, saveTrainingRule } from '@/lib/training/conversion/service';
import { exampleRules } from '@/lib/training/examples';
import { genderOfGivenName } from './names';
import { linkInstitution } from '@/lib/training/institutions/service';
import { enrolByList, registerProject } from '@/lib/training/projects/service';
import { reviewSubmission, saveResults, submitResults } from '@/lib/training/results/service';
import { registerProjectSchema } from '@/lib/training/schemas';

/** The one password of every demo account; printed by `npm start`. */
export const demoPassword = 'Demo@2026';

const demoTeacherId = (() => {
  const first17 = '33010619850315002';
  return first17 + idCheckCharacter(first17);
})();

export interface DemoAccount {
  tier: string;
  role: string;
  username: string;
  unitName: string;
  /** The person, for a teacher's account (王芳). */
  personName: string | null;
}

interface DemoSchool {
  code: string;
  name: string;
  type: string;
  authorityCode: string;
  divisionCode?: string;
}

// One demo county (杭州市西湖区) with a school of every stage, a provincial and a central university.
const demoSchools: DemoSchool[] = [
  { code: '1133060001', name: '杭州市西湖区示范幼儿园', type: '111', authorityCode: '330106' },
  { code: '2133060001', name: '杭州市西湖区示范小学', type: '211', authorityCode: '330106' },
  { code: '3133060001', name: '杭州市西湖区示范初级中学', type: '311', authorityCode: '330106' },
  { code: '3633060001', name: '杭州市西湖区示范职业高级中学', type: '365', authorityCode: '330106' },
  { code: '5133060001', name: '杭州市西湖区启智学校', type: '514', authorityCode: '330106' },
  { code: '4133060001', name: '浙江示范理工学院', type: '412', authorityCode: '330000' },
  { code: '4133060002', name: '部属示范大学', type: '411', authorityCode: '000000' },
  // A second county of the same city and a school in another province, for 教师调动 between them.
  { code: '2133050001', name: '杭州市拱墅区示范小学', type: '211', authorityCode: '330105', divisionCode: '330105' },
  // A second 拱墅区 school, for 交流轮岗 within the county and its rotation plan.
  { code: '3133050001', name: '杭州市拱墅区示范初级中学', type: '311', authorityCode: '330105', divisionCode: '330105' },
  { code: '2132010001', name: '南京市玄武区示范小学', type: '211', authorityCode: '320102', divisionCode: '320102' },
];

const demoLogins: { unitCode: string; suffixes: string[]; tier: string }[] = [
  { unitCode: '000000', suffixes: ['admin', 'manager', 'query1', 'audit'], tier: '中央' },
  { unitCode: '330000', suffixes: ['admin', 'manager', 'query1', 'audit'], tier: '省级（浙江）' },
  { unitCode: '330100', suffixes: ['admin', 'manager', 'query1'], tier: '市级（杭州）' },
  { unitCode: '330106', suffixes: ['admin', 'manager', 'query1'], tier: '县级（西湖区）' },
  { unitCode: '2133060001', suffixes: ['admin', 'manager', 'query1'], tier: '校级（示范小学）' },
  { unitCode: '330105', suffixes: ['manager'], tier: '县级（拱墅区）' },
  { unitCode: '2133050001', suffixes: ['admin', 'manager'], tier: '校级（拱墅区示范小学）' },
  { unitCode: '3133050001', suffixes: ['manager'], tier: '校级（拱墅区示范初中）' },
  { unitCode: '320000', suffixes: ['manager'], tier: '省级（江苏）' },
  { unitCode: '320102', suffixes: ['manager'], tier: '县级（玄武区）' },
  { unitCode: '2132010001', suffixes: ['admin', 'manager'], tier: '校级（南京玄武区示范小学）' },
  { unitCode: 'PX33000001', suffixes: ['submit'], tier: '培训机构' },
];



/** Demo schools, an institution, a teacher and demo logins for every tier and role. */
export async function seedDemoData(db: Database): Promise<DemoAccount[]> {
  const passwordHash = await hashPassword(demoPassword);
  return db.transaction(async (tx) => {
    await initializeNationalTree(tx);
    const authorities = await tx.select({ id: units.id, code: units.code, path: units.path }).from(units).where(inArray(units.code, ['000000', '330000', '330106', '330105', '320102']));
    const byCode = new Map(authorities.map((a) => [a.code, a]));
    const existing = await tx.select({ code: units.code }).from(units).where(inArray(units.code, demoSchools.map((s) => s.code)));
    if (existing.length === 0) {
      await insertUnitsWithDefaultAccounts(
        tx,
        demoSchools.map((school) => {
          const authority = byCode.get(school.authorityCode)!;
          const type = schoolTypes.get(school.type)!;
          return {
            code: school.code,
            name: school.name,
            kind: 'school' as const,
            tier: 'school' as const,
            parentId: authority.id,
            parentPath: authority.path,
            divisionCode: school.divisionCode ?? '330106',
            schoolTypeCode: school.type,
            stage: type.stage,
            ownership: 'public' as const,
          };
        }),
      );
      const province = byCode.get('330000')!;
      const [institution] = await insertUnitsWithDefaultAccounts(tx, [
        { code: 'PX33000001', name: '浙江省中小学教师培训示范中心', kind: 'institution', tier: 'school', parentId: province.id, parentPath: province.path, divisionCode: '330106' },
      ]);
      await tx.insert(trainingInstitutions).values({ unitId: institution.id, institutionType: '01', contactName: '陈老师', contactPhone: '0571-85012345' });
      await tx.insert(trainingInstitutionAuthorities).values({ institutionId: institution.id, authorityId: province.id });
      await seedDemoTeachers(tx);
      await seedTransferDemoTeachers(tx);
    }
    const usernames = [...demoLogins.flatMap((l) => l.suffixes.map((s) => `${l.unitCode}.${s}`)), ...demoTeacherLogins.map((t) => teacherLoginName(t.idNumber))];
    await tx
      .update(accounts)
      .set({ passwordHash, isDemo: true, mustChangePassword: false, passwordIssuedAt: new Date() })
      .where(inArray(accounts.username, usernames));
    return existing.length === 0;
  }).then(async (created) => {
    if (created) await seedDemoTransfers(db);
    return listDemoAccountsWith(db);
  });
}


async function listDemoAccountsWith(executor: Executor): Promise<DemoAccount[]> {
  const rows = await executor
    .select({ username: accounts.username, role: accounts.role, displayName: accounts.displayName, unitName: units.name, unitCode: units.code, path: units.path })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(eq(accounts.isDemo, true))
    .orderBy(sql`nlevel(${units.path})`, units.code, accounts.username);
  const tierOf = new Map(demoLogins.map((l) => [l.unitCode, l.tier]));
  // The teacher signs in with the ID number; the account name is only its keyed hash.
  const teacherIds = new Map(demoTeacherLogins.map((t) => [teacherLoginName(t.idNumber), t.idNumber]));
  return rows.map((row) => ({ tier: tierOf.get(row.unitCode) ?? '校级', role: roleNames[row.role as Role], username: isTeacherLoginName(row.username) ? (teacherIds.get(row.username) ?? row.username) : row.username, unitName: row.unitName, personName: row.role === 'teacher' ? row.displayName : null }));
}

/** Demo accounts that are still demo accounts (issuing credentials turns one into a normal account). */
export function listDemoAccounts(db: Database): Promise<DemoAccount[]> {
  return listDemoAccountsWith(db);
}



const demoSurnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const demoGivenNames = ['芳', '伟', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文博'];

function demoId(region: string, birth: string, sequence: number, gender: '1' | '2'): string {
  const seq = sequence * 2 + (gender === '1' ? 1 : 0);
  const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** 王芳 (the demo teacher login) and colleagues in the demo primary and junior schools, with part of their records filled. */
async function seedDemoTeachers(tx: Executor): Promise<void> {
  const author = { accountId: null, displayName: '系统初始化', unitPath: '1' };
  for (const [code, count] of [['2133060001', 24], ['3133060001', 12]] as const) {
    const [unit] = await tx.select({ id: units.id }).from(units).where(eq(units.code, code));
    const school = await getSchoolTarget(tx, unit.id);
    const rows = Array.from({ length: count }, (_, i) => {
      const isWangFang = code === '2133060001' && i === 0;
      const given = demoGivenNames[(i * 5) % demoGivenNames.length];
      // The gender follows the name (朱丽 女, 何勇 男).
      const gender: '1' | '2' = isWangFang ? '2' : (genderOfGivenName(given) ?? '2');
      const birthDate = isWangFang ? '1985-03-15' : `${1968 + ((i * 7) % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
      const idNumber = isWangFang ? demoTeacherId : demoId('330106', birthDate, 100 + i + (code === '3133060001' ? 200 : 0), gender);
      const name = isWangFang ? '王芳' : demoSurnames[(i * 3 + code.length) % demoSurnames.length] + given;
      const year = Number(birthDate.slice(0, 4));
      return {
        registration: { name, gender, birthDate, idType: '1', idNumber, onEstablishment: i % 8 === 7 ? ('0' as const) : ('1' as const), contractOneYearOrMore: i % 8 === 7 ? ('1' as const) : ('' as const), postCategory: '1' },
        record: {
          basic: {
            nationality: '156',
            ethnicGroup: i % 10 === 4 ? '04' : '01',
            politicalStatus: [i % 4 === 0 ? '01' : '13'],
            staffNumber: `${code.slice(-4)}${String(i + 1).padStart(3, '0')}`,
            workStartDate: `${year + 22}-08`,
            joinSchoolDate: `${Math.max(year + 22, 2005 + (i % 15))}-09`,
            staffSource: '02',
            staffCategory: '01',
            contractStatus: '02',
            personnelStatus: '100',
            healthStatus: '1',
            ...(i % 8 === 7 ? { employmentForm: '01' } : {}),
          },
          contact: { mobile: `139${code.slice(-4)}${String(1000 + i).slice(-4)}` },
        },
      };
    });
    const created = await insertTeachers(tx, author, school, rows, 'system');
    await tx.insert(teacherEntries).values(
      created.map((teacher, i) => {
        const year = Number(rows[i].registration.birthDate.slice(0, 4));
        return { teacherId: teacher.teacherId, subset: 'education', values: { educationLevel: '21', country: '156', institution: '浙江师范大学', major: '小学教育', teacherTrainingMajor: '1', entryMonth: `${year + 18}-09`, graduationMonth: `${year + 22}-07`, degreeLevel: '4', studyMode: '01' } };
      }),
    );
    // Every sixth teacher lacks 岗位聘任, so the completeness check has something to find.
    await tx.insert(teacherEntries).values(
      created
        .filter((_, i) => i % 6 !== 5)
        .map((teacher, i) => ({ teacherId: teacher.teacherId, subset: 'post', values: { postCategory: '1', postGrade: i % 3 === 0 ? '10' : '11', startMonth: `${2010 + (i % 12)}-09` } })),
    );
    await tx.execute(sql`update teachers set highest_education = '21', highest_degree = '4', record = jsonb_set(jsonb_set(record, '{basic,highestEducation}', '"21"'), '{basic,highestDegree}', '"4"') where unit_id = ${school.id}`);
    await refreshCompleteness(tx, created.map((teacher) => teacher.teacherId));
  }
}

/** Demo teachers who sign in (by ID number): 王芳 at the 西湖区 primary school, and one whose transfer is under way. */
const transferTeacherId = demoId('330105', '1988-06-12', 31, '2');
/** 刘伟 of 拱墅区示范初级中学, on a 交流轮岗 due back within 30 days: he follows it on /me. */
const rotationTeacherId = demoId('330105', '1980-12-14', 22, '1');
const demoTeacherLogins = [{ idNumber: demoTeacherId }, { idNumber: transferTeacherId }, { idNumber: rotationTeacherId }];

/** A birth date whose statutory retirement (teaching post) falls `months` months after the current one. */
function birthDateRetiringIn(months: number, gender: '1' | '2'): string {
  const now = monthIndex(todayIso().slice(0, 7));
  for (let born = now - 70 * 12; born < now; born++) {
    const birth = monthOf(born);
    if (monthIndex(statutoryRetirement(birth, originalRetirementAge(gender, '1')).month) >= now + months) return `${birth}-10`;
  }
  throw new Error('no birth month retires then');
}

const transferDemoTeachers: { schoolCode: string; region: string; teachers: { name: string; birthDate: string; gender: '1' | '2' }[] }[] = [
  {
    schoolCode: '2133050001',
    region: '330105',
    teachers: [
      { name: '陈思远', birthDate: '1986-04-03', gender: '1' },
      { name: '林晓雯', birthDate: '1988-06-12', gender: '2' },
      { name: '周建国', birthDate: '1979-11-20', gender: '1' },
      { name: '吴佳怡', birthDate: '1992-02-08', gender: '2' },
      { name: '郑浩然', birthDate: '1990-09-15', gender: '1' },
      { name: '孙丽华', birthDate: '1983-12-01', gender: '2' },
      // Two who retire within the year of the demo's start (即将退休), whatever year that is.
      { name: '沈美华', birthDate: birthDateRetiringIn(3, '2'), gender: '2' },
      { name: '钱国庆', birthDate: birthDateRetiringIn(8, '1'), gender: '1' },
    ],
  },
  {
    // 拱墅区示范初级中学: rotations of the demo (under way, due back, waiting), one retired, two free.
    schoolCode: '3133050001',
    region: '330105',
    teachers: [
      { name: '赵明轩', birthDate: '1985-07-09', gender: '1' },
      { name: '黄晓燕', birthDate: '1982-03-25', gender: '2' },
      { name: '刘伟', birthDate: '1980-12-14', gender: '1' },
      { name: '杨淑芬', birthDate: '1968-05-18', gender: '2' },
      { name: '徐海波', birthDate: '1987-10-02', gender: '1' },
      { name: '蔡文娟', birthDate: '1991-01-27', gender: '2' },
    ],
  },
  {
    schoolCode: '2132010001',
    region: '320102',
    teachers: [
      { name: '高文静', birthDate: '1987-05-21', gender: '2' },
      { name: '马志强', birthDate: '1984-08-30', gender: '1' },
      { name: '胡雨桐', birthDate: '1993-03-17', gender: '2' },
      { name: '何俊杰', birthDate: '1989-10-05', gender: '1' },
    ],
  },
];

/** Complete records in the 拱墅区 and 玄武区 schools (approved by their counties once the seed is in). */
async function seedTransferDemoTeachers(tx: Executor): Promise<void> {
  const author = { accountId: null, displayName: '系统初始化', unitPath: '1' };
  for (const group of transferDemoTeachers) {
    const [unit] = await tx.select({ id: units.id, name: units.name }).from(units).where(eq(units.code, group.schoolCode));
    const school = await getSchoolTarget(tx, unit.id);
    const rows = group.teachers.map((t, i) => {
      const year = Number(t.birthDate.slice(0, 4));
      const idNumber = group.schoolCode === '2133050001' && i === 1 ? transferTeacherId : demoId(group.region, t.birthDate, 20 + i, t.gender);
      return {
        registration: { name: t.name, gender: t.gender, birthDate: t.birthDate, idType: '1', idNumber, onEstablishment: '1' as const, contractOneYearOrMore: '' as const, postCategory: '1' },
        record: {
          basic: {
            nationality: '156',
            ethnicGroup: '01',
            politicalStatus: ['13'],
            staffNumber: `${group.schoolCode.slice(-4)}${String(i + 1).padStart(3, '0')}`,
            workStartDate: `${year + 22}-08`,
            joinSchoolDate: `${year + 24}-09`,
            staffSource: '02',
            staffCategory: '01',
            contractStatus: '02',
            personnelStatus: '100',
            healthStatus: '1',
            // Every third a 县级骨干教师 (the rotation plan's key-teacher share).
            keyTeacherLevel: i % 3 === 1 ? '04' : '06',
            highestEducation: '21',
            highestDegree: '4',
          },
          contact: { mobile: `137${group.schoolCode.slice(-4)}${String(2000 + i).slice(-4)}` },
        },
      };
    });
    const created = await insertTeachers(tx, author, school, rows, 'system');
    await tx.insert(teacherEntries).values(
      created.flatMap((teacher, i): { teacherId: number; subset: string; values: Record<string, string> }[] => {
        const year = Number(rows[i].registration.birthDate.slice(0, 4));
        return [
          { teacherId: teacher.teacherId, subset: 'education', values: { educationLevel: '21', country: '156', institution: '南京师范大学', major: '小学教育', teacherTrainingMajor: '1', entryMonth: `${year + 18}-09`, graduationMonth: `${year + 22}-07`, degreeLevel: '4', studyMode: '01' } },
          { teacherId: teacher.teacherId, subset: 'post', values: { postCategory: '1', postGrade: '11', startMonth: `${year + 24}-09` } },
          { teacherId: teacher.teacherId, subset: 'work', values: { unitName: unit.name, startMonth: `${year + 24}-09`, post: '小学教师' } },
        ];
      }),
    );
    await tx.execute(sql`update teachers set highest_education = '21', highest_degree = '4' where unit_id = ${school.id}`);
    await refreshCompleteness(tx, created.map((teacher) => teacher.teacherId));
  }
}

/** The sending schools set the leaving month to the month the demo is written. */
const thisMonth = () => todayIso().slice(0, 7);

export async function demoActor(username: string): Promise<Actor> {
  const db = await getDb();
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username));
  const session = await loadSessionAccount(account.id, null);
  return session!.actor;
}

/** The actor of a demo teacher's own account, found by the teacher record. */
export async function demoTeacherActor(teacherId: number): Promise<Actor> {
  const db = await getDb();
  const [row] = await db.select({ accountId: teachers.accountId }).from(teachers).where(eq(teachers.id, teacherId));
  const session = await loadSessionAccount(row.accountId!, null);
  return session!.actor;
}

/**
 * One open transfer at each interesting step, through the services as users would take them, so a
 * newcomer can walk the flow: into 西湖区 from 拱墅区 (same city) and from 南京 (another province).
 */
async function seedDemoTransfers(db: Database): Promise<void> {
  for (const [schoolCode, county] of [['2133050001', '330105'], ['3133050001', '330105'], ['2132010001', '320102']]) {
    const [school] = await db.select({ id: units.id }).from(units).where(eq(units.code, schoolCode));
    const ids = (await db.select({ id: teachers.id }).from(teachers).where(eq(teachers.unitId, school.id)).orderBy(teachers.id)).map((row) => row.id);
    await submitRecords(await demoActor(`${schoolCode}.admin`), { teacherIds: ids });
    await approveRecords(await demoActor(`${county}.manager`), { teacherIds: ids, comment: '', sampled: [] });
  }
  const receiving = { primary: await demoActor('2133060001.manager'), junior: await demoActor('3133060001.manager') };
  const parties = {
    xihu: await demoActor('330106.manager'),
    gongshu: await demoActor('330105.manager'),
    gongshuSchool: await demoActor('2133050001.manager'),
    zhejiang: await demoActor('330000.manager'),
    nanjingSchool: await demoActor('2132010001.manager'),
    xuanwu: await demoActor('320102.manager'),
  };
  const file = async (by: Actor, teacher: { name: string; birthDate: string; gender: '1' | '2' }, region: string, index: number, reason: string) => {
    const idNumber = region === '330105' && index === 1 ? transferTeacherId : demoId(region, teacher.birthDate, 20 + index, teacher.gender);
    return (await fileTransfer(by, { idNumber, name: teacher.name, kind: 'transfer', reason, postCategory: '1', postTitle: '小学教师', plannedArrivalMonth: '2027-02' })).transferId;
  };
  const step = (by: Actor, id: number, action: TransferStepInput['action'], extra: Partial<TransferStepInput> = {}) => takeTransferStep(by, { id, action, reason: '', leavingMonth: '', arrivalMonth: '', ...extra });
  const [gongshu, , nanjing] = transferDemoTeachers.map((group) => group.teachers);
  // 待西湖区教育局确认
  await file(receiving.primary, gongshu[0], '330105', 0, '夫妻两地分居，申请调入西湖区工作');
  // 待调出校同意 (the teacher follows it on /me)
  const sent = await file(receiving.primary, gongshu[1], '330105', 1, '本校数学学科缺编，经双方协商调入');
  await step(parties.xihu, sent, 'confirm', { reason: '同意调入，请调出学校办理' });
  // 待拱墅区教育局确认
  const agreed = await file(receiving.junior, gongshu[2], '330105', 2, '初中部英语学科骨干教师引进');
  await step(parties.xihu, agreed, 'confirm');
  await step(parties.gongshuSchool, agreed, 'agree', { leavingMonth: thisMonth(), reason: '同意调出' });
  // 待调入校调档
  const awaiting = await file(receiving.primary, gongshu[3], '330105', 3, '家庭住址变动，就近工作');
  await step(parties.xihu, awaiting, 'confirm');
  await step(parties.gongshuSchool, awaiting, 'agree', { leavingMonth: thisMonth() });
  await step(parties.gongshu, awaiting, 'confirm', { reason: '同意' });
  // Rejected by the sending school, with its reason.
  const rejected = await file(receiving.primary, gongshu[4], '330105', 4, '个人申请');
  await step(parties.xihu, rejected, 'confirm');
  await step(parties.gongshuSchool, rejected, 'reject', { reason: '该教师担任毕业班班主任，本学年结束前不宜调出' });
  // Across provinces: 待浙江省教育厅确认
  await step(parties.xihu, await file(receiving.primary, nanjing[0], '320102', 0, '随配偶工作调动由南京调入杭州'), 'confirm');
  // Across provinces: 待江苏省教育厅确认
  const crossSending = await file(receiving.junior, nanjing[1], '320102', 1, '人才引进');
  await step(parties.xihu, crossSending, 'confirm');
  await step(parties.zhejiang, crossSending, 'confirm');
  await step(parties.nanjingSchool, crossSending, 'agree', { leavingMonth: thisMonth() });
  await step(parties.xuanwu, crossSending, 'confirm');
  await seedDemoRotations(parties.gongshu);
  await seedDemoTraining(parties.gongshu, parties.zhejiang);
}

const monthFromNow = (delta: number) => addMonths(thisMonth(), delta);

/**
 * 交流轮岗 in 拱墅区 through the services: one under way, one due back within 30 days, one waiting for
 * the county; a retirement confirmed by the county (已离开); the county's targets for the year.
 */
async function seedDemoRotations(county: Actor): Promise<void> {
  const db = await getDb();
  const junior = await demoActor('3133050001.manager');
  const [primary, other] = await db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, ['2133050001', '2133060001'])).orderBy(units.code);
  const teacherNamed = async (name: string) => {
    const [row] = await db.select({ id: teachers.id }).from(teachers).where(and(eq(teachers.name, name), eq(teachers.unitId, junior.unitId)));
    return row.id;
  };
  const file = async (name: string, input: { hostSchoolId?: number; hostSchoolCode?: string; kind: string; startMonth: string; plannedEndMonth: string; reason: string }) =>
    (await fileRotation(junior, { teacherId: await teacherNamed(name), hostSchoolId: input.hostSchoolId ?? 0, hostSchoolCode: input.hostSchoolCode ?? '', kind: input.kind, startMonth: input.startMonth, plannedEndMonth: input.plannedEndMonth, reason: input.reason, documentNumber: '拱教人〔2026〕18号' })).rotationId;
  const confirm = (id: number) => takeRotationStep(county, { id, action: 'confirm', reason: '', month: '' });
  // 交流中: a key teacher at the county's primary school for two years.
  await confirm(await file('徐海波', { hostSchoolId: primary.id, kind: '02', startMonth: monthFromNow(-3), plannedEndMonth: monthFromNow(21), reason: '县域内校际交流，支援小学科学教学' }));
  // Due back within 30 days: both schools have it in their inbox.
  await confirm(await file('刘伟', { hostSchoolId: primary.id, kind: '01', startMonth: monthFromNow(-11), plannedEndMonth: monthFromNow(0), reason: '城乡交流一年' }));
  // Waiting for 拱墅区教育局: 支教 at a school of another county, named by its code.
  await file('黄晓燕', { hostSchoolCode: other.code, kind: '03', startMonth: monthFromNow(1), plannedEndMonth: monthFromNow(13), reason: '到西湖区示范小学支教一年' });
  // 已离开: retired, confirmed by the county.
  const retired = await recordStatusChange(junior, { teacherId: await teacherNamed('杨淑芬'), toStatus: '301', effectiveDate: `${thisMonth()}-01`, reason: '达到法定退休年龄', documentNumber: '拱教人〔2026〕21号' });
  await decideStatusChange(county, { id: retired.changeId, decision: 'approve', comment: '' });
  await saveRotationTargets(county, { year: schoolYearOf(todayIso()), eligibleYears: 6, minSharePercent: 15, minKeySharePercent: 20 });
}

/**
 * 培训学分 through the services: 浙江's rule (a cycle ending this year), a provincial project whose
 * credits the province confirmed (刘伟 sees them on his phone), a 拱墅区 project whose results wait for
 * the county, and a school's 校本研修 project waiting for its approval.
 */
async function seedDemoTraining(county: Actor, province: Actor): Promise<void> {
  const db = await getDb();
  const year = Number(todayIso().slice(0, 4));
  // Dates from today, so that the demo is the same whatever day it is loaded on: ended projects, a cycle ending this year.
  const daysAgo = (days: number) => new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);
  const next = Number(daysAgo(-120).slice(0, 4));
  await saveTrainingRule(await demoActor('330000.admin'), { rule: { ...exampleRules.generic, cycleStartYear: year - 4, effectiveFrom: todayIso() }, note: '演示：集中培训 6 学时折合 1 学分，其他 8 学时折合 1 学分；5 年不少于 360 学时' });
  await applyDueTrainingRules();
  const institution = await demoActor('PX33000001.submit');
  const [institutionUnit] = await db.select({ id: units.id }).from(units).where(eq(units.code, 'PX33000001'));
  await linkInstitution(county, { code: 'PX33000001' });
  const idNumbersAt = async (schoolCode: string) =>
    (
      await db
        .select({ enc: teachers.idNumberEnc })
        .from(teachers)
        .innerJoin(units, eq(units.id, teachers.unitId))
        .where(and(eq(units.code, schoolCode), eq(teachers.recordState, 'effective'), sql`coalesce(${teachers.personnelStatus}, '100') not like '3%'`))
        .orderBy(teachers.id)
    ).map((row) => revealStoredIdNumber(row.enc!));
  const resultsFor = async (projectId: number, hours: number) => {
    const people = await db.select({ id: trainingParticipants.id }).from(trainingParticipants).where(eq(trainingParticipants.projectId, projectId)).orderBy(trainingParticipants.id);
    await saveResults(institution, { projectId, results: people.map((p, i) => ({ participantId: p.id, attendedHours: i === people.length - 1 ? Math.round(hours / 3) : hours, passed: i === people.length - 1 ? '0' : '1', score: i === people.length - 1 ? 52 : 85 + (i % 10), certificateNo: i === people.length - 1 ? '' : `ZJPX${year}${String(projectId).padStart(3, '0')}${String(i + 1).padStart(4, '0')}` })) });
    await submitResults(institution, { projectId });
  };
  // 省级: ended, results in, confirmed by the province.
  const provincial = await registerProject(province, registerProjectSchema.parse({ code: `ZJ-${year}-SZ01`, name: '浙江省中小学教师数字素养提升培训', category: '03', year: Number(daysAgo(50).slice(0, 4)), startDate: daysAgo(50), endDate: daysAgo(30), plannedHours: 40, capacity: 500, institutionIds: [institutionUnit.id], stages: ['03'], description: '线上研修与线下集中相结合，面向全省初中教师。' }));
  await enrolByList(province, { projectId: provincial.projectId, idNumbers: (await idNumbersAt('3133050001')).join('\n') });
  await resultsFor(provincial.projectId, 40);
  const [part] = await db.select({ id: trainingSubmissions.id }).from(trainingSubmissions).where(eq(trainingSubmissions.projectId, provincial.projectId));
  await reviewSubmission(province, { id: part.id, action: 'confirm', participantIds: [], reason: '' });
  // 县级: results submitted, waiting for 拱墅区教育局.
  const countyProject = await registerProject(county, registerProjectSchema.parse({ code: `GS-${year}-JY03`, name: '拱墅区新课标学科教研专题培训', category: '01', year: Number(daysAgo(25).slice(0, 4)), startDate: daysAgo(25), endDate: daysAgo(7), plannedHours: 24, capacity: 120, institutionIds: [institutionUnit.id], stages: ['02'] }));
  await enrolByList(county, { projectId: countyProject.projectId, idNumbers: (await idNumbersAt('2133050001')).join('\n') });
  await resultsFor(countyProject.projectId, 24);
  // 县级, next year and open for nomination: schools put their teachers forward.
  await registerProject(county, registerProjectSchema.parse({ code: `GS-${next}-BZR1`, name: '拱墅区班主任能力提升研修班', category: '01', year: next, startDate: daysAgo(-120), endDate: daysAgo(-131), plannedHours: 30, capacity: 60, institutionIds: [institutionUnit.id], nominationOpen: true }));
  // 校本研修: the school's project, waiting for the county.
  await registerProject(await demoActor('3133050001.manager'), registerProjectSchema.parse({ code: `XB-3133050001-${year}`, name: '课堂观察与教学反思校本研修', category: '04', year: Number(daysAgo(60).slice(0, 4)), startDate: daysAgo(60), endDate: daysAgo(-45), plannedHours: 20, capacity: 60, description: '每两周一次同课异构与课堂观察，学期末提交教学反思。' }));
}
