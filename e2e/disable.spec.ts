import { expect, test } from '@playwright/test';
import { demoPassword, signIn } from './helpers';

test('disabling an account ends its open session at the next request', async ({ browser, page: viewer }) => {
  await signIn(viewer, '2133060001.query1', demoPassword);
  await expect(viewer).toHaveURL(/\/dashboard$/);

  const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const admin = await adminContext.newPage();
  await signIn(admin, '2133060001.admin', demoPassword);
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin.goto('/accounts?q=2133060001.query1');
  const row = admin.getByTestId('account-row-2133060001.query1');
  admin.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: '停用' }).click();
  await expect(row).toContainText('已停用');

  // The viewer's token is still unexpired, but the next request re-reads the account.
  await viewer.goto('/units');
  await expect(viewer).toHaveURL(/\/login/);
  await signIn(viewer, '2133060001.query1', demoPassword);
  // The same words as for a wrong password: the page does not confirm the password of a disabled account.
  await expect(viewer.getByTestId('form-error')).toContainText('账号或密码错误');

  await row.getByRole('button', { name: '启用' }).click();
  await expect(row).toContainText('正常');
  await signIn(viewer, '2133060001.query1', demoPassword);
  await expect(viewer).toHaveURL(/\/dashboard$/);
  await adminContext.close();
});
