import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { RetiringTable } from '@/components/mobility/retiring-table';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { listRetiring } from '@/lib/mobility/queries';

export const metadata: Metadata = { title: '即将退休' };

export default async function RetiringPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('teacher.list');
  const params = parseSearchParams({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), id: idParam }, await searchParams);
  const after = params.month && params.id ? { month: params.month, id: params.id } : undefined;
  const { rows, hasMore, total, window } = await listRetiring(actor, { after });
  const last = rows.at(-1);
  return (
    <div className="space-y-4">
      <PageTitle
        title="即将退休"
        description={`${actor.unitName}范围内未来 12 个月（${window.from.slice(0, 7)} 起）到退休时间的在职教师，共 ${total.toLocaleString('zh-CN')} 人。退休时间按 2025 年起施行的渐进式延迟法定退休年龄计算：男 60 岁、女 55 岁（工勤技能岗位女 50 岁）起按出生月份逐步延迟；选择弹性退休的以本人选定月份为准。`}
      >
        <div className="flex gap-2">
          <a href="/teachers/retiring/export" className="btn-secondary" data-testid="retiring-export">
            导出 Excel
          </a>
          <Link href="/teachers/left" className="btn-secondary">
            已离开人员
          </Link>
        </div>
      </PageTitle>
      {rows.length === 0 ? <p className="card p-6 text-center text-sm text-slate-500">未来 12 个月内没有到退休时间的在职教师。</p> : <RetiringTable rows={rows} />}
      <KeysetPager firstHref={after ? '/teachers/retiring' : null} nextHref={hasMore && last ? `/teachers/retiring?month=${last.retirementMonth}&id=${last.id}` : null} />
    </div>
  );
}
