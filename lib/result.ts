import type { ZodError } from 'zod';
import { DomainError } from './errors';
import { logUnexpected } from './log';

/** One shape for every action's answer. */
export type ActionResult<T = void> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

export function invalidInput(error: ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, message: '请检查填写的内容', fieldErrors };
}

export function toActionResult(error: unknown): ActionResult<never> {
  if (error instanceof DomainError) {
    return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
  }
  // Redirects and other framework signals must keep propagating.
  if (isFrameworkSignal(error)) throw error;
  logUnexpected('action', error);
  return { ok: false, message: '系统繁忙，请稍后重试。如问题持续，请联系系统管理员。' };
}

function isFrameworkSignal(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string' && (digest.startsWith('NEXT_REDIRECT') || digest === 'DYNAMIC_SERVER_USAGE' || digest.startsWith('NEXT_HTTP_ERROR_FALLBACK'));
}
