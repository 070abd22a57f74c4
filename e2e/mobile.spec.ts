import { expect, test } from '@playwright/test';
import { demoPassword, signIn, signOut } from './helpers';

test('the console works at 375 px with a navigation drawer', async ({ page }) => {
  await signIn(page, '330106.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('header-unit')).toContainText('演示账号');
  await page.screenshot({ path: 'test-results/screens/dashboard-375.png', fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await page.getByRole('button', { name: '打开导航菜单' }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/drawer-375.png' });
  await drawer.getByRole('link', { name: '单位浏览' }).click();
  await expect(page.getByRole('heading', { name: '西湖区教育局' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/units-375.png', fullPage: true });
});

test('a teacher lands on the mobile account page', async ({ page }) => {
  await signIn(page, '330106198503150024', demoPassword);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { name: '王芳', level: 1 })).toBeVisible();
  await expect(page.getByTestId('teacher-username')).toHaveText('3301**********0024');
  await page.screenshot({ path: 'test-results/screens/teacher-375.png', fullPage: true });
  // Staff pages are not for teachers.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/me$/);
  await signOut(page);
});
