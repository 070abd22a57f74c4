import { NextResponse, type NextRequest } from 'next/server';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { DomainError, ValidationError } from '@/lib/errors';
import { subsetsByKey } from '@/lib/indicators/catalogue';
import { requestTeacherExport } from '@/lib/teacher-export/service';
import { exportPurposeSchema, parseTeacherFilters } from '@/lib/teachers/schemas';
import { notFoundResponse } from '@/lib/http/download';
import { isSameOriginPost } from '@/lib/http/same-origin';
import { searchParamsRecord } from '@/lib/http/params';

/**
 * The export page's form: queues the export and goes back to the page, which shows its progress and
 * then the file. Only a POST from this site's own page is taken (the Origin must match), so that
 * another site cannot make a manager's browser start exports, least of all with full ID numbers.
 */
export async function POST(request: NextRequest) {
  const sameSite = isSameOriginPost(request);
  const form = await request.formData().catch(() => new FormData());
  const params = new URLSearchParams();
  for (const [key, value] of form.entries()) if (typeof value === 'string') params.append(key, value);
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.list')) return notFoundResponse();
  const subsets = params.getAll('subset').filter((key) => subsetsByKey.has(key));
  const filters = parseTeacherFilters(searchParamsRecord(params));
  const back = new URL('/teachers/export', request.nextUrl);
  params.forEach((value, key) => !['purpose', 'reveal', 'subset'].includes(key) && back.searchParams.append(key, value));
  try {
    if (!sameSite) throw new ValidationError('导出须在“导出教师信息”页面填写并提交');
    let reveal: { purpose: string } | undefined;
    if (params.get('reveal') === '1') {
      const purpose = exportPurposeSchema.safeParse(params.get('purpose') ?? '');
      if (!purpose.success) throw new ValidationError(purpose.error.issues[0].message);
      reveal = { purpose: purpose.data };
    }
    const { jobId } = await requestTeacherExport(actor, { filters, subsets: subsets.length ? subsets : ['basic'], official: params.get('official') === '1', reveal });
    back.searchParams.set('job', jobId);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    back.searchParams.set('error', error.message);
  }
  return NextResponse.redirect(back, 303);
}
