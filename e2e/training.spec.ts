import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoSeriousAxeViolations, signOut, issueCredentialsFor, signInForcingChange, switchUser } from './helpers';

/**
 * 培训学分 in the browser, each party as itself: 西湖区教育局 registers an institution and a project,
 * its sysadmin issues the institution's password, the institution signs in and submits results by
 * xlsx, the county confirms, and 王芳 sees the credits on a 375 px phone; a school's 校本研修 project
 * approved by the county; the province's sysadmin saves a new rule version.
 */
test.describe.configure({ mode: 'serial' });

const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const institutionName = '杭州市西湖区教师进修学校';
const institutionCode = 'PX33010601';
const projectName = '西湖区中小学教师作业设计能力专题培训';
let institutionPassword = '';
let projectUrl = '';


async function resultsFile(rows: (string | number)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('考核结果');
  sheet.addRow(['参训编号', '姓名', '实际学时', '考核结果', '成绩', '结业证书编号']);
  for (const row of rows) sheet.addRow(row);
  const file = path.join(os.tmpdir(), `results-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  return file;
}

test('the county registers an institution; its sysadmin issues the password; the institution signs in', async ({ page }) => {
  await switchUser(page, '330106.manager');
  await page.goto('/training/institutions');
  await page.getByTestId('institution-submit').click();
  await expect(page.locator('#code-error')).toContainText('机构代码');
  await page.getByLabel('机构代码 *').fill(institutionCode);
  await page.getByLabel('机构名称 *').fill(institutionName);
  await page.getByLabel('联系人 *').fill('周老师');
  await page.getByLabel('联系电话 *').fill('12');
  await page.getByTestId('institution-submit').click();
  await expect(page.locator('#contactPhone-error')).toContainText('联系电话');
  await page.getByLabel('联系电话 *').fill('0571-87654321');
  await page.getByTestId('institution-submit').click();
  await expect(page.getByTestId('form-success')).toContainText(`${institutionCode}.submit`);
  await expect(page.getByTestId('institution-table')).toContainText('待发放密码');
  // The county corrects the contact: a bad number is told at its field, a good one saved.
  await page.getByRole('link', { name: `修改 ${institutionName}` }).click();
  const editing = page.getByTestId('institution-edit');
  await editing.getByLabel('联系电话 *').fill('abc');
  await editing.getByRole('button', { name: '保存' }).click();
  await expect(editing.locator('[id$="contactPhone-error"]')).toContainText('联系电话');
  await editing.getByLabel('联系人 *').fill('吴老师');
  await editing.getByLabel('联系电话 *').fill('0571-87654322');
  await editing.getByRole('button', { name: '保存' }).click();
  await expect(editing.getByTestId('form-success')).toContainText('已保存');
  await expect(page.getByTestId('institution-table')).toContainText('吴老师');
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: 'test-results/screens/training-institutions-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: 'test-results/screens/training-institutions-mobile.png', fullPage: true });
  await page.setViewportSize({ width: 1366, height: 860 });

  await switchUser(page, '330106.admin');
  const [issued] = await issueCredentialsFor(page, institutionName);
  expect(issued.username).toBe(`${institutionCode}.submit`);
  await signOut(page);
  institutionPassword = 'Jxxx#2026train';
  await signInForcingChange(page, issued.username, issued.password, institutionPassword);
  await page.goto('/training');
  await expect(page.getByRole('heading', { name: '培训项目与考核结果' })).toBeVisible();
});

test('the county registers a project and enrols teachers; bad input is told at its field or row', async ({ page }) => {
  await switchUser(page, '330106.manager');
  await page.goto('/training/projects/new');
  await page.getByTestId('training-project-submit').click();
  await expect(page.locator('#code-error')).toBeVisible();
  await expect(page.locator('#name-error')).toContainText('请填写项目名称');
  await page.getByLabel('项目编号 *').fill(`XH-${year}-ZY01`);
  await page.getByLabel('项目名称 *').fill(projectName);
  await page.getByLabel('开始日期 *').fill(`${year}-01-10`);
  await page.getByLabel('结束日期 *').fill(`${year}-01-05`);
  await page.getByLabel('计划学时 *').fill('24');
  await page.getByLabel('计划人数 *').fill('50');
  await page.getByLabel(institutionName).check();
  await page.getByTestId('training-project-submit').click();
  await expect(page.locator('#endDate-error')).toContainText('不能早于开始日期');
  await page.getByLabel('结束日期 *').fill(`${year}-01-20`);
  await page.screenshot({ path: 'test-results/screens/training-project-new-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId('training-project-submit').click();
  await expect(page).toHaveURL(/\/training\/projects\/\d+$/);
  projectUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId('training-project-facts')).toContainText('县级');

  // All or nothing: one unknown number refuses the whole list.
  await page.getByTestId('enrol-list').fill('330106198503150024 王芳\n110101190001011234');
  await page.getByTestId('enrol-submit').click();
  await expect(page.getByTestId('enrol-errors')).toContainText('第 2 行');
  await expect(page.getByTestId('participants-enrolled')).toHaveText('0');
  await page.getByTestId('enrol-list').fill('330106198503150024 王芳');
  await page.getByTestId('enrol-submit').click();
  await expect(page.getByTestId('form-success')).toContainText('已报名 1 人');
  await expect(page.getByTestId('participants-table')).toContainText('王芳');
  await expect(page.getByTestId('participants-table')).not.toContainText('330106198503150024');
  await page.screenshot({ path: 'test-results/screens/training-project-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
});

test('the institution submits results by xlsx: a bad file is refused with an error file, a good one checked, imported and submitted', async ({ page }) => {
  await switchUser(page, `${institutionCode}.submit`, institutionPassword);
  await page.goto('/inbox');
  await page.getByRole('link', { name: new RegExp(projectName) }).first().click();
  await expect(page).toHaveURL(new RegExp(`${projectUrl}$`));
  const template = await page.request.get(`${projectUrl}/results-template`);
  expect(template.status()).toBe(200);
  const number = (await page.getByTestId('participants-table').locator('tbody tr td').first().textContent())!.trim();

  await page.getByTestId('results-file').setInputFiles(await resultsFile([[number, '王芳', '24', '优秀', '', '']]));
  await page.getByTestId('results-check').click();
  await expect(page.getByTestId('results-errors')).toContainText('考核结果须填写“合格”或“不合格”');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载错误文件' }).click();
  expect((await download).suggestedFilename()).toMatch(/考核结果错误\.xlsx$/);
  await expect(page.getByTestId('participants-enrolled')).toHaveText('1');

  await page.getByTestId('results-file').setInputFiles(await resultsFile([[number, '王芳', '24', '合格', '93', 'XH2026-0001']]));
  await page.getByTestId('results-check').click();
  await expect(page.getByTestId('form-info')).toContainText('校验通过');
  await page.getByTestId('results-import').click();
  await expect(page.getByTestId('form-success')).toContainText('已导入 1 条');
  await page.screenshot({ path: 'test-results/screens/training-results-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId('results-submit').click();
  await expect(page.getByTestId('form-success')).toContainText('已提交 1 人');
  await expect(page.getByTestId('participants-submitted')).toHaveText('1');
});

test('the county confirms the credits from its inbox', async ({ page }) => {
  await switchUser(page, '330106.manager');
  await page.goto('/inbox');
  await page.getByRole('link', { name: new RegExp(projectName) }).first().click();
  await expect(page.getByTestId('review-table')).toContainText('XH2026-0001');
  await page.getByTestId('training-review-confirm').click();
  await page.getByTestId('training-review-step-confirm').click();
  await expect(page.getByTestId('participants-confirmed')).toHaveText('1');
  await expect(page.getByTestId('participants-table')).toContainText('4 学分');
  await page.screenshot({ path: 'test-results/screens/training-confirmed-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
});

test('the teacher sees the credits on a 375 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await switchUser(page, '330106198503150024');
  await expect(page).toHaveURL(/\/me$/);
  const ledger = page.getByTestId('credit-ledger');
  await expect(ledger).toContainText(projectName);
  await expect(ledger.getByTestId('ledger-credits')).toHaveText('4 学分');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await ledger.screenshot({ path: 'test-results/screens/training-ledger-375.png' });
  await expectNoSeriousAxeViolations(page);
});

test('the teacher files self-study hours on the phone; the school head and then the county approve them', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await switchUser(page, '330106198503150024');
  await page.getByText('申报校本研修、自主研修学时').first().click();
  await page.getByTestId('filing-submit').click();
  await expect(page.locator('#filing-title-error')).toContainText('请填写研修内容');
  await page.getByLabel('研修类别 *').selectOption('05');
  await page.getByLabel('研修内容 *').fill('阅读《义务教育课程方案》并撰写读书笔记');
  await page.getByLabel('学时 *').fill('16');
  await page.getByLabel('开始日期 *').fill(`${year}-02-01`);
  await page.getByLabel('结束日期 *').fill(`${year}-02-28`);
  const evidence = path.join(os.tmpdir(), `evidence-${Date.now()}.pdf`);
  writeFileSync(evidence, '%PDF-1.4\n% 读书笔记\n');
  await page.getByLabel('证明材料 *').setInputFiles(evidence);
  await page.getByTestId('filing-submit').click();
  await expect(page.getByTestId('form-success')).toContainText('待学校审核');
  await expect(page.getByTestId('filing-list')).toContainText('待学校审核');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/training-filing-375.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);

  await page.setViewportSize({ width: 1366, height: 860 });
  await switchUser(page, '2133060001.admin');
  await page.goto('/inbox');
  await page.getByRole('link', { name: /王芳：阅读/ }).click();
  await page.getByTestId('filing-approve').click();
  await page.getByTestId('filing-step-confirm').click();
  await expect(page.getByText('没有等待本单位审核的研修申报。')).toBeVisible();

  await switchUser(page, '330106.manager');
  await page.goto('/training/filings?view=waiting');
  await expect(page.getByTestId('filing-list')).toContainText('自主研修 · 16 学时');
  await page.screenshot({ path: 'test-results/screens/training-filings-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId('filing-approve').click();
  await page.getByTestId('filing-step-confirm').click();
  await expect(page.getByTestId('notice')).toContainText('已办理');
  await page.goto('/training/filings?view=all');
  await expect(page.getByTestId('filing-list')).toContainText('已确认学分');

  await switchUser(page, '330106198503150024');
  // generic (浙江's demo rule): 非集中 8 学时 = 1 学分, so 16 hours are 2 credits, beside the 4 before.
  await expect(page.getByTestId('ledger-credits')).toHaveText('6 学分');
});

test('a school registers a 校本研修 project; the county approves it from its inbox; the school runs it, enters the results and the county confirms them', async ({ page }) => {
  await switchUser(page, '2133060001.manager');
  await page.goto('/training/projects/new');
  await page.getByLabel('项目编号 *').fill(`XB-2133060001-${year}`);
  await page.getByLabel('项目名称 *').fill('小学数学大单元教学校本研修');
  await page.getByLabel('开始日期 *').fill(`${year}-03-01`);
  await page.getByLabel('结束日期 *').fill(`${year}-06-30`);
  await page.getByLabel('计划学时 *').fill('16');
  await page.getByLabel('计划人数 *').fill('30');
  await page.getByTestId('training-project-submit').click();
  await expect(page).toHaveURL(/\/training\/projects\/\d+$/);
  await expect(page.getByText('待主管部门审核').first()).toBeVisible();

  await switchUser(page, '330106.manager');
  await page.goto('/inbox');
  await page.getByRole('link', { name: /小学数学大单元教学校本研修/ }).click();
  await page.getByTestId('training-project-reject').click();
  await page.getByTestId('training-project-step-confirm').click();
  await expect(page.locator('#step-reason-error')).toContainText('请填写原因');
  await page.getByRole('button', { name: '取消' }).click();
  await page.getByTestId('training-project-approve').click();
  await page.getByTestId('training-project-step-confirm').click();
  await expect(page.getByTestId('training-project-timeline')).toContainText('同意登记');
  await expect(page.getByText('已登记').first()).toBeVisible();
  const schoolProjectUrl = new URL(page.url()).pathname;

  // Run by the school itself (no institution): the school enrols, enters the results online and submits them.
  await switchUser(page, '2133060001.manager');
  await page.goto(schoolProjectUrl);
  await page.getByTestId('enrol-list').fill('330106198503150024 王芳');
  await page.getByTestId('enrol-submit').click();
  await expect(page.getByTestId('participants-table')).toContainText('王芳');
  const results = page.getByRole('region', { name: /填报考核结果/ });
  await results.getByLabel('王芳的实际学时').fill('20');
  await results.getByLabel('王芳的考核结果').selectOption({ label: '合格' });
  await results.getByTestId('results-save').click();
  await expect(results.getByTestId('form-error')).toContainText('超过计划学时');
  await results.getByLabel('王芳的实际学时').fill('16');
  await results.getByTestId('results-save').click();
  await expect(results.getByTestId('form-success')).toContainText('已保存');
  await results.getByTestId('results-submit').click();
  await expect(results.getByTestId('form-success')).toContainText('已提交 1 人');

  // The county confirms them from its inbox.
  await switchUser(page, '330106.manager');
  await page.goto('/inbox');
  await page.getByRole('link', { name: /小学数学大单元教学校本研修/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`${schoolProjectUrl}$`));
  await page.getByTestId('training-review-confirm').click();
  await page.getByTestId('training-review-step-confirm').click();
  await expect(page.getByTestId('participants-confirmed')).toHaveText('1');
  await expect(page.getByTestId('participants-table')).toContainText('学分');
});

test('the province sysadmin saves a new rule version from an example, effective tomorrow', async ({ page }) => {
  await switchUser(page, '330000.admin');
  await page.goto('/training/rules');
  await expect(page.getByTestId('rule-in-force')).toContainText('第 1 版');
  await page.getByRole('button', { name: '北京' }).click();
  const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId('rule-effective-from').fill('2020-01-01');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-problems')).toContainText('不能早于今天');
  await page.getByTestId('rule-effective-from').fill(tomorrow);
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('form-success')).toContainText('已保存为第 2 版');
  await expect(page.getByTestId('rule-in-force')).toContainText('尚未生效');
  await page.screenshot({ path: 'test-results/screens/training-rules-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
});
