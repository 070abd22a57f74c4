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
