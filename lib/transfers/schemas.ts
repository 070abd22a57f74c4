import { z } from 'zod';
import { codeTables } from '@/lib/indicators/code-tables';
import { normalizeIdNumber } from '@/lib/reference/id-number';
import type { TransferState } from '@/lib/db/schema';

/** Client-safe schemas of 教师调动. */
const id = z.coerce.number().int().positive();
const month = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `${label}格式应为 YYYY-MM`);

/** Both must match the same teacher: nobody browses other schools' staff. */
export const findTransferTeacherSchema = z.object({
  idNumber: z
    .string()
    .trim()
    .min(1, '请输入教师的证件号码')
    .max(32, '证件号码不能超过 32 位')
    .transform((value) => normalizeIdNumber(value).toUpperCase()),
  name: z.string().trim().min(1, '请输入教师姓名').max(50, '姓名不能超过 50 个字'),
});
export type FindTransferTeacherInput = z.infer<typeof findTransferTeacherSchema>;

export { maxAttachmentBytes } from '@/lib/attachments';

export const fileTransferSchema = findTransferTeacherSchema.extend({
  kind: z.enum(['transfer', 'rotation', 'rehire']).default('transfer'),
  /** For a rotation (交流轮岗, 人走关系走): its rotationKind code. */
  rotationKind: z.string().trim().max(2, '请选择交流轮岗类型').optional().default(''),
  reason: z.string().trim().min(2, '请填写调动原因（至少 2 个字）').max(500, '调动原因不能超过 500 个字'),
  postCategory: z.string().refine((value) => codeTables.postCategory.some((item) => item.code === value), '请选择拟任岗位类别'),
  postTitle: z.string().trim().max(50, '拟任岗位不能超过 50 个字').optional().default(''),
  plannedArrivalMonth: month('拟到岗年月'),
});
export type FileTransferInput = Omit<z.infer<typeof fileTransferSchema>, 'rotationKind'> & { rotationKind?: string };

export const transferStepSchema = z
  .object({
    id,
    action: z.enum(['confirm', 'agree', 'reject', 'withdraw', 'receive']),
    reason: z.string().trim().max(500, '意见不能超过 500 个字').optional().default(''),
    /** Set by the sending school when it agrees. */
    leavingMonth: z.string().trim().optional().default(''),
    /** Set by the receiving school when it receives the file (defaults to the planned month). */
    arrivalMonth: z.string().trim().optional().default(''),
  })
  .superRefine((input, ctx) => {
    if (input.action === 'reject' && input.reason.length < 2) ctx.addIssue({ code: 'custom', path: ['reason'], message: '不同意须填写原因（至少 2 个字）' });
    if (input.action === 'agree' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(input.leavingMonth)) ctx.addIssue({ code: 'custom', path: ['leavingMonth'], message: '请填写离校年月（YYYY-MM）' });
    if (input.action === 'receive' && input.arrivalMonth && !/^\d{4}-(0[1-9]|1[0-2])$/.test(input.arrivalMonth)) ctx.addIssue({ code: 'custom', path: ['arrivalMonth'], message: '到岗年月格式应为 YYYY-MM' });
  });
export type TransferStepInput = z.infer<typeof transferStepSchema>;

export const transferViews = ['waiting', 'incoming', 'outgoing', 'all'] as const;
export type TransferView = (typeof transferViews)[number];
export const transferViewNames: Record<TransferView, string> = { waiting: '待我处理', incoming: '调入', outgoing: '调出', all: '全部' };

export interface TransferCandidate {
  name: string;
  idNumberMasked: string;
  gender: string;
  schoolName: string;
}

export interface TransferListRow {
  id: number;
  kind: 'transfer' | 'rotation' | 'rehire';
  state: TransferState;
  teacherName: string;
  teacherIdMasked: string;
  sendingSchoolName: string;
  receivingSchoolName: string;
  crossProvince: boolean;
  filedAt: Date;
  stateSince: Date;
  daysWaiting: number;
  overdue: boolean;
  /** The actor's unit acts next. */
  mine: boolean;
}
