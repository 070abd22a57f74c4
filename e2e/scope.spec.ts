import { expect, test } from '@playwright/test';
import { demoPassword, signIn, signOut } from './helpers';

test('a county viewer cannot open a neighbouring county’s unit page', async ({ page }) => {
  // The city viewer can reach both districts; note the neighbour's address.
  await signIn(page, '330100.query1', demoPassword);
  await page.getByRole('link', { name: '单位浏览' }).first().click();
  await expect(page.getByRole('heading', { name: '杭州市教育局' })).toBeVisible();
  await page.getByRole('link', { name: '上城区教育局' }).click();
  await expect(page.getByRole('heading', { name: '上城区教育局' })).toBeVisible();
  const neighbourUrl = page.url();
  await signOut(page);

  await signIn(page, '330106.query1', demoPassword);
  await page.getByRole('link', { name: '单位浏览' }).first().click();
  await expect(page.getByRole('heading', { name: '西湖区教育局' })).toBeVisible();
  await expect(page.getByRole('link', { name: '杭州市西湖区示范小学' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/units-desktop.png', fullPage: true });
  await page.goto(neighbourUrl);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByText('上城区教育局')).toHaveCount(0);
  // Viewers have no account management either.
  await page.goto('/accounts');
  await expect(page.getByTestId('not-found')).toBeVisible();
});
