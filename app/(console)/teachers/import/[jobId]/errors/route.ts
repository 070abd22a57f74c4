import { getCurrentActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { getImportErrorFile } from '@/lib/teacher-import/queries';

export async function GET(_request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const actor = await getCurrentActor();
  if (!actor) return new Response('未登录', { status: 401 });
  try {
    const file = await getImportErrorFile(actor, (await params).jobId);
    return new Response(new Uint8Array(file.content), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return new Response('不存在', { status: 404 });
    throw error;
  }
}
