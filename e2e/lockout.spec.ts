import { expect, test } from '@playwright/test';
import { demoPassword, signIn, signOut } from './helpers';

test('five wrong passwords lock the account; the superior sysadmin unlocks it', async ({ page }) => {
  for (let attempt = 1; attempt <= 4; attempt++) {
    await signIn(page, '330100.query1', 'Wrong#pass1');
    await expect(page.getByTestId('form-error')).toContainText(`再错 ${5 - attempt} 次`);
  }
  await signIn(page, '330100.query1', 'Wrong#pass1');
  await expect(page.getByTestId('form-error')).toContainText('账号已被锁定');
  await signIn(page, '330100.query1', demoPassword);
  await expect(page.getByTestId('form-error')).toContainText('账号已被锁定');

  await signIn(page, '330100.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/accounts?q=330100.query1');
  const row = page.getByTestId('account-row-330100.query1');
  await expect(row).toContainText('锁定至');
  await row.getByRole('button', { name: '解锁' }).click();
  await expect(row).toContainText('正常');

  await page.goto('/audit?action=auth.lockout');
  await expect(page.getByTestId('audit-rows')).toContainText('账号锁定');
  await page.screenshot({ path: 'test-results/screens/audit-desktop.png', fullPage: true });

  await signOut(page);
  await signIn(page, '330100.query1', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
});
