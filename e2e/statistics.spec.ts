import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { demoPassword, exportFromPage, signIn, signOut } from './helpers';

/** Statistics on the demo data (西湖区's records are drafts at this point, so the views include drafts). */
test.describe.configure({ mode: 'serial' });

/** Clicks the bar of the named child unit: bars come in the order of the table's rows, one for each unit with teachers. */
async function clickBarOf(page: Page, name: string): Promise<number> {
  const chart = page.getByTestId('chart-children');
  const rows = await chart.getByTestId('chart-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ label: tr.children[0].textContent ?? '', count: Number((tr.children[1].textContent ?? '0').replace(/,/g, '')) })));
  const withBars = rows.filter((row) => row.count > 0);
  const index = withBars.findIndex((row) => row.label.includes(name));
  expect(index, `${name} in the chart`).toBeGreaterThanOrEqual(0);
  await chart.locator('.recharts-bar-rectangle path').nth(index).click();
  return withBars[index].count;
}

test('a ministry viewer drills from the nation to a province and a county by clicking the bars', async ({ page }) => {
  await signIn(page, '000000.query1', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/statistics?scope=all');
  await expect(page.getByTestId('stat-scope')).toContainText('不是正式统计数据');
  const total = Number((await page.getByTestId('stat-total').textContent())!.replace(/,/g, ''));
  expect(total).toBeGreaterThanOrEqual(36);
  // 浙江 and 江苏 have teachers in the demo; each click lands on the unit whose bar it was, with that bar's figure.
  const zhejiang = await clickBarOf(page, '浙江省教育厅');
  await expect(page.getByTestId('stat-trail')).toContainText('浙江省教育厅');
  await expect(page).toHaveURL(/unit=\d+.*scope=all|scope=all.*unit=\d+/);
  expect(Number((await page.getByTestId('stat-total').textContent())!.replace(/,/g, ''))).toBe(zhejiang);
  await clickBarOf(page, '杭州市教育局');
  await expect(page.getByTestId('stat-trail')).toContainText('杭州市教育局');
  const xihu = await clickBarOf(page, '西湖区教育局');
  await expect(page.getByTestId('stat-trail')).toContainText('西湖区教育局');
  expect(Number((await page.getByTestId('stat-total').textContent())!.replace(/,/g, ''))).toBe(xihu);
  expect(xihu).toBeLessThan(total);
  await page.screenshot({ path: 'test-results/screens/statistics-desktop.png', fullPage: true });
  // Official figures: nothing of 西湖区 is effective yet (the demo's effective records are in 拱墅区 and 南京).
  await page.getByTestId('stat-scope-select').selectOption('official');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('stat-scope')).toContainText('正式数据');
  await expect(page.getByTestId('stat-total')).toHaveText('0');
  await signOut(page);
});

test('a county leader’s dashboard shows only its county, and a unit outside it is not found', async ({ page }) => {
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/statistics?scope=all');
  await expect(page.getByTestId('stat-trail')).toHaveText('西湖区教育局');
  const children = page.getByTestId('chart-children').getByTestId('chart-table');
  await page.getByTestId('chart-children').getByText('表格查看').click();
  await expect(children).toContainText('杭州市西湖区示范小学');
  await expect(children).not.toContainText('上城区');
  // Filters stay in the URL: a stage filter narrows the county to its kindergarten (no teachers there).
  await page.goto('/statistics?scope=all&stage=kindergarten');
  await expect(page.getByTestId('stat-total')).toHaveText('0');
  const response = await page.goto('/statistics?unit=1');
  expect(response?.status()).toBe(404);
  await signOut(page);
});

test('a report downloads as xlsx with the cells shown on the page', async ({ page }) => {
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/statistics/reports?report=unit-stage&scope=all');
  const table = page.getByTestId('report-table');
  const onPage = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.textContent!.trim())));
  const totalRow = await page.getByTestId('report-total').locator('th, td').allTextContents();
  expect(totalRow[totalRow.length - 1]).not.toBe('0');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await file.path())!) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const inFile: string[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 3) inFile.push((row.values as unknown[]).slice(1).map((v) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v))));
  });
  expect(inFile).toEqual([...onPage, totalRow.map((cell) => cell.trim())]);
  await page.screenshot({ path: 'test-results/screens/report-desktop.png', fullPage: true });
  // On paper (and in the PDF the print dialog saves) the report names its unit, scope and printer; the console's chrome is gone.
  await expect(page.getByTestId('print-button')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  const heading = page.getByTestId('print-heading');
  await expect(heading).toBeVisible();
  await expect(heading).toContainText('西湖区教育局 各下级单位教师分学段情况');
  await expect(heading).toContainText('含未审核的工作数据');
  await expect(heading).toContainText('打印人：330106.manager');
  await expect(page.getByTestId('header-unit')).toBeHidden();
  await expect(page.getByTestId('stat-filters')).toBeHidden();
  await expect(table).toBeVisible();
  const pdf = await page.pdf({ format: 'A4', path: 'test-results/screens/report.pdf' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.screenshot({ path: 'test-results/screens/report-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await signOut(page);
});

test('the combined query finds a known teacher and exports the result', async ({ page }) => {
  await signIn(page, '2133060001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/statistics/query');
  await page.getByLabel('条件 1 的指标').selectOption({ label: '姓名' });
  await page.getByLabel('姓名包含').fill('王芳');
  await page.getByText('仅正式数据（已生效）').click();
  await page.getByTestId('query-run').click();
  await expect(page.getByTestId('query-count')).toHaveText('1');
  await expect(page.getByTestId('query-rows')).toContainText('王芳');
  await expect(page.getByTestId('query-summary')).toContainText('姓名包含“王芳”');
  await page.getByTestId('query-export').click();
  await expect(page).toHaveURL(/\/teachers\/export\?/);
  await expect(page.getByText('姓名包含“王芳”')).toBeVisible();
  const file = await exportFromPage(page);
  expect(file.suggestedFilename()).toContain('工作数据');
  await signOut(page);
});

test('the combined query says where its count comes from: the statistics at once, or a run in the background with progress and a kept result', async ({ page }) => {
  await signIn(page, '330100.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  // A coded field the statistics count: answered at once.
  await page.goto('/statistics/query?scope=all&cond=gender~in~2');
  await expect(page.getByTestId('query-source')).toHaveAttribute('data-source', 'aggregate');
  await expect(page.getByTestId('query-source')).toContainText('预汇总统计');
  const women = Number((await page.getByTestId('query-count').textContent())!.replace(/,/g, ''));
  expect(women).toBeGreaterThan(0);
  await expect(page.getByTestId('query-rows')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/query-aggregate-1280.png', fullPage: true });

  // A free text: a run in the background, its progress, then the result.
  await page.goto('/statistics/query');
  await page.getByLabel('条件 1 的指标').selectOption({ label: '姓名' });
  await page.getByLabel('姓名包含').fill('王');
  await page.getByText('仅正式数据（已生效）').click();
  await page.getByTestId('query-run').click();
  await expect(page).toHaveURL(/run=[0-9a-f-]{36}/);
  const runId = new URL(page.url()).searchParams.get('run')!;
  await expect(page.getByTestId('query-source')).toHaveAttribute('data-source', 'run');
  const panel = page.getByTestId('query-run-panel');
  await expect(panel).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(panel).toContainText('结果生成于');
  const found = Number((await page.getByTestId('query-count').textContent())!.replace(/,/g, ''));
  expect(found).toBeGreaterThan(0);
  await expect(page.getByTestId('query-rows')).toContainText('王');
  await page.screenshot({ path: 'test-results/screens/query-run-1280.png', fullPage: true });

  // The same conditions opened again (a shared link, no run in it): the kept result.
  await page.goto('/statistics/query?scope=all&cond=name~contains~王');
  await expect(page.getByTestId('query-run-panel')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('query-count')).toHaveText(found.toLocaleString('zh-CN'));
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: 'test-results/screens/query-run-375.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Another account does not see it.
  await signOut(page);
  await signIn(page, '330106.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/statistics/query?run=${runId}`);
  await expect(page.getByTestId('query-missing')).toContainText('查询结果不存在或已过期');
  await expect(page.getByTestId('query-rows')).toHaveCount(0);
  await signOut(page);
});
