import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/audit/service';
import { generateInitialPassword, hashPassword } from '@/lib/auth/password';
import { centralUnitCode } from '@/lib/units/defaults';
import { idCheckCharacter } from '@/lib/reference/id-number';
import { schoolTypes } from '@/lib/reference/school-types';
import { initializeNationalTree, insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import type { Database, Executor } from './client';
import { accounts, teacherEntries, units } from './schema';
import { getSchoolTarget, insertTeachers, refreshCompleteness, sealLegacyIdNumbers } from '@/lib/teachers/service';
import { isTeacherLoginName, loginNameFor, teacherLoginName } from '@/lib/teachers/identity';

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
}

interface DemoSchool {
  code: string;
  name: string;
  type: string;
  authorityCode: string;
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
];

const demoLogins: { unitCode: string; suffixes: string[]; tier: string }[] = [
  { unitCode: '000000', suffixes: ['admin', 'manager', 'query1', 'audit'], tier: '中央' },
  { unitCode: '330000', suffixes: ['admin', 'manager', 'query1', 'audit'], tier: '省级（浙江）' },
  { unitCode: '330100', suffixes: ['admin', 'manager', 'query1'], tier: '市级（杭州）' },
  { unitCode: '330106', suffixes: ['admin', 'manager', 'query1'], tier: '县级（西湖区）' },
  { unitCode: '2133060001', suffixes: ['admin', 'manager', 'query1'], tier: '校级（示范小学）' },
  { unitCode: 'PX33000001', suffixes: ['submit'], tier: '培训机构' },
];

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(units);
  return row.n === 0;
}

/** Creates the national authority tree; safe to run on every start. */
export async function initializeReferenceData(db: Database): Promise<number> {
  const created = await db.transaction(async (tx) => (await initializeNationalTree(tx)).created);
  // ID numbers left in clear by an older version (or a raw load) are encrypted before anyone signs in.
  await sealLegacyIdNumbers(db);
  return created;
}

/** Demo schools, an institution, a teacher and demo logins for every tier and role. */
export async function seedDemoData(db: Database): Promise<DemoAccount[]> {
  const passwordHash = await hashPassword(demoPassword);
  return db.transaction(async (tx) => {
    await initializeNationalTree(tx);
    const authorities = await tx.select({ id: units.id, code: units.code, path: units.path }).from(units).where(inArray(units.code, ['000000', '330000', '330106']));
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
            divisionCode: '330106',
            schoolTypeCode: school.type,
            stage: type.stage,
            ownership: 'public' as const,
          };
        }),
      );
      const province = byCode.get('330000')!;
      await insertUnitsWithDefaultAccounts(tx, [
        { code: 'PX33000001', name: '浙江省中小学教师培训示范中心', kind: 'institution', tier: 'school', parentId: province.id, parentPath: province.path, divisionCode: '330106' },
      ]);
      await seedDemoTeachers(tx);
    }
    const usernames = [...demoLogins.flatMap((l) => l.suffixes.map((s) => `${l.unitCode}.${s}`)), teacherLoginName(demoTeacherId)];
    await tx
      .update(accounts)
      .set({ passwordHash, isDemo: true, mustChangePassword: false, passwordIssuedAt: new Date() })
      .where(inArray(accounts.username, usernames));
    return listDemoAccountsWith(tx);
  });
}

const roleLabels: Record<string, string> = { sysadmin: '系统管理员', manager: '信息管理员', viewer: '信息查询员', teacher: '教师', institution: '培训机构' };

async function listDemoAccountsWith(executor: Executor): Promise<DemoAccount[]> {
  const rows = await executor
    .select({ username: accounts.username, role: accounts.role, unitName: units.name, unitCode: units.code, path: units.path })
    .from(accounts)
    .innerJoin(units, eq(units.id, accounts.unitId))
    .where(eq(accounts.isDemo, true))
    .orderBy(sql`nlevel(${units.path})`, units.code, accounts.username);
  const tierOf = new Map(demoLogins.map((l) => [l.unitCode, l.tier]));
  // The teacher signs in with the ID number; the account name is only its keyed hash.
  return rows.map((row) => ({ tier: tierOf.get(row.unitCode) ?? '校级（示范小学）', role: roleLabels[row.role], username: isTeacherLoginName(row.username) ? demoTeacherId : row.username, unitName: row.unitName }));
}

/** Demo accounts that are still demo accounts (issuing credentials turns one into a normal account). */
export function listDemoAccounts(db: Database): Promise<DemoAccount[]> {
  return listDemoAccountsWith(db);
}

/**
 * The ministry's sysadmin has no superior to issue its password. On an install without demo data
 * it gets one here, printed once on the server console and to be changed at first sign-in.
 */
export async function issueBootstrapPassword(db: Database): Promise<{ username: string; password: string } | null> {
  const username = `${centralUnitCode}.admin`;
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, passwordIssuedAt: new Date() })
      .where(and(eq(accounts.username, username), isNull(accounts.passwordHash)))
      .returning({ id: accounts.id });
    if (!row) return null;
    await recordAudit(tx, { accountId: null, username: 'system', unitId: null, ip: null }, { action: 'account.password.bootstrap', targetType: 'account', targetId: row.id });
    return { username, password };
  });
}

/** Console tool: issue a fresh initial password to one account (e.g. the ministry's sysadmin). */
export async function issuePasswordFromConsole(db: Database, username: string): Promise<string> {
  const password = generateInitialPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, isDemo: false, sessionVersion: sql`${accounts.sessionVersion} + 1`, passwordIssuedAt: new Date() })
      .where(eq(accounts.username, loginNameFor(username)))
      .returning({ id: accounts.id });
    if (!row) throw new Error(`no account named ${username}`);
    await recordAudit(tx, { accountId: null, username: 'console', unitId: null, ip: null }, { action: 'account.password.reset', targetType: 'account', targetId: row.id, detail: { username, via: 'console' } });
  });
  return password;
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
      const gender: '1' | '2' = isWangFang || i % 3 !== 1 ? '2' : '1';
      const birthDate = isWangFang ? '1985-03-15' : `${1968 + ((i * 7) % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
      const idNumber = isWangFang ? demoTeacherId : demoId('330106', birthDate, 100 + i + (code === '3133060001' ? 200 : 0), gender);
      const name = isWangFang ? '王芳' : demoSurnames[(i * 3 + code.length) % demoSurnames.length] + demoGivenNames[(i * 5) % demoGivenNames.length];
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
            personnelStatus: '01',
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
