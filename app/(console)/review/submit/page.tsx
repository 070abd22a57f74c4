import type { Metadata } from 'next';
import Link from 'next/link';
import { SchoolReview } from '@/components/collection/school-review';
import { StatCard, PageTitle } from '@/components/ui/stat-card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { listSchoolDrafts, type SchoolReviewFilter } from '@/lib/collection/queries';
import { getSchoolManagerDelegation } from '@/lib/accounts/queries';
import { DelegationSwitch } from '@/components/collection/delegation-switch';
import { parseId } from '@/lib/http/params';

export const metadata: Metadata = { title: '审核上报' };

const filters: { key: SchoolReviewFilter; label: string }[] = [
  { key: 'all', label: '全部草稿' },
  { key: 'complete', label: '已完整可报送' },
  { key: 'incomplete', label: '尚不完整' },
  { key: 'returned', label: '被退回' },
];

export default async function SchoolReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('record.submit');
  const params = await searchParams;
  const filter = (filters.find((f) => f.key === params.filter)?.key ?? 'all') as SchoolReviewFilter;
  const after = parseId(params.after) ?? undefined;
  const [{ counts, rows, hasMore }, delegated] = await Promise.all([listSchoolDrafts(actor, filter, after), can(actor, 'record.delegateReview') ? getSchoolManagerDelegation(actor) : Promise.resolve(null)]);
  const drafts = counts.teachers - counts.submitted - counts.effective;
  return (
    <div className="space-y-4">
      <PageTitle title="审核上报" description="学校负责人逐条或批量确认教师信息，系统先做完整性检测，通过的记录报送主管教育行政部门审核。" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <StatCard label="登记教师" value={counts.teachers} />
        <StatCard label="草稿" value={drafts} testId="count-draft" />
        <StatCard label="其中被退回" value={counts.returned} testId="count-returned" />
        <StatCard label="已报送待审核" value={counts.submitted} testId="count-submitted" />
        <StatCard label="已生效" value={counts.effective} testId="count-effective" />
      </div>
      {delegated !== null && <DelegationSwitch granted={delegated} />}
      <nav className="flex flex-wrap gap-2 text-sm" aria-label="筛选">
        {filters.map((f) => (
          <Link key={f.key} href={`/review/submit?filter=${f.key}`} aria-current={f.key === filter ? 'page' : undefined} className={`rounded-full border px-3 py-1 ${f.key === filter ? 'border-brand-600 bg-brand-50 text-brand-700' : 'border-slate-200 bg-white text-slate-700'}`}>
            {f.label}
          </Link>
        ))}
      </nav>
      <SchoolReview rows={rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() }))} />
      <KeysetPager firstHref={after ? `/review/submit?filter=${filter}` : null} nextHref={hasMore ? `/review/submit?filter=${filter}&after=${rows.at(-1)!.id}` : null} />
    </div>
  );
}
