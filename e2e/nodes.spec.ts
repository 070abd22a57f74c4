import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureAuthSecret } from '../scripts/runtime-env';
import { demoPassword, signIn } from './helpers';

/**
 * Stateless app nodes: a second node on the same PostgreSQL database beside the e2e server, and one
 * user's requests sent to both. Sessions, sign-in throttling and jobs live in the database, so either
 * node serves whatever the other began. (PGlite is one process's database: there is no second node.)
 */
const secondPort = 3211;
const second = `http://localhost:${secondPort}`;
let node: ChildProcess | undefined;

test.skip(!process.env.DATABASE_URL, 'two nodes need a PostgreSQL database: PGlite is embedded in one process');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // The same keys as the first node (kept under .data/ by the e2e server).
  ensureAuthSecret();
  node = spawn(process.execPath, [path.join(process.cwd(), 'scripts', 'serve.mjs')], {
    env: { ...process.env, PORT: String(secondPort), NODE_ENV: 'production', AUTH_TRUST_HOST: 'true', TRUSTED_PROXIES: 'loopback', SIGNIN_DELAY_BASE_MS: '100' },
    stdio: 'ignore',
    detached: true,
  });
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${second}/login`).then((response) => response.ok, () => false);
    if (ready) break;
    if (tries > 200) throw new Error('the second node did not start');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(() => {
  if (node?.pid) process.kill(-node.pid, 'SIGTERM');
});

test('one user on two nodes: the session, an export queued on one and downloaded from the other, and the sign-out hold on both', async ({ page, baseURL }) => {
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  // Signed in on the first node; the second knows the session (cookies are per host, not per port).
  await page.goto(`${second}/dashboard`);
  await expect(page.getByTestId('header-unit')).toContainText('西湖区教育局');

  // An export asked for on the second node; whichever node's worker makes it, the first serves the file.
  await page.goto(`${second}/teachers/export`);
  await page.getByRole('button', { name: '生成导出文件' }).click();
  await expect(page).toHaveURL(/job=/);
  const jobId = new URL(page.url()).searchParams.get('job')!;
  let file = await page.request.get(`${baseURL}/teachers/export/jobs/${jobId}`);
  for (let tries = 0; file.status() !== 200 && tries < 60; tries++) {
    await page.waitForTimeout(500);
    file = await page.request.get(`${baseURL}/teachers/export/jobs/${jobId}`);
  }
  expect(file.headers()['content-type']).toContain('spreadsheetml');
  // The first node's export page lists the job too.
  await page.goto(`${baseURL}/teachers/export`);
  await expect(page.getByTestId(`export-job-${jobId}`).getByTestId('export-job-status')).toHaveText('已完成');

  // Signing out on the second node ends the session on the first.
  await page.goto(`${second}/dashboard`);
  await page.getByTestId('sign-out-form').first().evaluate((form: HTMLFormElement) => form.requestSubmit());
  await page.waitForURL(/\/login\?notice=signed-out/);
  expect(new URL(page.url()).port).toBe(String(secondPort));
  await page.goto(`${baseURL}/dashboard`);
  await expect(page).toHaveURL(/\/login/);
});
