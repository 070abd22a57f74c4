import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { idParam, parseSearchParams } from '@/lib/http/params';
import { statusNameOf } from '@/lib/mobility/status';
import { rotationStateNames, type RotationState } from '@/lib/rotations/chain';
import { listEligibleTeachers } from '@/lib/rotations/queries';
import { schoolYearOf } from '@/lib/rotations/schemas';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '应交流对象' };

function rotationLabel(state: string | null): string {
  if (!state) return '未安排';
  if (state === 'transfer') return '交流（变更人事关系）';
  return rotationStateNames[state as RotationState] ?? state;
}

export default async function EligibleTeachersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('rotation.plan');
  const thisYear = schoolYearOf(todayIso());
  const params = parseSearchParams({ county: idParam, school: idParam, after: idParam, year: z.coerce.number().int().min(thisYear - 5).max(thisYear + 1) }, await searchParams);
  if (!params.county) notFound();
  const year = params.year ?? thisYear;
  const result = await listEligibleTeachers(actor, { countyId: params.county, year, schoolId: params.school, after: params.after }).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const base = `/rotations/plan/eligible?county=${result.county.id}&year=${year}${params.school ? `&school=${params.school}` : ''}`;
  return (
    <div className="space-y-4">
      <p className="text-xs text-slate-500">
        <Link href={`/rotations/plan?county=${result.county.id}&year=${year}`} className="text-brand-700 underline">
          交流轮岗计划
        </Link>{' '}
        / 应交流对象
      </p>
      <PageTitle title={`${result.schoolName ?? result.county.name} · ${year} 学年应交流对象`} description={`${result.joinedBy} 及以前进本校、记录已生效的在职教师。标明骨干教师和本学年的交流安排。`} />
      {result.rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">没有应交流对象。</p>
      ) : (
        <>
          <ul className="space-y-2 md:hidden" data-testid="eligible-cards">
            {result.rows.map((row) => (
              <li key={row.id} className="card p-3 text-sm">
                <p className="font-medium text-slate-900">
                  {row.name}
                  <span className="ml-2 text-xs font-normal text-slate-500">
                    {row.idNumberMasked} · {row.gender}
                  </span>
                </p>
                <p className="text-slate-700">
                  {row.schoolName} · {row.joinSchoolDate} 进本校（{row.years} 年）
                </p>
                <p className="text-xs text-slate-600">
                  {row.keyTeacher ?? '非骨干教师'} · {rotationLabel(row.rotationState)}
                </p>
              </li>
            ))}
          </ul>
          <TableFrame label="应交流对象" className="hidden md:block">
            <table className="w-full text-sm" data-testid="eligible-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-3 py-2 font-medium">姓名</th>
                  <th className="px-3 py-2 font-medium">学校</th>
                  <th className="whitespace-nowrap px-3 py-2 font-medium">进本校年月</th>
                  <th className="whitespace-nowrap px-3 py-2 text-right font-medium">在本校年限</th>
                  <th className="px-3 py-2 font-medium">骨干教师</th>
                  <th className="px-3 py-2 font-medium">人员状态</th>
                  <th className="px-3 py-2 font-medium">本学年交流</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((row) => (
                  <tr key={row.id}>
                    <td className="px-3 py-2">
                      <Link href={`/teachers/${row.id}`} className="font-medium text-brand-700 hover:underline">
                        {row.name}
                      </Link>
                      <span className="block whitespace-nowrap text-xs text-slate-500">
                        {row.idNumberMasked} · {row.gender}
                      </span>
                    </td>
                    <td className="px-3 py-2">{row.schoolName}</td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{row.joinSchoolDate}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.years} 年</td>
                    <td className="whitespace-nowrap px-3 py-2">{row.keyTeacher ?? '—'}</td>
                    <td className="px-3 py-2 text-xs">{statusNameOf(row.statusCode ?? '100')}</td>
                    <td className="whitespace-nowrap px-3 py-2">{rotationLabel(row.rotationState)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </>
      )}
      <KeysetPager firstHref={params.after ? base : null} nextHref={result.hasMore ? `${base}&after=${result.rows.at(-1)!.id}` : null} />
    </div>
  );
}
