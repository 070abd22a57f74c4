import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentActor, homePathFor } from '@/lib/auth/session';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: '登录' };

const notices: Record<string, string> = {
  'password-changed': '密码已修改，请使用新密码重新登录。',
  'signed-out': '您已安全退出。',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; notice?: string }> }) {
  const actor = await getCurrentActor();
  if (actor) redirect(homePathFor(actor));
  const { next, notice } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-brand-900 to-brand-700 px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center text-white">
          <p className="text-3xl font-bold tracking-wide">师管</p>
          <h1 className="mt-1 text-lg">全国教师管理信息系统</h1>
        </div>
        <div className="card p-6">
          <h2 className="mb-4 text-base font-semibold text-slate-800">账号登录</h2>
          <LoginForm next={next} notice={notice ? notices[notice] : undefined} />
        </div>
        <p className="mt-6 text-center text-xs text-blue-100">账号由上级单位系统管理员分发。忘记密码请联系上级系统管理员重置。</p>
      </div>
    </main>
  );
}
