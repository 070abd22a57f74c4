import type { Metadata } from 'next';
import Link from 'next/link';
import { roleNames, tierNames } from '@/lib/auth/actor';
import { homePathFor, mustEnrolSecondFactor, requireActorForEnrolment } from '@/lib/auth/session';
import { TwoFactorEnrolment } from './two-factor-enrolment';

export const metadata: Metadata = { title: '双因素认证' };

export default async function TwoFactorPage() {
  const actor = await requireActorForEnrolment();
  const required = mustEnrolSecondFactor(actor);
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-10 sm:items-center">
      <div className="w-full max-w-md">
        <div className="card p-6">
          <h1 className="text-lg font-semibold">双因素认证（动态验证码）</h1>
          <p className="mt-1 text-sm text-slate-600">
            {actor.unitName} · {actor.unitKind === 'institution' ? '培训机构' : tierNames[actor.unitTier]}{roleNames[actor.role]} · <span className="font-mono">{actor.loginLabel}</span>
          </p>
          {required && (
            <p data-testid="two-factor-required" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
              按网络安全等级保护三级要求，{tierNames[actor.unitTier]}单位的管理账号须使用“密码 + 动态验证码”登录。请先完成绑定再使用系统。
            </p>
          )}
          <div className="mt-4">
            {actor.totpEnabled ? (
              <p data-testid="two-factor-enabled" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
                已启用双因素认证。更换手机或丢失身份验证器时，请用恢复码登录，或请上级系统管理员重置后重新绑定。
              </p>
            ) : (
              <TwoFactorEnrolment continueHref={homePathFor(actor)} />
            )}
          </div>
          {!required && (
            <Link href={homePathFor(actor)} className="mt-4 block text-center text-sm text-brand-600 hover:underline">
              返回
            </Link>
          )}
        </div>
      </div>
    </main>
  );
}
