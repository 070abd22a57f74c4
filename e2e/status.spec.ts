import { expect, test, type Page } from '@playwright/test';
import { switchUser } from './helpers';

/** 在职情况变动 in the browser: a leave and the return, a retirement confirmed by the county, and 待退休 set from 即将退休. */
test.describe.configure({ mode: 'serial' });

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);


async function openRecord(page: Page, name: string) {
  await page.goto(`/teachers?q=${encodeURIComponent(name)}`);
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByTestId('status-panel')).toBeVisible();
}

/** Picks a 人员状态 by its national code in the code list. */
async function pickStatus(page: Page, code: string) {
  await page.locator('#status-toStatus').click();
  await page.locator(`[cmdk-item][data-value$=" ${code}"]`).click();
}

async function recordChange(page: Page, code: string, reason: string, documentNumber = '') {
  await page.getByTestId('status-open').click();
  await pickStatus(page, code);
  await page.getByLabel('生效日期 *').fill(today);
  if (documentNumber) await page.getByLabel('文号').fill(documentNumber);
  await page.getByLabel('变动原因 *').fill(reason);
  await page.getByTestId('status-submit').click();
}

test('a leave takes effect at once, and so does the return to post', async ({ page }) => {
  await switchUser(page, '2133050001.manager');
  await openRecord(page, '钱国庆');
  // The reason is required, at its field.
  await page.getByTestId('status-open').click();
  await pickStatus(page, '203');
  await page.getByTestId('status-submit').click();
  await expect(page.locator('#status-reason-error')).toContainText('请填写变动原因');
  await page.getByRole('button', { name: '取消' }).click();
  await recordChange(page, '203', '腰椎手术后休养', '拱教人〔2026〕8号');
  await expect(page.getByTestId('status-current')).toHaveText('暂未在本单位任职-长病假');
  await page.screenshot({ path: 'test-results/screens/status-leave-desktop.png', fullPage: true });
  await recordChange(page, '100', '病愈返岗');
  await expect(page.getByTestId('status-current')).toHaveText('在本单位任职');
  await page.getByTestId('status-panel').getByText(/变动记录/).click();
  await expect(page.getByTestId('status-history')).toContainText('暂未在本单位任职-长病假 → 在本单位任职');
});

test('a retirement waits for the county, then the teacher is listed under 已离开', async ({ page }) => {
  await switchUser(page, '2133050001.manager');
  await openRecord(page, '郑浩然');
  await recordChange(page, '301', '达到法定退休年龄，经批准退休', '拱人社〔2026〕15号');
  await expect(page.getByTestId('status-pending')).toContainText('待主管教育行政部门确认');
  await expect(page.getByTestId('status-current')).toHaveText('在本单位任职');

  await switchUser(page, '330105.manager');
  await page.goto('/inbox');
  await page.getByTestId('inbox-status.pending').getByRole('link', { name: /郑浩然/ }).click();
  const card = page.getByTestId('pending-status').filter({ hasText: '郑浩然' });
  await expect(card).toContainText('在本单位任职 → 退休');
  await card.getByTestId('status-approve').click();
  await expect(page.getByTestId('pending-status').filter({ hasText: '郑浩然' })).toHaveCount(0);
  await page.goto('/teachers/left');
  await expect(page.getByTestId('left-table')).toContainText('郑浩然');
  await expect(page.getByTestId('left-table')).toContainText('退休');
  await page.screenshot({ path: 'test-results/screens/left-desktop.png', fullPage: true });
});

test('the school sets 待退休 from 即将退休 and exports the list', async ({ page }) => {
  await switchUser(page, '2133050001.manager');
  await page.goto('/teachers/retiring');
  const row = page.getByTestId('retiring-row').filter({ hasText: '沈美华' });
  await expect(row).toContainText('55岁');
  await page.screenshot({ path: 'test-results/screens/retiring-desktop.png', fullPage: true });
  await row.getByRole('checkbox').check();
  await page.getByTestId('retiring-mark').click();
  await expect(page.getByTestId('form-success')).toContainText('已将 1 名教师设为待退休');
  await expect(page.getByTestId('retiring-row').filter({ hasText: '沈美华' })).toContainText('暂未在本单位任职-待退休');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('retiring-export').click()]);
  expect(file.suggestedFilename()).toMatch(/^即将退休-.*\.xlsx$/);
});
