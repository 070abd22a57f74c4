import { z } from 'zod';
import { meetsPasswordPolicy, passwordPolicyText } from '@/lib/auth/password-policy';

export const signInSchema = z.object({
  username: z.string().trim().min(1, '请输入账号').max(64, '账号过长'),
  password: z.string().min(1, '请输入密码').max(128, '密码过长'),
  /** A TOTP code or a recovery code, asked for once the password has been accepted. */
  code: z.string().trim().max(20, '验证码过长').optional(),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, '请输入当前密码'),
    newPassword: z.string().refine(meetsPasswordPolicy, passwordPolicyText),
    confirmPassword: z.string().min(1, '请再次输入新密码'),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: '两次输入的新密码不一致' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: '新密码不能与当前密码相同' });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const accountIdSchema = z.object({ accountId: z.coerce.number().int().positive('账号无效') });
export type AccountIdInput = z.infer<typeof accountIdSchema>;

export const setAccountStatusSchema = accountIdSchema.extend({ status: z.enum(['active', 'disabled']) });
export type SetAccountStatusInput = z.infer<typeof setAccountStatusSchema>;

export const issueCredentialsSchema = z.object({
  unitIds: z.array(z.coerce.number().int().positive()).min(1, '请至少选择一个下级单位').max(5000, '一次最多为 5000 个单位生成初始密码'),
});
export type IssueCredentialsInput = z.infer<typeof issueCredentialsSchema>;

/** The message of a credential sheet that has been downloaded (and so deleted). */
export const credentialSheetDownloadedMessage = '已下载，文件已从系统删除';

/**
 * What a credential-sheet job keeps of its request: whose passwords (the sysadmins of chosen units
 * below, or the school's teachers who have none yet), and the requester's address for the audit rows.
 */
export const credentialSheetParamsSchema = z.discriminatedUnion('source', [
  issueCredentialsSchema.extend({ source: z.literal('subordinates'), ip: z.string().optional() }),
  z.object({ source: z.literal('teachers'), ip: z.string().optional() }),
]);
export type CredentialSheetParams = z.infer<typeof credentialSheetParamsSchema>;

export const addUniversityManagerSchema = z.object({
  schoolId: z.coerce.number().int().positive('请选择高等学校'),
  displayName: z.string().trim().min(2, '请填写使用人或用途，至少 2 个字').max(50, '不超过 50 个字'),
});
export type AddUniversityManagerInput = z.infer<typeof addUniversityManagerSchema>;
