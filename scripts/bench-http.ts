/**
 * Times whole HTTP responses of the built app (server rendering included) for a signed-in user.
 * Run the app on the bench database first (`PORT=3400 DATABASE_URL=… npm start`), then:
 * DATABASE_URL=… npm run bench:http -- --user 000000.manager --paths /progress,/inbox [--base http://localhost:3400 --runs 40]
 * The user gets a known bench password in that database (never run this against a live system).
 */
import { chromium } from '@playwright/test';
import { loginNameFor } from '@/lib/teachers/identity';
import { eq } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import { closeConnection, getConnection } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { measure } from './bench-timing';
import { ensureAuthSecret } from './runtime-env';

// The keys for personal data at rest (and the audit seals), as the server has them.
ensureAuthSecret();

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://localhost:3400' },
    user: { type: 'string', default: '000000.manager' },
    paths: { type: 'string', default: '/progress' },
    runs: { type: 'string', default: '40' },
  },
});

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to the database the app serves');
  const password = 'Bench#2026http';
  const { db } = await getConnection();
  await db.update(accounts).set({ passwordHash: await hashPassword(password), mustChangePassword: false, status: 'active' }).where(eq(accounts.username, loginNameFor(values.user!)));
  await closeConnection();

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.goto(`${values.base}/login`);
  await page.getByLabel('账号').fill(values.user!);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  console.log(`| ${values.user} page (whole HTTP response) | p50 | p95 | max |`);
  console.log('|---|---|---|---|');
  for (const path of values.paths!.split(',')) {
    const t = await measure(Number(values.runs), async () => {
      const response = await page.request.get(`${values.base}${path}`);
      if (!response.ok()) throw new Error(`${path}: HTTP ${response.status()}`);
      await response.body();
    });
    console.log(`| GET ${path} | ${t.p50.toFixed(1)} ms | ${t.p95.toFixed(1)} ms | ${t.max.toFixed(1)} ms |`);
  }
  await browser.close();
}

main().catch(async (error) => {
  console.error(error);
  await closeConnection();
  process.exit(1);
});
