import type { NextRequest } from 'next/server';
import { getCurrentActor, mustChangePassword } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import { getProgress } from '@/lib/collection/queries';
import { buildProgressWorkbook } from '@/lib/collection/progress-export';
import { parseProgressParams } from '@/lib/collection/schemas';
import { formatDateTime } from '@/lib/format';

export async function GET(request: NextRequest) {
  const actor = await getCurrentActor();
  if (!actor || mustChangePassword(actor) || !can(actor, 'progress.view')) return new Response('不存在', { status: 404 });
  try {
    const view = await getProgress(actor, parseProgressParams(Object.fromEntries(request.nextUrl.searchParams)));
    const content = await buildProgressWorkbook(view, formatDateTime(new Date()));
    return new Response(new Uint8Array(content), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`采集进度-${view.unit.name}.xlsx`)}`,
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return new Response('不存在', { status: 404 });
    throw error;
  }
}
