/**
 * A file download. Every download may carry personal data, so none is stored by the browser or a
 * proxy (no-store), and the name travels RFC 5987-encoded.
 */
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function downloadHeaders(fileName: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

export function fileResponse(content: Uint8Array | Buffer | ArrayBuffer, fileName: string, contentType = xlsxType): Response {
  return new Response(new Uint8Array(content), { headers: downloadHeaders(fileName, contentType) });
}

/** A large file sent piece by piece as it is read: the server never holds it whole. */
export function streamedFileResponse(pieces: AsyncGenerator<Uint8Array>, fileName: string, length: number, contentType = xlsxType): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  return new Response(body, { headers: { ...downloadHeaders(fileName, contentType), 'Content-Length': String(length) } });
}

export function notFoundResponse(): Response {
  return new Response('不存在', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
