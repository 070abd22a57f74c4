import { z } from 'zod';

/**
 * Route and search parameters come from the address bar and are never trusted: one parser for every
 * page and route handler, so that a NUL byte, an id beyond int4 or a huge cursor gives a clean 404 or
 * is simply ignored, never a 500. Client-safe.
 */
export const maxInt4 = 2_147_483_647;

/** A positive int4 id written in plain digits. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= maxInt4);

// eslint-disable-next-line no-control-regex -- control characters (NUL above all) are what this finds
const controlCharacters = /[\u0000-\u001f\u007f]/g;

/** NUL and other control characters, which PostgreSQL text refuses (NUL) or no user ever types. */
export function hasControlCharacters(value: string): boolean {
  controlCharacters.lastIndex = 0;
  return controlCharacters.test(value);
}

/** Free text from the address bar: control characters removed, trimmed, bounded. */
export function textParam(max = 100) {
  return z
    .string()
    .transform((s) => s.replace(controlCharacters, '').trim())
    .pipe(z.string().max(max));
}

/** The id in a dynamic segment, or null: the caller answers 404. */
export function parseId(raw: string | undefined): number | null {
  const parsed = idParam.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

type Raw = Record<string, string | string[] | undefined>;

/**
 * Search parameters against a shape of optional fields: each value that does not parse is dropped
 * (as if absent) rather than failing the page; repeated keys keep their first value unless the field
 * is an array.
 */
export function parseSearchParams<S extends z.ZodRawShape>(shape: S, raw: Raw): { [K in keyof S]?: z.output<S[K]> } {
  const result: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    const isArray = schema instanceof z.ZodArray;
    const input = isArray ? (Array.isArray(value) ? value : [value]) : Array.isArray(value) ? value[0] : value;
    const parsed = (schema as z.ZodType).safeParse(input);
    if (parsed.success && parsed.data !== undefined && parsed.data !== '') result[key] = parsed.data;
  }
  return result as { [K in keyof S]?: z.output<S[K]> };
}

/** URLSearchParams as the plain record that parseSearchParams reads. */
export function searchParamsRecord(params: URLSearchParams): Raw {
  const record: Raw = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    record[key] = all.length > 1 ? all : all[0];
  }
  return record;
}

/** A job or run id as the database keeps it (uuid); anything else is not looked up (PostgreSQL would refuse it). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
