import http from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { authenticator } from 'otplib';
import { demoPassword, enrolSecondFactor, signIn, signOut } from './helpers';

/** Plays a client at the given address behind the (trusted, loopback) reverse proxy. */
async function from(page: Page, address: string) {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
}

const generic = '账号或密码错误，或账号不可用';

test('the sign-in page does not tell a registered teacher from an unknown ID number, nor count attempts down', async ({ page }) => {
  await from(page, '203.0.113.11');
  await signIn(page, '330106198503150024', 'Wrong#pass1');
  const known = await page.getByTestId('form-error').textContent();
  await signIn(page, '330106198503150032', 'Wrong#pass1');
  const unknown = await page.getByTestId('form-error').textContent();
  expect(known).toContain(generic);
  expect(unknown).toBe(known);
  expect(known).not.toMatch(/再错|锁定/);
});

test('an attacker locks only its own address out; the owner signs in from elsewhere and is told; the sysadmin sees and clears it', async ({ browser, page }) => {
  await from(page, '203.0.113.66');
  for (let attempt = 1; attempt <= 10; attempt++) {
    await signIn(page, '330100.query1', `Guess#${attempt}x`);
    await expect(page.getByTestId('form-error')).toContainText(generic);
  }
  await signIn(page, '330100.query1', demoPassword);
  await expect(page.getByTestId('form-error')).toContainText('本机登录失败次数过多');

  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' } });
  const owner = await ownerContext.newPage();
  await signIn(owner, '330100.query1', demoPassword);
  await expect(owner).toHaveURL(/\/dashboard$/);
  const warning = owner.getByTestId('signin-warning');
  await expect(warning).toContainText('10 次失败的登录尝试');
  await expect(warning).toContainText('203.0.113.66');
  await owner.screenshot({ path: 'test-results/screens/signin-warning-desktop.png' });
  await warning.getByRole('button', { name: '我知道了' }).click();
  await expect(warning).toBeHidden();
  await owner.reload();
  await expect(owner.getByTestId('signin-warning')).toHaveCount(0);
  await ownerContext.close();

  const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.24' } });
  const admin = await adminContext.newPage();
  await signIn(admin, '330100.admin', demoPassword);
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin.goto('/accounts?q=330100.query1');
  const row = admin.getByTestId('account-row-330100.query1');
  await expect(row).toContainText('登录受限');
  await row.getByRole('button', { name: '解除登录限制' }).click();
  await expect(row).toContainText('正常');
  await admin.goto('/audit?action=auth.signin.failed');
  await expect(admin.getByTestId('audit-rows')).toContainText('密码错误');
  await expect(admin.getByTestId('audit-rows')).toContainText('203.0.113.66');
  await admin.screenshot({ path: 'test-results/screens/audit-desktop.png', fullPage: true });
  await adminContext.close();
});

test('after sign-in the browser stays on this site, whatever next= says', async ({ page }) => {
  await from(page, '203.0.113.12');
  await page.goto('/login?next=/%5Cevil.example/phish');
  await page.getByLabel('账号').fill('330106.query1');
  await page.getByLabel('密码').fill(demoPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/dashboard$/);
});

test('signing out ends the session on the server: the old cookie no longer opens the console', async ({ browser, page }) => {
  await from(page, '203.0.113.13');
  await signIn(page, '330106.query1', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  const cookies = await page.context().cookies();
  await page.getByText('330106.query1').click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login\?notice=signed-out/);

  const replay = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await replay.addCookies(cookies);
  const stolen = await replay.newPage();
  await stolen.goto('/dashboard');
  await expect(stolen).toHaveURL(/\/login/);
  await replay.close();
});

