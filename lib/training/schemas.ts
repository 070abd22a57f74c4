import { z } from 'zod';
import { codeTables } from '@/lib/indicators/code-tables';
import { conversionRuleSchema, trainingCategories, type TrainingCategory, type TrainingLevel } from './rules';

/** Client-safe inputs and shapes of 培训学分(学时)管理 (seed 七(三)). */
const id = z.coerce.number().int().positive();
const isoDate = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, `请填写${label}（YYYY-MM-DD）`);
const codeOf = (table: keyof typeof codeTables, message: string) => z.string().refine((value) => codeTables[table].some((item) => item.code === value), message);
const text = (label: string, max: number) => z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);
/** A number typed in a form (a string) or sent as one. */
const decimal = (label: string, min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value)) : value),
    z.number({ error: `请填写${label}` }).refine(Number.isFinite, `${label}须为数字`).min(min, `${label}不能小于 ${min}`).max(max, `${label}不能超过 ${max}`),
  );

export const institutionTypeNames = Object.fromEntries(codeTables.institutionType.map((item) => [item.code, item.name])) as Record<string, string>;

export const registerInstitutionSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{6,16}$/, '机构代码为 6 至 16 位字母或数字，如 PX33010601'),
  name: text('机构名称', 100),
  institutionType: codeOf('institutionType', '请选择机构类型'),
  contactName: text('联系人', 50),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9-]{7,20}$/, '请填写联系电话（7 至 20 位数字，可含“-”）'),
});
export type RegisterInstitutionInput = z.infer<typeof registerInstitutionSchema>;

export const updateInstitutionSchema = registerInstitutionSchema.omit({ code: true }).extend({ id, status: z.enum(['active', 'closed'], { error: '请选择状态' }) });
export type UpdateInstitutionInput = z.infer<typeof updateInstitutionSchema>;

/** Another authority's institution, added to this authority's list by its code. */
export const linkInstitutionSchema = z.object({ code: z.string().trim().toUpperCase().min(1, '请填写机构代码').max(16, '机构代码不能超过 16 位') });

const categorySchema = z.enum(Object.keys(trainingCategories) as [TrainingCategory, ...TrainingCategory[]], { error: '请选择培训类别' });

