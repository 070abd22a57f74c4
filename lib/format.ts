// Users work in China Standard Time whatever zone the server runs in.
const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026-11-28 21:58" in Asia/Shanghai. */
export function formatDateTime(value: Date | null | undefined): string {
  if (!value) return '—';
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(value).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function formatTime(value: Date): string {
  return formatDateTime(value).slice(11);
}

/** "12 KB", "3.4 MB"; empty for no size. */
export function formatFileSize(bytes: number | null | undefined): string {
  if (!bytes) return '';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
