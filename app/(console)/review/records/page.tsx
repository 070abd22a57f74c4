import type { Metadata } from 'next';
import { ReviewQueue } from '@/components/collection/review-queue';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { listReviewQueue } from '@/lib/collection/queries';
import { formatDateTime } from '@/lib/format';
import { stageNames } from '@/lib/reference/school-types';
import { parseId } from '@/lib/http/params';

export const metadata: Metadata = { title: '记录审核' };

export default async function ReviewRecordsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission('record.review');
  const params = await searchParams;
  const number = (value?: string) => parseId(value) ?? undefined;
  const filters = { schoolId: number(params.school), stage: params.stage && params.stage in stageNames ? params.stage : undefined, after: number(params.after) };
  const { schools, rows, hasMore, total } = await listReviewQueue(actor, filters);
  const keep = new URLSearchParams(Object.entries({ school: params.school, stage: params.stage }).filter((e): e is [string, string] => !!e[1]));
  return (
    <div className="space-y-4">
      <PageTitle title="记录审核" description={`本单位主管的学校报送的教师信息，共 ${total.toLocaleString('zh-CN')} 条待审核。审核通过即生效；退回须填写原因，学校和教师本人可见。`} />
      <form className="card grid grid-cols-2 gap-3 p-3 sm:grid-cols-4 sm:items-end">
        <label className="col-span-2 text-xs text-slate-600 sm:col-span-1">
          学校
          <select name="school" defaultValue={params.school ?? ''} className="input mt-1">
            <option value="">全部学校</option>
            {schools.map((school) => (
              <option key={school.id} value={school.id}>
                {school.name}（{school.submitted}）
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          学段
          <select name="stage" defaultValue={params.stage ?? ''} className="input mt-1">
            <option value="">全部</option>
            {Object.entries(stageNames).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
          </select>
        </label>
        <button type="submit" className="btn-primary">筛选</button>
      </form>
      <ReviewQueue rows={rows.map((row) => ({ id: row.id, name: row.name, unitName: row.unitName, stageName: row.stageName, submitted: `${formatDateTime(row.submittedAt)}${row.submittedByName ? ` · ${row.submittedByName}` : ''}` }))} />
      <KeysetPager firstHref={filters.after ? `/review/records?${keep}` : null} nextHref={hasMore ? `/review/records?${new URLSearchParams([...keep, ['after', String(rows.at(-1)!.id)]])}` : null} />
    </div>
  );
}