export const projectFieldsSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9-]{4,32}$/, '项目编号为 4 至 32 位字母、数字或“-”'),
    name: text('项目名称', 100),
    category: categorySchema,
    year: z.coerce.number({ error: '请填写项目年度' }).int('请填写项目年度').min(2000, '项目年度不早于 2000 年').max(2100, '项目年度不晚于 2100 年'),
    startDate: isoDate('开始日期'),
    endDate: isoDate('结束日期'),
    plannedHours: decimal('计划学时', 0.5, 2000),
    capacity: z.coerce.number({ error: '请填写计划人数' }).int('计划人数须为整数').min(1, '计划人数至少为 1').max(1_000_000, '计划人数不能超过 1,000,000'),
    stages: z.array(codeOf('teachingStage', '学段无效')).max(10).default([]),
    subjects: z.array(z.string().trim().min(1).max(20, '学科名称不能超过 20 个字')).max(30, '学科不超过 30 个').default([]),
    forPrincipals: z.boolean().default(false),
    nominationOpen: z.boolean().default(false),
    institutionIds: z.array(id).max(10, '承训机构不超过 10 个').default([]),
    description: z.string().trim().max(1000, '项目说明不能超过 1000 个字').optional().default(''),
  })
  .superRefine((input, ctx) => {
    if (input.endDate < input.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
    if (input.startDate.slice(0, 4) !== String(input.year) && input.endDate.slice(0, 4) !== String(input.year)) ctx.addIssue({ code: 'custom', path: ['year'], message: '项目年度应与开始或结束日期的年份一致' });
  });
export const registerProjectSchema = projectFieldsSchema;
export type RegisterProjectInput = z.infer<typeof registerProjectSchema>;

export const projectDecisionSchema = z.object({ id, decision: z.enum(['approve', 'reject', 'withdraw'], { error: '操作无效' }), reason: z.string().trim().max(500, '意见不能超过 500 个字').optional().default('') });
export type ProjectDecisionInput = z.infer<typeof projectDecisionSchema>;

/** Up to this many ID numbers in one enrolment (paste or file). */
export const maxEnrolmentRows = 20_000;

export const enrolByListSchema = z.object({
  projectId: id,
  idNumbers: z.string().max(maxEnrolmentRows * 40, '名单过长，请分批导入').refine((value) => value.trim() !== '', '请粘贴参训教师的身份证件号码，每行一个'),
});
export type EnrolByListInput = z.infer<typeof enrolByListSchema>;

export const nominateSchema = z.object({ projectId: id, teacherIds: z.array(id).min(1, '请选择要推荐的教师').max(500, '一次最多推荐 500 人') });
export type NominateInput = z.infer<typeof nominateSchema>;

export const withdrawParticipantSchema = z.object({ projectId: id, participantId: id });

/** One participant's result as the institution enters it. */
export const resultSchema = z.object({
  participantId: id,
  attendedHours: decimal('实际学时', 0, 2000).refine((hours) => Math.abs(Math.round(hours * 10) - hours * 10) < 1e-9, '实际学时最多一位小数'),
  passed: z.enum(['1', '0'], { error: '请选择考核结果' }),
  score: z.preprocess((value) => (value === '' || value === null ? undefined : typeof value === 'string' ? Number(value) : value), z.number().min(0, '成绩不能小于 0').max(100, '成绩不能超过 100').optional()),
  certificateNo: z.string().trim().max(64, '证书编号不能超过 64 个字').optional().default(''),
});
export type ResultInput = z.infer<typeof resultSchema>;

export const saveResultsSchema = z.object({ projectId: id, results: z.array(resultSchema).min(1, '请填写考核结果').max(500, '一次最多保存 500 条') });
export type SaveResultsInput = z.infer<typeof saveResultsSchema>;

export const submitResultsSchema = z.object({ projectId: id });

export const reviewSubmissionSchema = z.object({
  id,
  action: z.enum(['confirm', 'return'], { error: '操作无效' }),
  /** Confirm: the participants confirmed; the rest are returned with the reason. Empty with confirm: all. */
  participantIds: z.array(id).max(20_000).default([]),
  reason: z.string().trim().max(500, '意见不能超过 500 个字').optional().default(''),
});
export type ReviewSubmissionInput = z.infer<typeof reviewSubmissionSchema>;

export const saveRuleSchema = z.object({ rule: conversionRuleSchema, note: z.string().trim().max(200, '说明不能超过 200 个字').optional().default('') });
export type SaveRuleInput = z.infer<typeof saveRuleSchema>;

/** Results-file columns; the header row must carry these names. A row is matched by 参训编号 (the template fills it) or by the full ID number. */
export const resultColumns = { participantNo: '参训编号', idNumber: '身份证件号码', teacherIdMasked: '证件号码（脱敏）', school: '所在学校', name: '姓名', attendedHours: '实际学时', passed: '考核结果', score: '成绩', certificateNo: '结业证书编号' } as const;
export const maxResultRows = 20_000;

export const projectStateNames = { pending: '待主管部门审核', rejected: '未通过', registered: '已登记', cancelled: '已撤销' } as const;
export const participantStateNames = { enrolled: '已报名', submitted: '结果待确认', returned: '已退回机构', confirmed: '已确认学分' } as const;
export const submissionStateNames = { submitted: '待确认', returned: '已退回', confirmed: '已确认' } as const;

/** The record's 培训类别 (national: 国家级 … 县级, 校本研修, 自主研修) of a project's level and category. */
export function recordCategoryOf(level: TrainingLevel, category: TrainingCategory): string {
  if (category === '05') return '06';
  if (category === '04' || level === '5') return '05';
  return `0${level}`;
}

/** The record's 培训方式 of a category: face to face, online or mixed. */
export function recordModeOf(category: TrainingCategory): string {
  return category === '02' ? '02' : category === '03' ? '03' : '01';
}

/** 校本研修 or 自主研修 hours filed with evidence by the teacher (or the school for the teacher). */
export const fileTrainingSchema = z
  .object({
    teacherId: z.coerce.number().int().nonnegative().optional().default(0),
    category: z.enum(['04', '05'], { error: '请选择研修类别' }),
    title: text('研修内容', 100),
    hours: decimal('学时', 0.5, 500),
    startDate: isoDate('开始日期'),
    endDate: isoDate('结束日期'),
    description: z.string().trim().max(500, '说明不能超过 500 个字').optional().default(''),
  })
  .superRefine((input, ctx) => {
    if (input.endDate < input.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
  });
export type FileTrainingInput = z.infer<typeof fileTrainingSchema>;

export const filingDecisionSchema = z.object({ id, decision: z.enum(['approve', 'reject', 'withdraw'], { error: '操作无效' }), reason: z.string().trim().max(500, '意见不能超过 500 个字').optional().default('') });
export type FilingDecisionInput = z.infer<typeof filingDecisionSchema>;

export const filingStateNames = { pending_school: '待学校审核', pending_authority: '待主管部门审核', confirmed: '已确认学分', rejected: '未通过', withdrawn: '已撤回' } as const;
