import { expect, test, type Page } from '@playwright/test';
import { demoPassword, signIn, signOut } from './helpers';

/** Without a mouse: the account menu, a searchable code select and the navigation drawer, with visible focus. */

async function focusOutline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });
}

test('the account menu and a code select work from the keyboard, and focus shows', async ({ page }) => {
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);

  // The account menu is a disclosure: Enter opens it, Tab reaches its links.
  await page.locator('header summary').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: '修改密码' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: '修改密码' })).toBeFocused();
  expect(await focusOutline(page)).toMatch(/^solid [1-9]/);
  await page.keyboard.press('Escape');

  // The combined query's code picker: Enter opens the list, arrows and Enter pick, Escape closes.
  await page.goto('/statistics/query');
  const picker = page.getByRole('combobox', { name: /条件 1：/ });
  await picker.focus();
  expect(await focusOutline(page)).toMatch(/^solid [1-9]/);
  await page.keyboard.press('Enter');
  // Scoped to the list: the field select's native options are options too.
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options.first()).toBeVisible();
  const first = (await options.first().locator('span').first().textContent())!.trim();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(picker).toContainText(first);
  await expect(picker).toBeFocused();

  // Buttons show keyboard focus too.
  await page.getByTestId('query-run').focus();
  expect(await focusOutline(page)).toMatch(/^solid [1-9]/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('query-count')).toBeVisible();
  await signOut(page);
});

test('the navigation drawer opens, traps focus and closes from the keyboard at 375 px', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, '330106.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  const opener = page.getByRole('button', { name: '打开导航菜单' });
  await opener.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog');
  await expect(drawer).toBeVisible();
  // Focus moves into the drawer and stays there while it is open.
  for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
  expect(await drawer.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(opener).toBeFocused();
  await signOut(page);
});
