import path from 'node:path';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database handle or an open transaction: services accept either. */
export type Executor = Database | Transaction;

export const migrationsFolder = path.join(process.cwd(), 'drizzle');

interface Connection {
  db: Database;
  /** The streaming replica that statistics read (DATABASE_REPLICA_URL), or null: they read the primary. */
  replica: Database | null;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export function defaultPgliteDir(): string {
  return process.env.PGLITE_DIR ?? path.join(process.cwd(), '.data', 'pglite');
}

/**
 * postgres.js prepares its tagged-template queries but not `unsafe()` ones, which is how drizzle sends every query: each
 * was parsed anew, and one with parameters took two round trips (describe, then execute). Named statements are parsed
 * once per connection (postgres.js keeps them per connection, and replaces connections after 30–60 minutes). Planning
 * stays per execution (`plan_cache_mode`): one generic plan would not suit both a school's and the nation's subtree.
 */
function preparingStatements(sql: postgres.Sql): postgres.Sql {
  const unsafe = sql.unsafe;
  sql.unsafe = ((query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => unsafe.call(sql, query, args, { ...options, prepare: true })) as typeof sql.unsafe;
  const begin = sql.begin as (...args: unknown[]) => Promise<unknown>;
  if (begin) {
    sql.begin = ((...args: unknown[]) => {
      const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
      return begin.call(sql, ...args, (tx: postgres.TransactionSql) => fn(preparingStatements(tx as unknown as postgres.Sql) as unknown as postgres.TransactionSql));
    }) as typeof sql.begin;
  }
  const savepoint = (sql as unknown as Partial<postgres.TransactionSql>).savepoint as ((...args: unknown[]) => Promise<unknown>) | undefined;
  if (savepoint) {
    (sql as unknown as postgres.TransactionSql).savepoint = ((...args: unknown[]) => {
      const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
      return savepoint.call(sql, ...args, (tx: postgres.TransactionSql) => fn(preparingStatements(tx as unknown as postgres.Sql) as unknown as postgres.TransactionSql));
    }) as postgres.TransactionSql['savepoint'];
  }
  return sql;
}

function openClient(url: string, max: number): postgres.Sql {
  return preparingStatements(postgres(url, { max, onnotice: () => {}, connection: { plan_cache_mode: 'force_custom_plan' } }));
}

async function openPostgres(url: string, replicaUrl: string | undefined): Promise<Connection> {
  const client = openClient(url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
  const replicaClient = replicaUrl ? openClient(replicaUrl, Number(process.env.DATABASE_REPLICA_POOL_SIZE ?? process.env.DATABASE_POOL_SIZE ?? 10)) : null;
  const db = drizzlePostgres(client, { schema });
  return {
    db,
    replica: replicaClient ? drizzlePostgres(replicaClient, { schema }) : null,
    kind: 'postgres',
    async migrate() {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      await migrate(db, { migrationsFolder });
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), replicaClient?.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir: string): Promise<Connection> {
  const [{ PGlite }, { ltree }, { pg_trgm }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/ltree'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
  ]);
  if (!dataDir.startsWith('memory://')) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
  }
  // The object form is the only one that keeps the extensions option.
  const client = new PGlite({ dataDir, extensions: { ltree, pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    replica: null,
    kind: 'pglite',
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    close: () => client.close(),
  };
}

/**
 * DATABASE_URL selects PostgreSQL; without it the embedded PGlite under .data/ is used. DATABASE_REPLICA_URL adds a
 * streaming replica of that PostgreSQL for the statistics (a replica of an embedded database cannot exist).
 */
export function openConnection(): Promise<Connection> {
  const url = process.env.DATABASE_URL;
  const replicaUrl = process.env.DATABASE_REPLICA_URL || undefined;
  if (replicaUrl && !url) return Promise.reject(new Error('DATABASE_REPLICA_URL is set without DATABASE_URL: a replica needs the PostgreSQL primary it streams from'));
  return url ? openPostgres(url, replicaUrl) : openPglite(defaultPgliteDir());
}

const globalForDb = globalThis as unknown as { tmisConnection?: Promise<Connection> };

export function getConnection(): Promise<Connection> {
  globalForDb.tmisConnection ??= openConnection();
  return globalForDb.tmisConnection;
}

export async function closeConnection(): Promise<void> {
  const pending = globalForDb.tmisConnection;
  globalForDb.tmisConnection = undefined;
  if (pending) await (await pending).close();
}
