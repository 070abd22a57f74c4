import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

/** A refused action's messages shown at their fields (the first message of each field). */
export function showFieldErrors<T extends FieldValues>(setError: UseFormSetError<T>, fieldErrors: Record<string, string[]> | undefined): void {
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) setError(key as Path<T>, { message: messages[0] });
}

/** The first message of each field, for forms that keep their errors in state. */
export function firstMessages(fieldErrors: Record<string, string[]> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldErrors ?? {}).map(([key, messages]) => [key, messages[0]]));
}
