import type { Browser, Page } from '@playwright/test';
import { authenticator } from 'otplib';
import { inArray } from 'drizzle-orm';
import { getConnection } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { encryptText } from '@/lib/crypto/envelope';

/** Accounts a bench signs in with: a known password and, for the tiers that need one, an authenticator the bench holds. */
export interface BenchCredentials {
  password: string;
  totpSecret: string;
}

/** Gives the accounts a bench password and second factor in the bench database (never run this against a live system). */
export async function prepareBenchAccounts(usernames: string[]): Promise<BenchCredentials> {
  const { db } = await getConnection();
  const password = 'Bench#2026http';
  const totpSecret = authenticator.generateSecret();
  await db
    .update(accounts)
    .set({ passwordHash: await hashPassword(password), mustChangePassword: false, totpSecret: encryptText(totpSecret), totpEnabledAt: new Date(), totpLastStep: null })
    .where(inArray(accounts.username, usernames));
  return { password, totpSecret };
}

/** Signs in through the login page as a user would, the second factor included; answers the signed-in page. */
export async function signInPage(browser: Browser, base: string, username: string, credentials: BenchCredentials): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(credentials.password);
  await page.getByRole('button', { name: '登录' }).click();
  const code = page.getByLabel('动态验证码');
  await code.or(page.getByTestId('header-unit')).first().waitFor();
  if (await code.isVisible()) {
    await code.fill(authenticator.generate(credentials.totpSecret));
    await page.getByRole('button', { name: '验证并登录' }).click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
