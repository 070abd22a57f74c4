import { expect, test } from '@playwright/test';
import { demoPassword, expectNoSeriousAxeViolations, signIn, signOut } from './helpers';

/** A teacher sees their own 交流轮岗 on a 375 px phone; the host school's 交流来校 fits it too. */
test('a teacher sees the rotation on the phone', async ({ page }) => {
  // 刘伟 of 拱墅区示范初级中学: in the demo, on a rotation at the county's primary school, due back soon.
  await signIn(page, '330105198012140458', demoPassword);
  await expect(page).toHaveURL(/\/me$/);
  const own = page.getByTestId('own-rotations');
  await expect(own).toContainText('杭州市拱墅区示范初级中学 → 杭州市拱墅区示范小学');
  await expect(own.getByTestId('rotation-state')).toContainText('交流中');
  await expect(own).toContainText('城乡交流');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/teacher-rotation-375.png', fullPage: true });
  await own.screenshot({ path: 'test-results/screens/teacher-rotation-section-375.png' });
  await expectNoSeriousAxeViolations(page);
  await signOut(page);
});

test('the host school reads 交流来校 on the phone', async ({ page }) => {
  await signIn(page, '2133050001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/rotations?view=incoming');
  const cards = page.getByTestId('rotation-cards');
  await expect(cards).toContainText('刘伟');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/rotation-incoming-375.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await signOut(page);
});
