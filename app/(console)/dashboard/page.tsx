import type { Metadata } from 'next';
import Link from 'next/link';
import { navItemsFor } from '@/components/console/nav-items';
import { PageTitle, StatCard } from '@/components/ui/stat-card';
import { roleNames } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { getUnitDetail } from '@/lib/units/queries';
import { getInbox } from '@/lib/inbox/queries';
import { InboxList } from '@/components/collection/inbox-list';
import { TransferYearCards } from '@/components/transfers/transfer-year-cards';
import { getTransferYearTotals } from '@/lib/transfers/queries';
import { MobilityCards } from '@/components/mobility/mobility-cards';
import { getMobilityTotals } from '@/lib/mobility/queries';
import { getRotationTotals } from '@/lib/rotations/queries';
import { TrainingCard } from '@/components/training/training-card';
import { getCompletion } from '@/lib/training/completion/queries';

export const metadata: Metadata = { title: '工作台' };

export default async function DashboardPage() {
  const actor = await requireStaff();
  const [detail, inbox, transfers, mobility, rotations, training] = await Promise.all([
    can(actor, 'unit.browse') ? getUnitDetail(actor, actor.unitId) : null,
    getInbox(actor),
    can(actor, 'transfer.view') ? getTransferYearTotals(actor) : null,
    can(actor, 'teacher.list') ? getMobilityTotals(actor) : null,
    can(actor, 'rotation.view') ? getRotationTotals(actor) : null,
    // Completion reads the standing of every teacher below: a county's or a school's is small; the tiers above open 培训完成情况.
    can(actor, 'training.view') && (actor.unitTier === 'county' || actor.unitTier === 'school') ? getCompletion(actor).then((data) => data.totals) : null,
  ]);
  const links = navItemsFor(actor).filter((item) => item.href !== '/dashboard');
  return (
    <div className="space-y-6">
      <PageTitle title="工作台" description={`${actor.unitName} · ${roleNames[actor.role]}`} />
      {detail && actor.unitKind === 'school' && (
        // A school's landing counts its own teachers, not the units it has none of.
        <section aria-label="本校教师概况" className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <StatCard label="登记教师" value={detail.counts.teachers} testId="count-teachers" />
          <StatCard label="记录已生效" value={detail.counts.recordsEffective} testId="count-effective" />
          <StatCard label="已报送待审核" value={detail.counts.recordsSubmitted} testId="count-submitted" />
          <StatCard label="被退回待修改" value={detail.counts.recordsReturned} testId="count-returned" />
        </section>
      )}
      {detail && actor.unitKind !== 'school' && (
        <section aria-label="管辖范围概况" className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <StatCard label="下级教育行政部门" value={detail.counts.authorities} testId="count-authorities" />
          <StatCard label="学校" value={detail.counts.activeSchools} testId="count-schools" />
          <StatCard label="培训机构" value={detail.counts.institutions} />
          <StatCard label="用户账号" value={detail.counts.accounts} testId="count-accounts" />
        </section>
      )}
      {transfers && <TransferYearCards totals={transfers} />}
      {mobility && <MobilityCards mobility={mobility} rotations={rotations} />}
      {training && <TrainingCard totals={training} />}
      {inbox.length > 0 && (
        <section aria-label="待办事项" className="space-y-2">
          <h2 className="text-sm font-semibold text-slate-700">待办事项</h2>
          <InboxList groups={inbox} />
        </section>
      )}
      {actor.role === 'institution' && (
        <div className="card p-4 text-sm text-slate-700">
          培训机构账号用于提交培训考核结果：在
          <Link href="/training" className="mx-1 text-brand-700 underline">
            培训项目与考核结果
          </Link>
          中查看本机构承训的项目，项目结束后填报或导入考核结果并提交。
        </div>
      )}
      {links.length > 0 && (
        <section className="card p-4">
          <h2 className="mb-3 text-sm font-semibold text-slate-700">常用功能</h2>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 md:grid-cols-4">
            {links.map((item) => (
              <Link key={item.href} href={item.href} className="rounded-md border border-slate-200 px-3 py-3 text-center text-sm text-brand-700 hover:border-brand-600 hover:bg-brand-50">
                {item.label}
              </Link>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