test('every response carries the security headers, a nonce CSP that the pages run under, and downloads are not stored', async ({ page, request }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto('/login');
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['strict-transport-security']).toBeUndefined();
  // Over HTTPS (as the TLS proxy reports it) HSTS is sent.
  expect((await request.get('/login', { headers: { 'x-forwarded-proto': 'https' } })).headers()['strict-transport-security']).toContain('max-age=');
  // The page hydrates under the policy: the form works and nothing was refused.
  await from(page, '203.0.113.14');
  await signIn(page, '2133060001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(violations).toEqual([]);
  // Exports are queued from this site's own form only: a cross-site POST goes back to the export page and queues nothing.
  const form = { subset: 'basic', official: '0', reveal: '1', purpose: '端到端核对' };
  const forged = await page.request.post('/teachers/export/download', { form, headers: { origin: 'http://evil.example' } });
  expect(forged.url()).toContain('/teachers/export?');
  expect(decodeURIComponent(forged.url())).toContain('须在“导出教师信息”页面');
  expect(forged.url()).not.toContain('job=');
  const base = new URL(page.url()).origin;
  const genuine = await page.request.post('/teachers/export/download', { form, headers: { origin: base } });
  const jobId = new URL(genuine.url()).searchParams.get('job');
  expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  // The worker makes the file in the background; until then the file is not there.
  let download = await page.request.get(`/teachers/export/jobs/${jobId}`);
  for (let tries = 0; download.status() !== 200 && tries < 60; tries++) {
    await page.waitForTimeout(500);
    download = await page.request.get(`/teachers/export/jobs/${jobId}`);
  }
  expect(download.headers()['content-type']).toContain('spreadsheetml');
  expect(download.headers()['cache-control']).toBe('no-store');
  // Without the requester's session it is not given: the sign-in page answers instead.
  const anonymous = await request.get(`/teachers/export/jobs/${jobId}`);
  expect(anonymous.headers()['content-type']).not.toContain('spreadsheetml');
  expect(anonymous.url()).toContain('/login');
  const staticFile = await page.request.get((await page.locator('script[src]').first().getAttribute('src'))!);
  expect(staticFile.headers()['x-content-type-options']).toBe('nosniff');
});

test('malformed addresses answer a clean 404 or are ignored, never a server error', async ({ page }) => {
  await from(page, '203.0.113.15');
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  for (const [path, status] of [
    ['/teachers?q=%00王', 200],
    ['/teachers?after=99999999999999999999', 200],
    ['/teachers/99999999999', 404],
    ['/teachers/12abc', 404],
    ['/teachers/2147483647/history', 404],
    ['/units/99999999999', 404],
    ['/review/records?school=99999999999&after=%00', 200],
    ['/progress?unit=99999999999', 200],
    ['/statistics?unit=99999999999&stage=%00', 200],
    ['/statistics/query?cond=name~contains~%00', 200],
    ['/teachers/99999999999/photo', 404],
  ] as const) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(status);
    await expect(page.locator('body'), path).not.toContainText(/Application error|Internal Server Error|This page couldn/);
  }
});

