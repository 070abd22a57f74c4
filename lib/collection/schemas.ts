import type { CompletenessProblem } from '@/lib/teachers/completeness';
import { z } from 'zod';
import { parseId } from '@/lib/http/params';

/** Client-safe schemas of the collection workflow (seed 六(二)–(五)). */
const id = z.coerce.number().int().positive();
const ids = z.array(id).min(1, '请至少选择一条记录').max(2000, '一次最多处理 2,000 条记录');
const reason = (label: string) => z.string().trim().min(2, `请填写${label}（至少 2 个字）`).max(500, `${label}不能超过 500 个字`);
const valuesSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const submitRecordsSchema = z.object({ teacherIds: ids });
export type SubmitRecordsInput = z.infer<typeof submitRecordsSchema>;

export const approveRecordsSchema = z.object({
  teacherIds: ids,
  comment: z.string().trim().max(500, '意见不能超过 500 个字').optional().default(''),
  /** Records the reviewer opened before a bulk approval (抽查), kept in the audit log. */
  sampled: z.array(id).max(2000).optional().default([]),
});
export type ApproveRecordsInput = z.infer<typeof approveRecordsSchema>;

export const returnRecordsSchema = z.object({ teacherIds: ids, reason: reason('退回原因') });
export type ReturnRecordsInput = z.infer<typeof returnRecordsSchema>;

export const reviewDelegationSchema = z.object({ granted: z.boolean() });

export const fileAdditionSchema = z.object({ teacherId: id, subset: z.string().max(32), values: valuesSchema });
export type FileAdditionInput = z.infer<typeof fileAdditionSchema>;

export const decideSchema = z
  .object({ id, decision: z.enum(['approve', 'return']), comment: z.string().trim().max(500, '意见不能超过 500 个字').optional().default('') })
  .superRefine((input, ctx) => {
    if (input.decision === 'return' && input.comment.length < 2) ctx.addIssue({ code: 'custom', path: ['comment'], message: '退回或驳回须填写原因（至少 2 个字）' });
  });
export type DecideInput = z.infer<typeof decideSchema>;

export const fileChangeRequestSchema = z.object({
  teacherId: id,
  subset: z.string().max(32),
  entryId: id.optional(),
  kind: z.enum(['update', 'delete']),
  values: valuesSchema.optional().default({}),
  reason: reason('变更原因'),
});
export type FileChangeRequestInput = z.infer<typeof fileChangeRequestSchema>;

export const setDeadlineSchema = z.object({
  deadline: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '请选择截止日期')
    .or(z.literal('')),
});
export type SetDeadlineInput = z.infer<typeof setDeadlineSchema>;

export const sendRemindersSchema = z.object({
  unitIds: z.array(id).min(1, '请至少选择一个单位').max(500),
  message: z.string().trim().min(2, '请填写催办内容').max(300, '催办内容不能超过 300 个字'),
});
export type SendRemindersInput = z.infer<typeof sendRemindersSchema>;

export const reminderIdSchema = z.object({ id });

export const reviewActionNames: Record<string, string> = {
  submit: '学校审核上报',
  return: '退回修改',
  approve: '审核通过，记录生效',
  'addition.file': '提交新增信息',
  'addition.schoolApprove': '学校审核通过新增信息',
  'addition.return': '退回新增信息',
  'addition.approve': '新增信息审核通过并生效',
  'change.file': '提交变更申请',
  'change.schoolApprove': '学校审核通过变更申请，报主管部门',
  'change.approve': '变更申请批准并生效',
  'change.reject': '驳回变更申请',
  'transfer.complete': '调动完成，记录转入新学校',
  'status.file': '申请在职情况变动',
  'status.change': '在职情况变动生效',
  'status.reject': '在职情况变动未获确认',
  'retirement.flexible': '设置弹性退休',
};

export const versionKindNames: Record<string, string> = { collection: '首次生效', addition: '新增信息', change: '信息变更', transfer: '教师调动', status: '在职情况变动' };

export const progressSortKeys = ['name', 'teachers', 'complete', 'submitted', 'effective', 'returned', 'status'] as const;
export type ProgressSortKey = (typeof progressSortKeys)[number];

/** Late: the deadline has passed and records are not all effective. At risk: 7 days or fewer and records not all reported. */
export type ProgressStatus = 'done' | 'on_track' | 'at_risk' | 'late' | 'no_data';
export const progressStatusNames: Record<ProgressStatus, string> = { done: '已完成', on_track: '正常', at_risk: '临期', late: '已逾期', no_data: '未登记' };
export const atRiskDays = 7;

export function progressStatus(input: { teachers: number; reported: number; effective: number; daysLeft: number | null }): ProgressStatus {
  if (input.teachers === 0) return 'no_data';
  if (input.effective === input.teachers) return 'done';
  if (input.daysLeft !== null && input.daysLeft < 0) return 'late';
  if (input.daysLeft !== null && input.daysLeft <= atRiskDays && input.reported < input.teachers) return 'at_risk';
  return 'on_track';
}

export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/** The progress page's state as it travels in the URL (page and export share it). */
export function parseProgressParams(params: Record<string, string | undefined>): { unitId?: number; sort?: ProgressSortKey; dir?: 'asc' | 'desc' } {
  return {
    unitId: parseId(params.unit) ?? undefined,
    sort: (progressSortKeys as readonly string[]).includes(params.sort ?? '') ? (params.sort as ProgressSortKey) : undefined,
    dir: params.dir === 'desc' ? 'desc' : params.dir === 'asc' ? 'asc' : undefined,
  };
}

/** A record the action could not move, and why (shown beside its name). */
export interface RefusedRecord {
  teacherId: number;
  name: string;
  reason: string;
}

export interface SubmitOutcome {
  submitted: number[];
  failed: { teacherId: number; name: string; problems: CompletenessProblem[] }[];
  refused: RefusedRecord[];
}




export interface ApproveOutcome {
  approved: number[];
  refused: RefusedRecord[];
}

/** What the filer of a change request is told: a teacher's goes to the school first. */
export function changeFiledMessage(state: 'pending_school' | 'pending', kind: 'update' | 'delete' = 'update'): string {
  const what = kind === 'delete' ? '删除申请' : '变更申请';
  return state === 'pending_school' ? `${what}已提交，学校审核后报主管教育行政部门批准，批准后生效。` : `${what}已提交，主管教育行政部门批准后生效。`;
}
