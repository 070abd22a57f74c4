'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { formatTime } from '@/lib/format';
import { signIn } from '@/lib/auth/auth';
import { signInSchema } from '@/lib/accounts/schemas';
import { invalidInput, type ActionResult } from '@/lib/result';

function refusalMessage(code: string): string {
  const [kind, detail] = code.split(/:(.*)/s);
  if (kind === 'locked') {
    const until = detail ? new Date(detail) : null;
    return `连续 5 次密码错误，账号已被锁定${until ? `至 ${formatTime(until)}` : ' 15 分钟'}。请稍后再试，或联系上级系统管理员解锁。`;
  }
  if (kind === 'disabled') return '该账号已停用或所属单位已撤销，请联系系统管理员。';
  const left = Number(detail);
  return detail && left > 0 ? `账号或密码错误。再错 ${left} 次，账号将被锁定 15 分钟。` : '账号或密码错误。';
}

export async function signInAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    await signIn('credentials', { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin) return { ok: false, message: refusalMessage(error.code) };
    if (error instanceof AuthError) return { ok: false, message: '登录失败，请稍后重试。' };
    throw error;
  }
  const next = (input as { next?: unknown }).next;
  const redirectTo = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return { ok: true, data: { redirectTo } };
}
