import type { StoredRecord } from '@/lib/db/schema';
import type { Stage } from '@/lib/reference/school-types';
import { z } from 'zod';
import { checkResidentIdNumber, normalizeIdNumber } from '@/lib/reference/id-number';
import { codeTables } from '@/lib/indicators/code-tables';
import { collectionScopeProblem, todayIso } from '@/lib/indicators/form-schema';
import { parseConditions } from '@/lib/statistics/query-builder';
import { idParam, parseSearchParams, textParam } from '@/lib/http/params';

/** Client-safe schemas of the teacher module. */
export const residentIdType = '1';
const idTypeCodes = codeTables.idDocumentType.map((item) => item.code);

/**
 * The registration data (seed 六(一)): name, gender, birth date, ID type and number, plus what decides
 * whether the person is collected at all (seed 三(二)).
 */
/** Whole years of age on a day (both YYYY-MM-DD). */
function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export const createTeacherSchema = z
  .object({
    name: z.string().trim().min(1, '请填写姓名').max(50, '姓名不能超过 50 个字'),
    gender: z.enum(['1', '2'], { message: '请选择性别' }),
    birthDate: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, '出生日期格式应为 YYYY-MM-DD'),
    idType: z.string().refine((value) => idTypeCodes.includes(value), '请选择证件类型'),
    idNumber: z.string().trim().min(1, '请填写证件号码').max(32, '证件号码不能超过 32 位').transform((value) => normalizeIdNumber(value).toUpperCase()),
    onEstablishment: z.enum(['1', '0'], { message: '请选择是否在编' }),
    contractOneYearOrMore: z.enum(['1', '0', '']).default(''),
    postCategory: z.string().refine((value) => codeTables.postCategory.some((item) => item.code === value), '请选择岗位类别'),
  })
  .superRefine((input, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.birthDate > todayIso()) fail('birthDate', '出生日期不能晚于今天');
    else {
      // Staff are of working age (16 in law); a re-hired retiree may be in their seventies.
      const age = ageOn(input.birthDate, todayIso());
      if (age < 16) fail('birthDate', `按此出生日期，本人现年 ${age} 岁，未满 16 周岁，不能登记为教职工，请核对`);
      else if (age > 80) fail('birthDate', `按此出生日期，本人现年 ${age} 岁，请核对出生日期`);
    }
    if (input.idType === residentIdType) {
      const check = checkResidentIdNumber(input.idNumber);
      if (!check.ok) fail('idNumber', check.message);
      else {
        if (check.birthDate !== input.birthDate) fail('birthDate', `出生日期与身份证号码不一致（证件中为 ${check.birthDate}）`);
        if ((check.gender === 'male' ? '1' : '2') !== input.gender) fail('gender', '性别与身份证号码不一致（第 17 位奇数为男、偶数为女）');
      }
    } else if (!/^[0-9A-Za-z()（）-]{4,32}$/.test(input.idNumber)) {
      fail('idNumber', '证件号码应为 4–32 位字母或数字');
    }
    if (input.onEstablishment === '0' && input.contractOneYearOrMore === '') fail('contractOneYearOrMore', '非在编人员须说明合同期是否一年以上');
    const scope = collectionScopeProblem(input);
    if (scope) fail(scope.field, scope.message);
  });

export type CreateTeacherInput = z.infer<typeof createTeacherSchema>;

const valuesSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const saveSectionSchema = z.object({
  teacherId: z.coerce.number().int().positive(),
  revision: z.coerce.number().int().min(0),
  subset: z.string().max(32),
  values: valuesSchema,
});
export type SaveSectionInput = z.infer<typeof saveSectionSchema>;

export const saveEntrySchema = z.object({
  teacherId: z.coerce.number().int().positive(),
  subset: z.string().max(32),
  entryId: z.coerce.number().int().positive().optional(),
  values: valuesSchema,
});
export type SaveEntryInput = z.infer<typeof saveEntrySchema>;

export const deleteEntrySchema = z.object({
  teacherId: z.coerce.number().int().positive(),
  entryId: z.coerce.number().int().positive(),
});
export type DeleteEntryInput = z.infer<typeof deleteEntrySchema>;

export const teacherIdSchema = z.object({ teacherId: z.coerce.number().int().positive() });
export type TeacherIdInput = z.infer<typeof teacherIdSchema>;

export const recordStateNames = { draft: '草稿', submitted: '已报送', effective: '已生效' } as const;
export type RecordState = keyof typeof recordStateNames;

export const maxPhotoBytes = 60 * 1024;

/** The list filters as they travel in the URL (shared by the list, the export page and its download). */
const teacherFilterShape = {
  q: textParam(50),
  unit: idParam,
  stage: textParam(30),
  gender: textParam(2),
  status: textParam(4),
  state: textParam(12),
  after: idParam,
};

export function parseTeacherFilters(params: Record<string, string | string[] | undefined>) {
  const p = parseSearchParams(teacherFilterShape, params);
  return {
    q: p.q,
    unitId: p.unit,
    stage: p.stage,
    gender: p.gender,
    personnelStatus: p.status,
    state: p.state,
    after: p.after,
    conditions: parseConditions(params.cond),
  };
}

/** Columns of the 4-item registration sheet (seed 六(一)), plus what decides the collection scope. */
export const registrationColumns = {
  name: '姓名',
  gender: '性别',
  birthDate: '出生日期',
  idType: '身份证件类型',
  idNumber: '身份证件号码',
  onEstablishment: '是否在编',
  contractOneYearOrMore: '合同期一年以上',
  postCategory: '岗位类别',
} as const;

export const maxRegistrationRows = 2000;

export interface RegistrationRowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

/** An export with full ID numbers states why; the purpose is kept in the audit log and on the sheet. */
export const exportPurposeSchema = z.string().trim().min(4, '导出完整证件号码须填写用途，至少 4 个字').max(200, '用途不超过 200 个字');

/** A teacher row loaded within the actor's scope, with what the record rules need. */
export interface ScopedTeacher {
  id: number;
  unitId: number;
  unitPath: string;
  unitParentId: number | null;
  provinceUnitId: number | null;
  stage: Stage;
  accountId: number | null;
  recordState: 'draft' | 'submitted' | 'effective';
  revision: number;
  record: StoredRecord;
  /** A transfer is open: the record is read-only except through it. */
  transferOpen: boolean;
}
