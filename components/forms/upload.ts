'use client';

import type { ActionResult } from '@/lib/result';
import { maxUploadBytes, uploadTooLargeMessage } from '@/lib/spreadsheet/limits';

/**
 * Sends a form with a file to a server action: refuses an oversized file before uploading, and turns
 * a transport failure (the front's 413, a dropped connection) into a message instead of a crash.
 */
export async function uploadWith<T>(action: (data: FormData) => Promise<ActionResult<T>>, data: FormData, field = 'file'): Promise<ActionResult<T>> {
  const file = data.get(field);
  if (file instanceof File && file.size > maxUploadBytes) return { ok: false, message: uploadTooLargeMessage, fieldErrors: { [field]: [uploadTooLargeMessage] } };
  try {
    return await action(data);
  } catch {
    return { ok: false, message: `上传未完成：文件可能超过 ${Math.round(maxUploadBytes / 1048576)} MB，或网络已中断，请重试` };
  }
}
