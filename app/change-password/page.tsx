import type { Metadata } from 'next';
import Link from 'next/link';
import { roleNames } from '@/lib/auth/actor';
import { homePathFor, mustChangePassword, requireActorForPasswordChange } from '@/lib/auth/session';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: '修改密码' };

export default async function ChangePasswordPage() {
  const actor = await requireActorForPasswordChange();
  const forced = mustChangePassword(actor);
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-10 sm:items-center">
      <div className="w-full max-w-sm">
        <div className="card p-6">
          <h1 className="text-lg font-semibold">修改密码</h1>
          <p className="mt-1 text-sm text-slate-600">
            {actor.unitName} · {roleNames[actor.role]} · <span className="font-mono">{actor.loginLabel}</span>
          </p>
          {forced && (
            <p data-testid="forced-change-notice" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
              {actor.passwordExpired && !actor.mustChangePassword ? '您的密码已超过本省（部）规定的有效期。' : '您正在使用初始密码或被重置的密码。'}为保障数据安全，请先设置新密码再使用系统。
            </p>
          )}
          <div className="mt-4">
            <ChangePasswordForm />
          </div>
          {!forced && (
            <Link href={homePathFor(actor)} className="mt-4 block text-center text-sm text-brand-600 hover:underline">
              返回
            </Link>
          )}
        </div>
      </div>
    </main>
  );
}
