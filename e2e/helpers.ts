import { expect, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { authenticator } from 'otplib';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const demoPassword = 'Demo@2026';

export function centralAdmin(): { username: string; password: string } {
  return JSON.parse(readFileSync(path.join(process.cwd(), 'e2e', '.state', 'central-admin.json'), 'utf8'));
}

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export async function signOut(page: Page) {
  // Sign out as a user does where the page offers it: the session row is revoked, so a sliding-cookie
  // refresh from a request still in flight cannot sign the next user in as this one.
  const signOutForm = page.getByTestId('sign-out-form');
  // A page without the menu (a 404, a download, a page of its own): the dashboard (or /me for a teacher) has it.
  if (!/^https?:/.test(page.url()) || (await signOutForm.count()) === 0) await page.goto('/dashboard');
  // Signed out already, or held at a forced password change or second-factor binding: only the cookies go.
  if ((await signOutForm.count()) > 0) {
    await signOutForm.first().evaluate((form: HTMLFormElement) => form.requestSubmit());
    await page.waitForURL(/\/login\?notice=signed-out/);
  }
  await page.goto('about:blank');
  await page.context().clearCookies();
}

/**
 * Hands the browser to another party: the previous one signs out, the next one signs in and reaches
 * the console (binding a second factor where the tier requires it) or the teacher's page.
 */
export async function switchUser(page: Page, username: string, password = demoPassword) {
  await signOut(page);
  await signIn(page, username, password);
  await expect(page.getByTestId('header-unit').or(page.getByTestId('teacher-username')).or(page.getByTestId('two-factor-required'))).toBeVisible();
  if (await page.getByTestId('two-factor-required').isVisible()) {
    await enrolSecondFactor(page);
    await expect(page.getByTestId('header-unit')).toBeVisible();
  }
}

/** Signs in with an initial password and is forced to change it; the new password signs them in at once. */
export async function signInForcingChange(page: Page, username: string, initialPassword: string, newPassword: string) {
  await signIn(page, username, initialPassword);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByTestId('forced-change-notice')).toBeVisible();
  // The console is out of reach until the password is changed.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/change-password$/);
  await page.getByLabel('当前密码').fill(initialPassword);
  await page.getByLabel('新密码', { exact: true }).fill(newPassword);
  await page.getByLabel('确认新密码').fill(newPassword);
  await page.getByRole('button', { name: '修改密码' }).click();
  // Staff of the ministry and the provinces must bind a second factor before the console opens.
  await expect(page.getByTestId('header-unit').or(page.getByTestId('two-factor-required'))).toBeVisible();
  if (await page.getByTestId('two-factor-required').isVisible()) await enrolSecondFactor(page);
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Binds an authenticator on the enrolment page as a user would (the test computes the codes) and answers the secret. */
export async function enrolSecondFactor(page: Page): Promise<string> {
  await page.getByRole('button', { name: '开始绑定' }).click();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace('密钥：', '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel('动态验证码').fill(authenticator.generate(secret));
  await page.getByRole('button', { name: '验证并启用' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  await page.getByRole('link', { name: /进入系统/ }).click();
  return secret;
}

/** Issues credentials for one subordinate unit on the distribution page; answers the sheet's rows. */
export async function issueCredentialsFor(page: Page, unitName: string): Promise<{ unitCode: string; unitName: string; username: string; password: string }[]> {
  await page.goto('/accounts/credentials');
  await page.getByLabel('筛选单位').fill(unitName);
  await page.getByRole('checkbox', { name: `选择${unitName}` }).check();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: /生成初始密码和分发表/ }).click();
  await expect(page.getByTestId('form-success')).toContainText('正在后台生成');
  // The worker makes the sheet; the list refreshes itself until it is ready.
  const newest = page.getByTestId('credential-sheets').locator('li').first();
  await expect(newest.getByTestId('credential-sheet-status')).toHaveText('待下载', { timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), newest.getByTestId('credential-sheet-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^账号分发表-.*\.xlsx$/);
  await expect(newest.getByTestId('credential-sheet-status')).toHaveText('已下载', { timeout: 10_000 });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.getWorksheet('账号分发表')!;
  expect(sheet.getRow(1).values).toEqual([undefined, '单位代码', '单位名称', '账号', '初始密码']);
  const rows: { unitCode: string; unitName: string; username: string; password: string }[] = [];
  sheet.eachRow((row, n) => {
    const [, unitCode, name, username, password] = row.values as string[];
    if (n > 1 && username && password) rows.push({ unitCode, unitName: name, username, password });
  });
  return rows;
}

/** On the export page: queues the export, waits for the background worker, and downloads the file. */
export async function exportFromPage(page: Page) {
  await page.getByRole('button', { name: '生成导出文件' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已提交导出' })).toBeVisible();
  const newest = page.getByTestId('export-jobs').locator('tbody tr').first();
  await expect(newest.getByTestId('export-job-status')).toHaveText('已完成', { timeout: 30_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), newest.getByTestId('export-job-download').click()]);
  return file;
}

/** axe on the page as it stands: no serious or critical violation (WCAG 2.1 A/AA rules). */
export async function expectNoSeriousAxeViolations(page: Page) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}
