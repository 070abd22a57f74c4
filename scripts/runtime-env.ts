import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** AUTH_SECRET from the environment, or one generated once and kept under .data/ for local use. */
export function ensureAuthSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(process.cwd(), '.data', 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const secret = readFileSync(file, 'utf8').trim();
  process.env.AUTH_SECRET = secret;
  return secret;
}

/** Serves the production build with `next start`, passing on stop signals; exits with it. */
export function serveBuiltApp(port: string): void {
  process.env.AUTH_TRUST_HOST ??= 'true';
  const child = spawn(path.join(process.cwd(), 'node_modules', '.bin', 'next'), ['start', '-p', port], { stdio: 'inherit', env: process.env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
