import { format } from 'date-fns';

export function formatDateTime(value: Date | null | undefined): string {
  return value ? format(value, 'yyyy-MM-dd HH:mm') : '—';
}
