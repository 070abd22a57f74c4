import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { centralAdmin, expectNoSeriousAxeViolations, issueCredentialsFor, signIn, signInForcingChange, signOut } from './helpers';

test.describe.configure({ mode: 'serial' });

const headers = ['学校标识码', '学校名称', '办学类型代码', '所在地行政区划代码', '主管教育行政部门代码', '办学性质', '状态'];
const schoolCode = `2132${String(Date.now()).slice(-6)}`;

async function writeXlsx(rows: string[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tmis-e2e-file-')), '学校名单.xlsx');
  await workbook.xlsx.writeFile(file);
  return file;
}

test('credentials travel down all five tiers, and every sysadmin must change the initial password', async ({ page }) => {
  const central = centralAdmin();
  await signInForcingChange(page, central.username, central.password, 'Central#2026a');
  await expect(page.getByTestId('header-unit')).toContainText('中华人民共和国教育部');

  // School-list import: a bad file shows its row errors and writes nothing; the good one imports.
  await page.goto('/schools/import');
  await page.getByLabel('学校名单文件（.xlsx 或 .csv）').setInputFiles(
    await writeXlsx([
      [schoolCode, '玄武区端到端小学', '211', '320102', '320102', '公办', ''],
      ['123', '坏代码学校', '211', '320102', '320102', '公办', ''],
      [schoolCode, '重复学校', '999', '320102', '320102', '公办', ''],
    ]),
  );
  await page.getByRole('button', { name: '校验并导入' }).click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('未导入任何数据');
  await expect(errors).toContainText('第 3 行');
  await expect(errors).toContainText('学校标识码应为 10 位数字');
  await expect(errors).toContainText('学校标识码与第 2 行重复');
  await expect(errors).toContainText('办学类型代码不在采集范围内');
  await page.screenshot({ path: 'test-results/screens/import-errors-desktop.png', fullPage: true });

  await page.getByLabel('学校名单文件（.xlsx 或 .csv）').setInputFiles(await writeXlsx([[schoolCode, '玄武区端到端小学', '211', '320102', '320102', '公办', '']]));
  await page.getByRole('button', { name: '校验并导入' }).click();
  await expect(page.getByTestId('import-summary')).toContainText('新增 1 所');

  // Ministry -> province.
  const [province] = await issueCredentialsFor(page, '江苏省教育厅');
  expect(province).toMatchObject({ unitCode: '320000', username: '320000.admin' });
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/credentials-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: 'test-results/screens/credentials-mobile.png', fullPage: true });
  await page.setViewportSize(viewport);
  await signOut(page);
  await signInForcingChange(page, province.username, province.password, 'Province#2026a');

  // Province -> city: the city sysadmin signs in with the password from the sheet.
  const [city] = await issueCredentialsFor(page, '南京市教育局');
  expect(city.username).toBe('320100.admin');
  await signOut(page);
  await signInForcingChange(page, city.username, city.password, 'City#2026abc');

  // City -> county -> the imported school.
  const [county] = await issueCredentialsFor(page, '玄武区教育局');
  await signOut(page);
  await signInForcingChange(page, county.username, county.password, 'County#2026ab');
  const [school] = await issueCredentialsFor(page, '玄武区端到端小学');
  expect(school.username).toBe(`${schoolCode}.admin`);
  await signOut(page);
  await signInForcingChange(page, school.username, school.password, 'School#2026ab');
  await expect(page.getByTestId('header-unit')).toContainText('玄武区端到端小学');
  await expect(page.getByRole('link', { name: '本校信息' }).first()).toBeVisible();

  // An old initial password no longer works once changed.
  await signOut(page);
  await signIn(page, school.username, school.password);
  await expect(page.getByTestId('form-error')).toContainText('账号或密码错误');
});
