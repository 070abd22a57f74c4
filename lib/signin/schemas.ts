import { z } from 'zod';

/** Client-safe. */
export const confirmTotpSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, '请输入身份验证器显示的 6 位数字') });
export type ConfirmTotpInput = z.infer<typeof confirmTotpSchema>;
