import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A secret from the environment, or one generated once and kept under .data/ for local use. */
function ensureSecret(variable: string, fileName: string): string {
  if (process.env[variable]) return process.env[variable]!;
  const file = path.join(process.cwd(), '.data', fileName);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const secret = readFileSync(file, 'utf8').trim();
  process.env[variable] = secret;
  return secret;
}

/**
 * AUTH_SECRET (sessions), AUDIT_SEAL_KEY (the audit log's seals), DATA_INDEX_KEY (keyed hashes of ID
 * numbers) and DATA_ENCRYPTION_KEYS (personal data at rest), from the environment or generated once
 * under .data/ for a local install.
 */
export function ensureAuthSecret(): string {
  ensureSecret('AUDIT_SEAL_KEY', 'audit-seal-key');
  ensureSecret('DATA_INDEX_KEY', 'data-index-key');
  if (!process.env.DATA_ENCRYPTION_KEYS) {
    const file = path.join(process.cwd(), '.data', 'data-encryption-keys');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `k1:${randomBytes(32).toString('base64')}`, { mode: 0o600 });
    }
    process.env.DATA_ENCRYPTION_KEYS = readFileSync(file, 'utf8').trim();
  }
  return ensureSecret('AUTH_SECRET', 'auth-secret');
}

/** Serves the production build through scripts/serve.mjs, passing on stop signals; exits with it. */
export function serveBuiltApp(port: string): void {
  process.env.AUTH_TRUST_HOST ??= 'true';
  const child = spawn(process.execPath, [path.join(process.cwd(), 'scripts', 'serve.mjs')], { stdio: 'inherit', env: { ...process.env, PORT: port, NODE_ENV: 'production' } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
