import { expect, test } from '@playwright/test';
import { demoPassword, signIn, signOut } from './helpers';

/** The teacher follows their own transfer on a 375 px phone; the staff pages of the flow fit it too. */
test('a teacher follows the transfer on the phone', async ({ page }) => {
  // 林晓雯 of 杭州市拱墅区示范小学: the demo's transfer to 西湖区 waits for her school to agree.
  await signIn(page, '330105198806120627', demoPassword);
  await expect(page).toHaveURL(/\/me$/);
  const own = page.getByTestId('own-transfers');
  await expect(own).toContainText('杭州市拱墅区示范小学 → 杭州市西湖区示范小学');
  await expect(own.getByTestId('transfer-state')).toContainText('待调出校同意');
  await expect(own.getByTestId('transfer-route')).toContainText('✓ 调入校申请');
  await expect(own).toContainText('西湖区教育局 · 确认');
  // The record is read-only while the transfer is open, and says so.
  await expect(page.getByTestId('record-transfer-open')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/teacher-transfer-375.png', fullPage: true });
  await own.screenshot({ path: 'test-results/screens/teacher-transfer-section-375.png' });
  await signOut(page);
});

test('the sending school handles the transfer on the phone', async ({ page }) => {
  await signIn(page, '2133050001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/transfers?view=waiting');
  const cards = page.getByTestId('transfer-cards');
  await expect(cards).toContainText('林晓雯');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/transfers-375.png', fullPage: true });
  await cards.getByRole('link', { name: '林晓雯' }).click();
  await expect(page.getByTestId('transfer-agree')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/transfer-detail-375.png', fullPage: true });
  await signOut(page);
});
