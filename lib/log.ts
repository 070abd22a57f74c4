import pino from 'pino';

/**
 * The server log. It never carries a query's parameters or an ID number: errors are logged by name,
 * code, message and stack only (postgres.js errors also carry the query and its parameters, which are
 * dropped), and anything shaped like an ID number is masked on the way out.
 */
const idNumberPattern = /\b(\d{4})\d{10}(\d{3}[\dXx])\b/g;

export function redactIdNumbers(text: string): string {
  return text.replace(idNumberPattern, '$1**********$2');
}

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  redact: { paths: ['*.parameters', '*.query', '*.password', '*.idNumber', 'err.parameters', 'err.query'], censor: '[已隐去]' },
});

/** An unexpected error: what and where, never with what the user sent. */
export function logUnexpected(context: string, error: unknown, extra: Record<string, string | number> = {}): void {
  let err = error instanceof Error ? error : new Error(String(error));
  // drizzle's query error spells out the SQL and its parameters in its message: log the driver's cause.
  if (err.name === 'DrizzleQueryError' && err.cause instanceof Error) err = err.cause;
  logger.error({
    context,
    ...extra,
    err: { name: err.name, message: redactIdNumbers(err.message), code: (err as { code?: string }).code, stack: err.stack ? redactIdNumbers(err.stack) : undefined },
  });
}
