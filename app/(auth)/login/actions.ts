'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { safeNextPath } from '@/lib/auth/redirect';
import { homePathForLogin } from '@/lib/auth/session';
import { signInSchema } from '@/lib/accounts/schemas';
import { invalidInput, type ActionResult } from '@/lib/result';

/** The same words whatever went wrong with the name or password: the page must not tell which. */
const invalidCredentialsMessage = '账号或密码错误，或账号不可用。如需帮助，请联系上级系统管理员。';

export type SignInResult = ActionResult<{ redirectTo: string }> | { ok: false; message: string; needsCode: true };

function refusal(code: string): SignInResult {
  const [kind, detail] = code.split(/:(.*)/s);
  if (kind === 'throttled') {
    const minutes = Math.max(1, Math.ceil(Number(detail) / 60));
    return { ok: false, message: `本机登录失败次数过多，请 ${minutes} 分钟后再试。` };
  }
  if (kind === 'second_factor') {
    return { ok: false, needsCode: true, message: detail === 'rejected' ? '动态验证码不正确或已使用，请重新输入。' : '请输入身份验证器中的 6 位动态验证码，或一个恢复码。' };
  }
  return { ok: false, message: invalidCredentialsMessage };
}

export async function signInAction(input: unknown): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    await signIn('credentials', { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin) return refusal(error.code);
    if (error instanceof AuthError) return { ok: false, message: '登录失败，请稍后重试。' };
    throw error;
  }
  return { ok: true, data: { redirectTo: safeNextPath((input as { next?: unknown }).next, homePathForLogin(parsed.data.username)) } };
}
