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
        <dl className="mt-6 space-y-2 text-sm text-blue-50" data-testid="login-kinds">
          <div>
            <dt className="inline font-semibold">教师：</dt>
            <dd className="inline">账号是本人的身份证件号码，初始密码由学校发放。</dd>
          </div>
          <div>
            <dt className="inline font-semibold">各级管理人员与培训机构：</dt>
            <dd className="inline">使用上级单位系统管理员分发的账号（单位代码加岗位，如 330106.manager）。</dd>
          </div>
          <p className="text-xs text-blue-100">忘记密码请联系学校或上级单位系统管理员重置。</p>
        </dl>
      </div>
    </main>
  );
}
