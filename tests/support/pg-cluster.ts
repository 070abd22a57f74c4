import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, appendFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Throwaway PostgreSQL clusters for tests that need a server of their own: a primary and a streaming replica made from
 * it with pg_basebackup, on free ports under a temporary folder. PostgreSQL refuses to run as root, so as root the
 * server's programs run as the `postgres` user.
 */
export interface LocalReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  stop(): void;
}

/** The newest installed server's programs, or null when there is none to run. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_basebackup')) && existsSync(path.join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why a local primary and replica cannot be made here, or null when they can. */
export function replicaUnavailableReason(): string | null {
  if (!postgresBinDir()) return 'no PostgreSQL server programs under /usr/lib/postgresql';
  if (asRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user to run the server as';
    }
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalReplicaPair(): Promise<LocalReplicaPair> {
  const bin = postgresBinDir()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tmis-replica-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const command = path.join(bin, program);
    execFileSync(asRoot() ? 'runuser' : command, asRoot() ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: 'pipe', cwd: dir });
  };
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  run('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  // Trust on loopback, replication included (initdb's own lines), and no durability: a test's cluster.
  appendFileSync(
    path.join(primary, 'postgresql.conf'),
    [`port = ${primaryPort}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`, 'wal_level = replica', 'max_wal_senders = 4', 'fsync = off', 'full_page_writes = off', 'shared_buffers = 64MB', ''].join('\n'),
  );
  const started: string[] = [];
  const stop = () => {
    for (const data of started.reverse()) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('pg_ctl', ['-D', primary, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
    started.push(primary);
    run('createdb', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', 'tmis']);
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream', '-c', 'fast']);
    appendFileSync(path.join(replica, 'postgresql.conf'), [`port = ${replicaPort}`, 'hot_standby = on', ''].join('\n'));
    run('pg_ctl', ['-D', replica, '-l', path.join(dir, 'replica.log'), '-w', 'start']);
    started.push(replica);
  } catch (error) {
    stop();
    throw error;
  }
  return { primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/tmis`, replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/tmis`, stop };
}