test('a staff account enrols a second factor and then signs in with password and code', async ({ page }) => {
  await from(page, '203.0.113.16');
  await signIn(page, '330106.query1', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/security/two-factor');
  await page.screenshot({ path: 'test-results/screens/two-factor-start-desktop.png' });
  const secret = await enrolSecondFactor(page);
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);

  await signIn(page, '330106.query1', demoPassword);
  await expect(page.getByLabel('动态验证码')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/two-factor-code-desktop.png' });
  await page.getByLabel('动态验证码').fill('000000');
  await page.getByRole('button', { name: '验证并登录' }).click();
  await expect(page.getByTestId('form-error')).toContainText('动态验证码不正确');
  // A code is good once: the enrolment's own step is spent, so the next 30-second step may be needed.
  let signedIn = false;
  for (let attempt = 0; attempt < 3 && !signedIn; attempt++) {
    await page.getByLabel('动态验证码').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: '验证并登录' }).click();
    signedIn = await page
      .waitForURL(/\/dashboard$/, { timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (!signedIn) await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  }
  expect(signedIn).toBe(true);
  await signOut(page);

  // A lost phone: the county's sysadmin resets the second factor; the password alone signs in again.
  await signIn(page, '330106.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/accounts?q=330106.query1');
  const row = page.getByTestId('account-row-330106.query1');
  await expect(row).toContainText('双因素');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: '重置双因素' }).click();
  await expect(row.getByRole('button', { name: '重置双因素' })).toHaveCount(0);
  await signOut(page);
  await signIn(page, '330106.query1', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('the ministry security auditor reads the log, a province sysadmin no longer does; refused attempts are in it', async ({ browser, page }) => {
  await from(page, '203.0.113.17');
  // A school manager tries a record of the school beside it by its real id: a plain 404, and an audit row.
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/teachers');
  const juniorLink = page.getByRole('row').filter({ hasText: '示范初级中学' }).locator('a[href^="/teachers/"]').first();
  const beside = (await juniorLink.getAttribute('href'))!;
  expect(beside).toMatch(/^\/teachers\/\d+$/);
  await signOut(page);
  await page.goto('/login');
  await expect(page.getByLabel('账号')).toBeVisible();
  await signIn(page, '2133060001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  const missing = await page.goto(beside);
  expect(missing!.status()).toBe(404);
  await signOut(page);

  const auditorContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.18' } });
  const auditor = await auditorContext.newPage();
  await signIn(auditor, '000000.audit', demoPassword);
  await expect(auditor).toHaveURL(/\/dashboard$/);
  await expect(auditor.getByRole('link', { name: '审计日志' }).first()).toBeVisible();
  await expect(auditor.getByRole('link', { name: '教师信息' })).toHaveCount(0);
  await auditor.goto('/audit?action=access.');
  await expect(auditor.getByTestId('audit-rows')).toContainText('越权或拒绝访问');
  await expect(auditor.getByTestId('audit-rows')).toContainText('2133060001.manager');
  await auditor.screenshot({ path: 'test-results/screens/audit-auditor-desktop.png', fullPage: true });
  const exported = await auditor.request.get('/audit/export?action=access.');
  expect(exported.status()).toBe(200);
  expect(exported.headers()['cache-control']).toBe('no-store');
  await auditor.setViewportSize({ width: 375, height: 812 });
  await auditor.goto('/audit');
  await auditor.screenshot({ path: 'test-results/screens/audit-auditor-mobile.png', fullPage: true });
  await auditorContext.close();

  // 三员分立: the province's sysadmin manages accounts but no longer reads the log; a city's still does.
  const provinceAdmin = await browser.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.19' } });
  const adminPage = await provinceAdmin.newPage();
  await signIn(adminPage, '330000.admin', demoPassword);
  await expect(adminPage).toHaveURL(/\/dashboard$/);
  expect((await adminPage.goto('/audit'))!.status()).toBe(404);
  await provinceAdmin.close();
});

test('a province sets password lifetimes per tier, with field messages for values out of range', async ({ page }) => {
  await from(page, '203.0.113.20');
  await signIn(page, '330000.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('link', { name: '密码有效期' }).first().click();
  await expect(page).toHaveURL(/\/security-policy$/);
  await page.getByLabel('学校账号（天）').fill('10');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('#days-school-error')).toContainText('不少于 30 天');
  await page.getByLabel('学校账号（天）').fill('180');
  await page.getByLabel('教师账号（天）').fill('365');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('form-success')).toContainText('已保存');
  await page.reload();
  await expect(page.getByLabel('学校账号（天）')).toHaveValue('180');
  await page.screenshot({ path: 'test-results/screens/password-policy-desktop.png', fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: 'test-results/screens/password-policy-mobile.png', fullPage: true });
});

test('uploads past the old 10 MB cut get a Chinese answer about the file, and anonymous clients never send large bodies', async ({ page }) => {
  // The front answers from the headers alone, before any of the body is read (so the body is never sent here).
  const answerTo = (path: string, length: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(path, test.info().project.use.baseURL);
      const sent = http.request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) } });
      sent.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text });
          sent.destroy();
        });
      });
      sent.on('error', reject);
      sent.flushHeaders();
    });
  const anonymous = await answerTo('/schools/import', 2 * 1024 * 1024);
  expect(anonymous.status).toBe(413);
  expect(anonymous.text).toContain('请先登录');
  const huge = await answerTo('/login', 41 * 1024 * 1024);
  expect(huge.status).toBe(413);
  expect(huge.text).toContain('40 MB');

  // A signed-in province sysadmin sends a 12 MB file: the upload arrives, and the reader answers in Chinese.
  await from(page, '203.0.113.21');
  await signIn(page, '330000.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/schools/import');
  await page.getByLabel('学校名单文件（.xlsx 或 .csv）').setInputFiles({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.alloc(12 * 1024 * 1024, 7) });
  await page.getByRole('button', { name: '校验并导入' }).click();
  await expect(page.getByTestId('form-error')).toContainText('无法读取该 xlsx 文件', { timeout: 60_000 });
  // Over the per-file limit, the browser says so before anything is sent.
  await page.getByLabel('学校名单文件（.xlsx 或 .csv）').setInputFiles({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.alloc(31 * 1024 * 1024, 7) });
  await page.getByRole('button', { name: '校验并导入' }).click();
  await expect(page.getByTestId('form-error')).toContainText('30 MB');
});
