import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, switchUser } from './helpers';

/**
 * 交流轮岗 in the browser, each party as itself: 拱墅区示范初级中学 sends 赵明轩 to the county's primary
 * school, 拱墅区教育局 confirms, the primary school finds him in 交流来校, the junior school records his
 * return; then the county's rotation plan with its drill-down.
 */
test.describe.configure({ mode: 'serial' });

const thisMonth = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const monthFromNow = (delta: number) => {
  const [year, month] = thisMonth.split('-').map(Number);
  const index = year * 12 + month - 1 + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};


let rotationUrl = '';

test('the home school files a rotation; bad input is told at its field', async ({ page }) => {
  await switchUser(page, '3133050001.manager');
  await page.goto('/rotations/new');
  await page.getByTestId('rotation-submit').click();
  await expect(page.locator('#teacherId-error')).toContainText('请选择交流教师');
  await expect(page.locator('#hostSchoolId-error')).toContainText('请选择接收学校');
  await page.getByLabel('交流教师 *').selectOption((await page.locator('#teacherId option', { hasText: '赵明轩' }).getAttribute('value'))!);
  await page.getByLabel('接收学校 *').selectOption({ label: '杭州市拱墅区示范小学' });
  await page.getByLabel('开始年月 *').fill(monthFromNow(-11));
  await page.getByLabel('计划结束年月 *').fill(monthFromNow(-12));
  await page.getByLabel('交流说明 *').fill('县域内校际交流一年');
  await page.getByTestId('rotation-submit').click();
  await expect(page.locator('#plannedEndMonth-error')).toContainText('须晚于开始年月');
  // Ending this month: due at once, so both schools are reminded and the return can be recorded.
  await page.getByLabel('计划结束年月 *').fill(monthFromNow(0));
  await page.screenshot({ path: 'test-results/screens/rotation-file-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId('rotation-submit').click();
  await expect(page).toHaveURL(/\/rotations\/\d+$/);
  rotationUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId('rotation-state')).toContainText('待主管部门确认');
  await expect(page.getByTestId('rotation-steps')).toContainText('撤回申请');
});

test('the county confirms from its inbox; the teacher is 交流轮岗 at home and listed in the host’s 交流来校', async ({ page }) => {
  await switchUser(page, '330105.manager');
  await page.goto('/inbox');
  await page.getByRole('link', { name: /赵明轩/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`${rotationUrl}$`));
  await page.getByTestId('rotation-confirm').click();
  await page.getByTestId('rotation-step-confirm').click();
  await expect(page.getByTestId('rotation-state')).toContainText('交流中');
  await expect(page.getByTestId('rotation-state')).toContainText('即将到期');
  await page.screenshot({ path: 'test-results/screens/rotation-detail-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);

  await switchUser(page, '2133050001.manager');
  await page.goto('/rotations?view=incoming');
  const table = page.getByTestId('rotation-table');
  await expect(table).toContainText('赵明轩');
  await expect(table).toContainText('杭州市拱墅区示范初级中学');
  await page.screenshot({ path: 'test-results/screens/rotation-incoming-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await table.getByRole('link', { name: '赵明轩' }).click();
  // Read-only for the host: no steps, no record link.
  await expect(page.getByTestId('rotation-facts')).toContainText('杭州市拱墅区示范小学');
  await expect(page.getByTestId('rotation-steps')).toHaveCount(0);
  await expect(page.getByRole('link', { name: '查看教师记录' })).toHaveCount(0);
  // Due within 30 days: in the host's inbox too.
  await page.goto('/inbox');
  await expect(page.getByText(/来自“杭州市拱墅区示范初级中学”的交流教师/).first()).toBeVisible();
});

test('the home school records the return: back at post, the 交流轮岗 entry closed', async ({ page }) => {
  await switchUser(page, '3133050001.manager');
  await page.goto(rotationUrl);
  await page.getByRole('link', { name: '查看教师记录' }).click();
  await expect(page.getByTestId('status-current')).toHaveText('暂未在本单位任职-交流轮岗');
  await expect(page.getByTestId('status-rotation')).toContainText('杭州市拱墅区示范小学');
  await page.goto(rotationUrl);
  await page.getByTestId('rotation-return').click();
  await page.getByTestId('rotation-step-confirm').click();
  await expect(page.getByTestId('rotation-state')).toContainText('已结束');
  await expect(page.getByTestId('rotation-timeline')).toContainText('期满返回');
  await page.getByRole('link', { name: '查看教师记录' }).click();
  await expect(page.getByTestId('status-current')).toHaveText('在本单位任职');
  await page.getByTestId('status-panel').screenshot({ path: 'test-results/screens/rotation-status-panel-desktop.png' });
  // The record's 交流轮岗 entry: where, and the end month written.
  const entry = page.getByTestId('subset-rotation');
  await expect(entry).toContainText('杭州市拱墅区示范小学');
  await expect(entry).toContainText(monthFromNow(0));
  await entry.screenshot({ path: 'test-results/screens/rotation-record-entry-desktop.png' });
});

test('the county’s rotation plan, its targets and the drill-down to the eligible', async ({ page }) => {
  await switchUser(page, '330105.manager');
  // The 工作台 counts, for the county: away, hosted, retiring within 12 months, leavers by reason.
  const mobility = page.getByTestId('mobility-cards');
  await expect(mobility.getByTestId('rotating-now')).toHaveText('2');
  await expect(mobility.getByTestId('leavers-by-reason')).toContainText('退休');
  await mobility.screenshot({ path: 'test-results/screens/dashboard-mobility-desktop.png' });
  await page.goto('/rotations/plan');
  await expect(page.getByTestId('plan-targets')).toContainText('15.0%');
  const rows = page.getByTestId('plan-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('plan-summary')).toContainText('本学年已安排');
  await page.screenshot({ path: 'test-results/screens/rotation-plan-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  // A bad target is told at its field, and nothing is saved.
  await page.getByLabel('每学年交流不少于应交流对象的').fill('120');
  await page.getByTestId('rotation-targets-save').click();
  await expect(page.locator('#minSharePercent-error')).toContainText('不能超过 100%');
  await page.reload();
  await expect(page.getByTestId('plan-targets')).toContainText('15.0%');
  await page.getByLabel('每学年交流不少于应交流对象的').fill('');
  await page.getByTestId('rotation-targets-save').click();
  await expect(page.locator('#minSharePercent-error')).toContainText('请填写比例');
  await page.getByLabel('每学年交流不少于应交流对象的').fill('20');
  await page.getByTestId('rotation-targets-save').click();
  await expect(page.getByTestId('plan-targets')).toContainText('20.0%');
  // Drill-down: the junior school's eligible teachers, the one away marked.
  await rows.filter({ hasText: '杭州市拱墅区示范初级中学' }).getByTestId('plan-eligible-link').click();
  const eligible = page.getByTestId('eligible-table');
  await expect(eligible).toContainText('徐海波');
  await expect(eligible.locator('tr', { hasText: '徐海波' })).toContainText('交流中');
  await expect(eligible.locator('tr', { hasText: '徐海波' })).toContainText('县级骨干教师');
  await expect(eligible).not.toContainText('杨淑芬');
  await page.screenshot({ path: 'test-results/screens/rotation-eligible-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  // The export is a workbook.
  await page.goto('/rotations/plan');
  const download = page.waitForEvent('download');
  await page.getByTestId('plan-export').click();
  expect((await download).suggestedFilename()).toMatch(/^交流轮岗计划-.*\.xlsx$/);
});
