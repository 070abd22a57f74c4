import { NextResponse, type NextRequest } from 'next/server';
import { takeCredentialSheet } from '@/lib/accounts/credential-sheets/service';
import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { DomainError, ValidationError } from '@/lib/errors';
import { fileResponse, notFoundResponse } from '@/lib/http/download';
import { isSameOriginPost } from '@/lib/http/same-origin';

/**
 * Takes a finished credential sheet, once (it is deleted as it is taken). A POST from this site's own
 * page only (the Origin must match): another site must not make an administrator's browser spend it.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ jobId: string }> }) {
  const actor = await getReadyActor();
  if (!actor || !(can(actor, 'credential.issue') || can(actor, 'teacher.create'))) return notFoundResponse();
  const sameSite = isSameOriginPost(request);
  const form = await request.formData().catch(() => new FormData());
  // Back to the page the sheet was listed on (one of the two that list sheets).
  const returnTo = form.get('returnTo') === '/teachers/accounts' ? '/teachers/accounts' : '/accounts/credentials';
  try {
    if (!sameSite) throw new ValidationError('请在本系统的页面上下载分发表');
    const { fileName, file } = await takeCredentialSheet(actor, (await params).jobId);
    return fileResponse(file, fileName);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const back = new URL(returnTo, request.nextUrl);
    back.searchParams.set('error', error.message);
    return NextResponse.redirect(back, 303);
  }
}
