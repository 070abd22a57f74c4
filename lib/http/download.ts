/**
 * A file download. Every download may carry personal data, so none is stored by the browser or a
 * proxy (no-store), and the name travels RFC 5987-encoded.
 */
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function fileResponse(content: Uint8Array | Buffer | ArrayBuffer, fileName: string, contentType = xlsxType): Response {
  return new Response(new Uint8Array(content), {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

export function notFoundResponse(): Response {
  return new Response('不存在', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
