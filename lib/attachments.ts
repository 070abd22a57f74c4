import { ValidationError } from '@/lib/errors';

/** An uploaded evidence file (a transfer's approval form, a self-study certificate …). */
export interface FiledAttachment {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export const maxAttachmentBytes = 5 * 1024 * 1024;

const kinds = {
  pdf: { magic: [0x25, 0x50, 0x44, 0x46], contentType: 'application/pdf', label: 'PDF' },
  jpeg: { magic: [0xff, 0xd8, 0xff], contentType: 'image/jpeg', label: 'JPG' },
  png: { magic: [0x89, 0x50, 0x4e, 0x47], contentType: 'image/png', label: 'PNG' },
} as const;

/** The file's real type by its first bytes (never by its name), within the size limit; else a message at the field. */
export function checkAttachment(file: FiledAttachment, allowed: (keyof typeof kinds)[] = ['pdf', 'jpeg']): { contentType: string } {
  if (file.bytes.byteLength > maxAttachmentBytes) throw new ValidationError('附件不能超过 5 MB', { attachment: [`附件为 ${(file.bytes.byteLength / 1024 / 1024).toFixed(1)} MB，不能超过 5 MB`] });
  for (const kind of allowed) if (kinds[kind].magic.every((byte, i) => file.bytes[i] === byte)) return { contentType: kinds[kind].contentType };
  const names = allowed.map((kind) => kinds[kind].label).join('、').replace(/、([^、]*)$/, ' 或 $1');
  throw new ValidationError(`附件须为 ${names} 文件`, { attachment: [`附件须为 ${names} 文件`] });
}
