import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { idCheckCharacter } from '../lib/reference/id-number';
import { demoPassword, expectNoSeriousAxeViolations, signIn, signOut } from './helpers';

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmis-e2e-teachers-'));

function idFor(sequence: number): string {
  const first17 = `33010619900101${String(500 + sequence * 2).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

async function download(page: Page, trigger: () => Promise<void>, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const target = path.join(dir, name);
  await file.saveAs(target);
  return target;
}

async function headersOf(file: string, sheetName: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  return (workbook.getWorksheet(sheetName)!.getRow(1).values as string[]).slice(1).map(String);
}

test('a province sysadmin adds a province indicator; it appears in the record form and the import template', async ({ page }) => {
  const label = `山区任教年限${Date.now() % 10000}`;
  await signIn(page, '330000.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/indicators');
  await page.getByRole('button', { name: '+ 新增省级指标' }).click();
  const row = page.getByTestId('custom-indicator').last();
  await row.getByLabel('指标名称').fill(label);
  await row.getByLabel('类型').selectOption('number');
  await page.getByLabel('修改说明（记入版本记录）').fill('端到端：新增省级指标');
  await page.getByRole('button', { name: '保存为新版本' }).click();
  await expect(page.getByTestId('form-success')).toContainText('已保存为第');
  await expect(page.getByTestId('settings-history')).toContainText('端到端：新增省级指标');
  await page.screenshot({ path: 'test-results/screens/indicators-desktop.png', fullPage: true });
  await signOut(page);

  await signIn(page, '2133060001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/teachers?q=王芳');
  await page.getByRole('link', { name: '王芳' }).click();
  const basic = page.getByTestId('subset-basic');
  await basic.getByLabel(label).fill('12');
  await basic.getByRole('button', { name: '保存基本信息' }).click();
  await expect(basic.getByTestId('form-success')).toHaveText('已保存');
  await basic.getByLabel(label).fill('abc');
  await basic.getByRole('button', { name: '保存基本信息' }).click();
  await expect(basic.getByText('应为数字（最多两位小数）')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/teacher-record-desktop.png', fullPage: true });

  await page.goto('/teachers/import');
  const template = await download(page, () => page.getByRole('link', { name: '下载导入模板' }).click(), 'template.xlsx');
  expect(await headersOf(template, '基本信息')).toContain(label);
  await signOut(page);
});

test('a manager imports a template with errors, downloads the marked file, fixes it and imports', async ({ page }) => {
  await signIn(page, '2133060001.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/teachers/import');
  const template = await download(page, () => page.getByRole('link', { name: '下载导入模板' }).click(), 'template-2.xlsx');
  const suffix = Date.now() % 200;
  const good = idFor(suffix);
  const bad = idFor(suffix + 1);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(template) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('基本信息')!;
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  const row = (values: Record<string, string>) => sheet.addRow(headers.map((h) => values[h] ?? ''));
  const base = { 身份证件类型: '居民身份证', 性别: '女', 出生日期: '1990-01-01', '国籍/地区': '中国', 政治面貌: '群众', 是否在编: '是', 岗位类别: '教师岗位', 人员状态: '在本单位任职' };
  row({ ...base, 身份证件号码: good, 姓名: '导入甲', 民族: '汉族' });
  row({ ...base, 身份证件号码: bad, 姓名: '导入乙', 民族: '火星族' });
  const upload = path.join(dir, '教师信息.xlsx');
  await workbook.xlsx.writeFile(upload);

  await page.getByLabel('教师信息文件（按模板填写的 .xlsx）').setInputFiles(upload);
  await page.getByRole('button', { name: '上传并校验' }).click();
  await expect(page.getByTestId('import-status')).toHaveText('校验未通过');
  await expect(page.getByTestId('import-issues')).toContainText('“火星族”不在代码表中');
  await expect(page).toHaveURL(/job=/);
  await page.screenshot({ path: 'test-results/screens/teacher-import-errors-desktop.png', fullPage: true });

  const marked = await download(page, () => page.getByTestId('error-file').click(), 'marked.xlsx');
  const fixedBook = new ExcelJS.Workbook();
  await fixedBook.xlsx.load(readFileSync(marked) as unknown as ArrayBuffer);
  const fixedSheet = fixedBook.getWorksheet('基本信息')!;
  const markedHeaders = (fixedSheet.getRow(1).values as string[]).slice(1).map(String);
  expect(markedHeaders.at(-1)).toBe('错误原因');
  const reasonColumn = markedHeaders.length;
  const ethnicColumn = markedHeaders.indexOf('民族') + 1;
  let fixedRows = 0;
  fixedSheet.eachRow((r, n) => {
    if (n === 1 || !String(r.getCell(reasonColumn).value ?? '')) return;
    expect(String(r.getCell(reasonColumn).value)).toContain('火星族');
    r.getCell(ethnicColumn).value = '汉族';
    r.getCell(reasonColumn).value = '';
    fixedRows += 1;
  });
  expect(fixedRows).toBe(1);
  const fixed = path.join(dir, '教师信息-已修改.xlsx');
  await fixedBook.xlsx.writeFile(fixed);

  await page.getByLabel('教师信息文件（按模板填写的 .xlsx）').setInputFiles(fixed);
  await page.getByRole('button', { name: '上传并校验' }).click();
  await expect(page.getByTestId('import-status')).toHaveText('校验通过，待确认导入');
  await expect(page.getByTestId('import-create')).toHaveText('2');
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByTestId('import-status')).toHaveText('导入完成');
  await page.screenshot({ path: 'test-results/screens/teacher-import-done-desktop.png', fullPage: true });

  await page.goto(`/teachers?q=${bad}`);
  await expect(page.getByTestId('teacher-rows')).toContainText('导入乙');
  await expect(page.getByTestId('teacher-rows')).toContainText(`${bad.slice(0, 4)}**********${bad.slice(-4)}`);
  await signOut(page);
});

test('the school sysadmin issues the imported teachers’ initial passwords: made in the background, downloaded once', async ({ page }) => {
  await signIn(page, '2133060001.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/teachers/accounts');
  const pending = Number(await page.getByTestId('pending-credentials').textContent());
  expect(pending).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: '生成初始密码和分发表' }).click();
  await expect(page.getByTestId('form-success')).toContainText('正在后台生成');
  const newest = page.getByTestId('credential-sheets').locator('li').first();
  await expect(newest.getByTestId('credential-sheet-status')).toHaveText('待下载', { timeout: 30_000 });
  // Made, not yet handed out: the teachers still have no password.
  await expect(page.getByTestId('pending-credentials')).toHaveText(String(pending));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/teacher-credentials-desktop.png', fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: 'test-results/screens/teacher-credentials-mobile.png', fullPage: true });
  const sheetFile = await download(page, () => newest.getByTestId('credential-sheet-download').click(), 'teacher-credentials.xlsx');
  await expect(newest.getByTestId('credential-sheet-status')).toHaveText('已下载', { timeout: 10_000 });
  await expect(page.getByTestId('pending-credentials')).toHaveText('0');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(sheetFile) as unknown as ArrayBuffer);
  const logins: string[] = [];
  workbook.getWorksheet('账号分发表')!.eachRow((row, n) => n > 1 && row.getCell(4).value && logins.push(String(row.getCell(3).value)));
  expect(logins).toHaveLength(pending);
  for (const login of logins) expect(login).toMatch(/^\d{17}[\dX]$/);
  await signOut(page);
});
