import { NextResponse, type NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { DomainError, ValidationError } from '@/lib/errors';
import { subsetsByKey } from '@/lib/indicators/catalogue';
import { exportTeachers } from '@/lib/teachers/queries';
import { exportPurposeSchema, parseTeacherFilters } from '@/lib/teachers/schemas';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { searchParamsRecord } from '@/lib/http/params';

/** A masked export by link (the list's and the combined query's buttons). */
export async function GET(request: NextRequest) {
  return exportResponse(request, request.nextUrl.searchParams, false);
}

/**
 * The export page's form. Full ID numbers are only given here: a POST from this site's own page
 * (the Origin must match), so that another site cannot make a manager's browser fetch them.
 */
export async function POST(request: NextRequest) {
  const origin = request.headers.get('origin');
  const sameSite = origin !== null && URL.canParse(origin) && new URL(origin).host === request.headers.get('host');
  const form = await request.formData().catch(() => new FormData());
  const params = new URLSearchParams();
  for (const [key, value] of form.entries()) if (typeof value === 'string') params.append(key, value);
  return exportResponse(request, params, sameSite);
}

async function exportResponse(request: NextRequest, params: URLSearchParams, mayReveal: boolean): Promise<Response> {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  const subsets = params.getAll('subset').filter((key) => subsetsByKey.has(key));
  const filters = parseTeacherFilters(searchParamsRecord(params));
  try {
    const official = params.get('official') === '1';
    let reveal: { purpose: string } | undefined;
    if (params.get('reveal') === '1') {
      if (!mayReveal) throw new ValidationError('导出完整证件号码须在“导出教师信息”页面填写用途后提交');
      const purpose = exportPurposeSchema.safeParse(params.get('purpose') ?? '');
      if (!purpose.success) throw new ValidationError(purpose.error.issues[0].message);
      reveal = { purpose: purpose.data };
    }
    const { content } = await exportTeachers(actor, filters, subsets.length ? subsets : ['basic'], { official, reveal });
    return fileResponse(content, `${official ? '教师信息正式数据' : '教师信息工作数据'}-${actor.unitName}.xlsx`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const back = new URL('/teachers/export', request.nextUrl);
    params.forEach((value, key) => key !== 'purpose' && back.searchParams.append(key, value));
    back.searchParams.set('error', error.message);
    return NextResponse.redirect(back, 303);
  }
}
