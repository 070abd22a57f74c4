import type { Metadata } from 'next';
import { z } from 'zod';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { ViewTabs } from '@/components/workflow/view-tabs';
import { FilingForm } from '@/components/training/filing-form';
import { FilingList } from '@/components/training/filing-list';
import { can } from '@/lib/auth/policy';
import { requirePermission } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { filingViews, listFilings } from '@/lib/training/filings/queries';
import { listSchoolTeacherChoices } from '@/lib/training/projects/queries';

export const metadata: Metadata = { title: '校本研修与自主研修' };

export default async function FilingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('training.view');
  const params = parseSearchParams({ view: z.enum(filingViews), before: idParam }, await searchParams);
  const view = params.view ?? 'waiting';
  const [{ rows, hasMore }, teachers] = await Promise.all([listFilings(actor, { view, before: params.before }), can(actor, 'training.file') ? listSchoolTeacherChoices(actor) : null]);
  return (
    <div className="space-y-4">
      <PageTitle title="校本研修与自主研修" description="教师（或学校为教师）申报的校本研修、自主研修学时：学校审核后报主管教育行政部门确认，按本省转化规则折算学分。" />
      <ViewTabs label="研修申报视图" views={filingViews} names={{ waiting: '待我审核', all: '全部' }} current={view} hrefOf={(key) => `/training/filings?view=${key}`} />
      {rows.length === 0 ? <p className="card p-6 text-center text-sm text-slate-500">{view === 'waiting' ? '没有等待本单位审核的研修申报。' : '没有研修申报。'}</p> : <FilingList rows={rows} showTeacher />}
      <KeysetPager firstHref={params.before ? `/training/filings?view=${view}` : null} nextHref={hasMore ? `/training/filings?view=${view}&before=${rows.at(-1)!.id}` : null} />
      {teachers && <FilingForm teachers={teachers} />}
    </div>
  );
}
