import { NextResponse, type NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { DomainError, ValidationError } from '@/lib/errors';
import { subsetsByKey } from '@/lib/indicators/catalogue';
import { exportTeachers } from '@/lib/teachers/queries';
import { exportPurposeSchema, parseTeacherFilters } from '@/lib/teachers/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

export async function GET(request: NextRequest) {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  const params = request.nextUrl.searchParams;
  const subsets = params.getAll('subset').filter((key) => subsetsByKey.has(key));
  const filters = parseTeacherFilters({ ...Object.fromEntries(params), cond: params.getAll('cond') });
  try {
    const official = params.get('official') === '1';
    let reveal: { purpose: string } | undefined;
    if (params.get('reveal') === '1') {
      const purpose = exportPurposeSchema.safeParse(params.get('purpose') ?? '');
      if (!purpose.success) throw new ValidationError(purpose.error.issues[0].message);
      reveal = { purpose: purpose.data };
    }
    const { content } = await exportTeachers(actor, filters, subsets.length ? subsets : ['basic'], { official, reveal });
    return fileResponse(content, `${official ? '教师信息正式数据' : '教师信息工作数据'}-${actor.unitName}.xlsx`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const back = new URL('/teachers/export', request.nextUrl);
    params.forEach((value, key) => back.searchParams.append(key, value));
    back.searchParams.set('error', error.message);
    return NextResponse.redirect(back, 303);
  }
}
