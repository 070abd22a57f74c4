'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { savePasswordPolicySchema } from '@/lib/password-policy/schemas';
import { savePasswordPolicy } from '@/lib/password-policy/service';

export const savePasswordPolicyAction = defineAction('security.passwordPolicy.save', savePasswordPolicySchema, savePasswordPolicy, () => revalidatePath('/security-policy'));
