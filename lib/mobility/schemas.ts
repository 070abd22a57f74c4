import { z } from 'zod';
import { addMonths } from '@/lib/months';
import { personnelStatusItems } from './status';

/** Client-safe schemas of 在职情况变动 and 即将退休. */
const id = z.coerce.number().int().positive();
const isRealDate = (value: string) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().slice(0, 10) === value;

export const recordStatusChangeSchema = z.object({
  teacherId: id,
  toStatus: z.string().refine((value) => personnelStatusItems.some((item) => item.code === value), '请选择新的人员状态'),
  effectiveDate: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写生效日期（YYYY-MM-DD）').refine(isRealDate, '生效日期不是真实的日期'),
  reason: z.string().trim().min(2, '请填写变动原因（至少 2 个字）').max(500, '变动原因不能超过 500 个字'),
  documentNumber: z.string().trim().max(100, '文号不能超过 100 个字').optional().default(''),
});
export type RecordStatusChangeInput = z.infer<typeof recordStatusChangeSchema>;

export const decideStatusChangeSchema = z
  .object({ id, decision: z.enum(['approve', 'return']), comment: z.string().trim().max(500, '意见不能超过 500 个字').optional().default('') })
  .superRefine((input, ctx) => {
    if (input.decision === 'return' && input.comment.length < 2) ctx.addIssue({ code: 'custom', path: ['comment'], message: '不同意须填写原因（至少 2 个字）' });
  });
export type DecideStatusChangeInput = z.infer<typeof decideStatusChangeSchema>;

export const markPendingRetirementSchema = z.object({ teacherIds: z.array(id).min(1, '请至少选择一名教师').max(500, '一次最多处理 500 名教师') });
export type MarkPendingRetirementInput = z.infer<typeof markPendingRetirementSchema>;

/** 即将退休: within this many months. */
export const retiringWithinMonths = 12;
/** The inbox reminds the school this many months ahead. */
export const retirementNoticeMonths = 6;

/** The months from this one on, `months` of them, as first days: retirement_month >= from and < until. */
export function retiringWindow(today: string, months: number): { from: string; until: string } {
  return { from: `${today.slice(0, 7)}-01`, until: `${addMonths(today.slice(0, 7), months)}-01` };
}

/** 弹性退休: the school sets a month up to 3 years before or after the statutory one, or clears it ('' ). */
export const setFlexibleRetirementSchema = z.object({
  teacherId: id,
  month: z
    .string()
    .trim()
    .refine((value) => value === '' || /^\d{4}-(0[1-9]|1[0-2])$/.test(value), '退休年月格式应为 YYYY-MM'),
  reason: z.string().trim().min(2, '请填写依据（至少 2 个字）').max(500, '依据不能超过 500 个字'),
  documentNumber: z.string().trim().max(100, '文号不能超过 100 个字').optional().default(''),
});
export type SetFlexibleRetirementInput = z.infer<typeof setFlexibleRetirementSchema>;
