'use client';

import { markReminderReadAction } from '@/lib/collection/actions';
import { ActionButton } from './action-button';

export function ReminderReadButton({ reminderId }: { reminderId: number }) {
  return <ActionButton action={() => markReminderReadAction({ id: reminderId })} label="知道了" testId="reminder-read" />;
}
