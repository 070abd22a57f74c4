import { sql, type SQL } from 'drizzle-orm';
import { getConnection, type Database } from './client';

export type { Database, Executor, Transaction } from './client';
export * as schema from './schema';

/** The shared database handle; the driver is picked once per process. */
export async function getDb(): Promise<Database> {
  return (await getConnection()).db;
}

/** `execute()` answers an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Integer ids as one `int[]` parameter (`= any(…)`, `unnest(…)`): thousands of ids stay one parameter. */
export function intArray(ids: readonly number[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::int[]`;
}
