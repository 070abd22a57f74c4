import { sql, type SQL } from 'drizzle-orm';
import { getConnection, type Database } from './client';

export type { Database, Executor, Transaction } from './client';
export * as schema from './schema';

/** The shared database handle; the driver is picked once per process. */
export async function getDb(): Promise<Database> {
  return (await getConnection()).db;
}

/**
 * The handle statistics read from: dashboards, reports, the combined query's counts and lists, and exports. It is the
 * streaming replica when DATABASE_REPLICA_URL is set (figures within the replica's lag), else the primary. Writes,
 * authorization and whatever a user reads back after writing it use `getDb()`.
 */
export async function getStatisticsDb(): Promise<Database> {
  const connection = await getConnection();
  return connection.replica ?? connection.db;
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
