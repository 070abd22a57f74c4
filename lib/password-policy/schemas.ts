import { z } from 'zod';
import type { Tier } from '@/lib/auth/actor';

/** Client-safe. Which accounts a scope's policy covers: the ministry its own, a province every tier in it, and its teachers. */
export const policyKeysByScope = {
  central: ['central'],
  province: ['province', 'city', 'county', 'school', 'teacher'],
} as const satisfies Partial<Record<Tier, readonly string[]>>;

export const policyKeyNames: Record<string, string> = {
  central: '教育部账号',
  province: '省级账号',
  city: '市级账号',
  county: '县级账号',
  school: '学校账号',
  teacher: '教师账号',
};

export const maxPasswordAgeDays = 3650;

const days = z.union([z.literal(''), z.coerce.number().int('请填写整数天数').min(30, '有效期不少于 30 天').max(maxPasswordAgeDays, `有效期不超过 ${maxPasswordAgeDays} 天`)]);

export const savePasswordPolicySchema = z.object({ maxAgeDays: z.record(z.string(), days) });
export type SavePasswordPolicyInput = z.infer<typeof savePasswordPolicySchema>;
