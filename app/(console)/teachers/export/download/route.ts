import { NextResponse, type NextRequest } from 'next/server';
import { getCurrentActor, mustChangePassword } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { DomainError } from '@/lib/errors';
import { subsetsByKey } from '@/lib/indicators/catalogue';
import { exportTeachers } from '@/lib/teachers/queries';
import { parseTeacherFilters } from '@/lib/teachers/schemas';

export async function GET(request: NextRequest) {
  const actor = await getCurrentActor();
  if (!actor || mustChangePassword(actor) || !can(actor, 'teacher.list')) return new Response('不存在', { status: 404 });
  const params = request.nextUrl.searchParams;
  const subsets = params.getAll('subset').filter((key) => subsetsByKey.has(key));
  const filters = parseTeacherFilters({ ...Object.fromEntries(params), cond: params.getAll('cond') });
  try {
    const official = params.get('official') === '1';
    const { content } = await exportTeachers(actor, filters, subsets.length ? subsets : ['basic'], official);
    return new Response(new Uint8Array(content), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`${official ? '教师信息正式数据' : '教师信息工作数据'}-${actor.unitName}.xlsx`)}`,
      },
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const back = new URL('/teachers/export', request.nextUrl);
    params.forEach((value, key) => back.searchParams.append(key, value));
    back.searchParams.set('error', error.message);
    return NextResponse.redirect(back, 303);
  }
}
