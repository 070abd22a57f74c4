import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut, switchUser } from './helpers';

/**
 * 教师调动 in the browser, each party signing in as itself: between two counties of 杭州 (with a
 * rejection and a refiling), and the cross-province relay of a demo transfer from 南京.
 */
test.describe.configure({ mode: 'serial' });

/** The demo's ID numbers: region, birth date, sequence (odd for men) and the GB 11643 check character. */
function demoIdNumber(region: string, birthDate: string, sequence: number, gender: '1' | '2'): string {
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence * 2 + (gender === '1' ? 1 : 0)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// 孙丽华 of 杭州市拱墅区示范小学: in no transfer of the demo.
const teacher = { name: '孙丽华', idNumber: demoIdNumber('330105', '1983-12-01', 25, '2') };
const thisMonth = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);


async function openWaiting(page: Page, teacherName: string) {
  await page.goto('/transfers?view=waiting');
  await page.getByTestId('transfer-table').getByRole('link', { name: teacherName }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(teacherName);
}

async function takeStep(page: Page, action: string, fields: { reason?: string; month?: string } = {}) {
  await page.getByTestId(`transfer-${action}`).click();
  const dialog = page.getByRole('dialog');
  if (fields.month) await dialog.getByLabel(/离校年月|到岗年月/).fill(fields.month);
  if (fields.reason) await dialog.getByLabel(/原因|意见/).fill(fields.reason);
  await dialog.getByTestId('transfer-step-confirm').click();
  await expect(dialog).toHaveCount(0);
}

let transferUrl = '';

test('the receiving school files a transfer; the sending school rejects it with a reason', async ({ page }) => {
  await switchUser(page, '2133060001.manager');
  await page.goto('/transfers');
  await page.getByTestId('transfer-new').click();
  // Both the ID number and the name must match; a wrong name finds nobody.
  await page.getByLabel('证件号码 *').fill(teacher.idNumber);
  await page.getByLabel('姓名 *').fill('孙丽');
  await page.getByTestId('transfer-find').click();
  await expect(page.getByTestId('form-error')).toContainText('未找到证件号码与姓名都相符的教师');
  await page.getByLabel('姓名 *').fill(teacher.name);
  await page.getByTestId('transfer-find').click();
  const candidate = page.getByTestId('transfer-candidate');
  await expect(candidate).toContainText('杭州市拱墅区示范小学');
  await expect(candidate).toContainText(`${teacher.idNumber.slice(0, 4)}**********${teacher.idNumber.slice(-4)}`);
  // The reason is required, at its field.
  await page.getByLabel('拟到岗年月 *').fill('2027-02');
  await page.getByTestId('transfer-submit').click();
  await expect(page.locator('#reason-error')).toContainText('请填写调动原因');
  await page.getByLabel('调动原因 *').fill('本校语文学科缺编，经协商调入');
  await page.getByLabel('拟任岗位', { exact: true }).fill('小学语文教师');
  await page.screenshot({ path: 'test-results/screens/transfer-new-desktop.png', fullPage: true });
  await page.getByTestId('transfer-submit').click();
  await expect(page).toHaveURL(/\/transfers\/\d+$/);
  await expect(page.getByTestId('transfer-state')).toContainText('待调入校主管部门确认');
  // Before the sending side agrees, the receiving school sees the core four only.
  await expect(page.getByText('调出学校同意前，调入方只能看到')).toBeVisible();
  transferUrl = page.url();
  await signOut(page);

  await switchUser(page, '330106.manager');
  await page.goto('/inbox');
  await page.getByTestId('inbox-transfer.step').getByRole('link', { name: new RegExp(teacher.name) }).click();
  await takeStep(page, 'confirm', { reason: '同意调入' });
  await expect(page.getByTestId('transfer-state')).toContainText('待调出校同意');
  await signOut(page);

  await switchUser(page, '2133050001.manager');
  await openWaiting(page, teacher.name);
  await page.getByTestId('transfer-reject').click();
  await page.getByRole('dialog').getByTestId('transfer-step-confirm').click();
  await expect(page.getByRole('dialog')).toContainText('须填写原因');
  await page.getByRole('dialog').getByLabel('原因 *').fill('该教师本学期担任毕业班班主任，学期结束后再议');
  await page.getByRole('dialog').getByTestId('transfer-step-confirm').click();
  await expect(page.getByTestId('transfer-rejection')).toContainText('毕业班班主任');
  await signOut(page);
});

test('the receiving school files again, and every party takes its step until the file is received', async ({ page }) => {
  await switchUser(page, '2133060001.manager');
  await page.goto(transferUrl);
  await expect(page.getByTestId('transfer-state')).toContainText('未通过');
  await page.goto('/transfers/new');
  await page.getByLabel('证件号码 *').fill(teacher.idNumber);
  await page.getByLabel('姓名 *').fill(teacher.name);
  await page.getByTestId('transfer-find').click();
  await page.getByLabel('拟到岗年月 *').fill(thisMonth);
  await page.getByLabel('调动原因 *').fill('学期结束后再次申请调入');
  await page.getByTestId('transfer-submit').click();
  await expect(page).toHaveURL(/\/transfers\/\d+$/);
  const refiled = page.url();
  expect(refiled).not.toBe(transferUrl);
  await signOut(page);

  await switchUser(page, '330106.manager');
  await openWaiting(page, teacher.name);
  await takeStep(page, 'confirm');
  await signOut(page);

  await switchUser(page, '2133050001.manager');
  await openWaiting(page, teacher.name);
  await takeStep(page, 'agree', { month: thisMonth, reason: '同意调出' });
  await expect(page.getByTestId('transfer-state')).toContainText('待调出校主管部门确认');
  await signOut(page);

  await switchUser(page, '330105.manager');
  await openWaiting(page, teacher.name);
  await takeStep(page, 'confirm');
  await expect(page.getByTestId('transfer-state')).toContainText('待调入校调档');
  await signOut(page);

  await switchUser(page, '2133060001.manager');
  await page.goto(refiled);
  // Now that the sending side agreed, the receiving school sees more of the teacher.
  await expect(page.getByTestId('transfer-teacher-summary')).toContainText('参加工作年月');
  await takeStep(page, 'receive', { month: thisMonth });
  await expect(page.getByTestId('transfer-state')).toContainText('已完成');
  await expect(page.getByTestId('transfer-timeline')).toContainText('调档，完成调动');
  await page.screenshot({ path: 'test-results/screens/transfer-completed-desktop.png', fullPage: true });
  // The record is now the school's, with a version of kind 教师调动 and 进本校年月 set.
  await page.getByRole('link', { name: '查看教师记录' }).click();
  await expect(page).toHaveURL(/\/teachers\/\d+$/);
  await expect(page.getByText(teacher.name).first()).toBeVisible();
  await page.goto(`${page.url()}/history`);
  await expect(page.getByText('教师调动', { exact: true }).first()).toBeVisible();

  // The printable approval form lists every decision, who and when.
  await page.goto(`${refiled}/print`);
  const form = page.getByTestId('transfer-approval-form');
  await expect(form).toContainText('教师调动审批表');
  const decisions = page.getByTestId('transfer-approval-decisions');
  for (const unit of ['杭州市西湖区示范小学', '西湖区教育局', '杭州市拱墅区示范小学', '拱墅区教育局']) await expect(decisions).toContainText(unit);
  await expect(decisions.locator('tbody tr')).toHaveCount(5);
  await page.screenshot({ path: 'test-results/screens/transfer-approval-form.png', fullPage: true });
  await signOut(page);
});

test('a transfer from 南京 passes both provinces’ authorities', async ({ page }) => {
  // The demo's 高文静 waits for 浙江省教育厅 (the receiving province), after 西湖区 sent it.
  await switchUser(page, '330000.manager');
  await openWaiting(page, '高文静');
  await expect(page.getByTestId('transfer-route')).toContainText('调入省确认');
  await takeStep(page, 'confirm');
  await expect(page.getByTestId('transfer-state')).toContainText('待调出校同意');
  const url = page.url();
  await signOut(page);

  // A school beside both sides does not find it.
  await switchUser(page, '2133050001.manager');
  const response = await page.goto(url);
  expect(response?.status()).toBe(404);
  await expect(page.getByText('您访问的记录不存在')).toBeVisible();
  await signOut(page);

  await switchUser(page, '2132010001.manager');
  await openWaiting(page, '高文静');
  await takeStep(page, 'agree', { month: thisMonth });
  await signOut(page);

  await switchUser(page, '320102.manager');
  await openWaiting(page, '高文静');
  await takeStep(page, 'confirm');
  await expect(page.getByTestId('transfer-state')).toContainText('待调出省确认');
  await signOut(page);

  await switchUser(page, '320000.manager');
  await openWaiting(page, '高文静');
  await takeStep(page, 'confirm', { reason: '同意跨省调出' });
  await signOut(page);

  await switchUser(page, '2133060001.manager');
  await page.goto(url);
  await takeStep(page, 'receive', { month: thisMonth });
  await expect(page.getByTestId('transfer-state')).toContainText('已完成');
  await expect(page.getByTestId('transfer-timeline')).toContainText('浙江省教育厅');
  await expect(page.getByTestId('transfer-timeline')).toContainText('江苏省教育厅');
  await signOut(page);
});

test('a teacher who retired is re-hired by another school; the login reopens with a new password', async ({ page }) => {
  // 郑浩然 of 拱墅区 retired in e2e/status.spec.ts (the desktop project runs first).
  const rehired = { name: '郑浩然', idNumber: demoIdNumber('330105', '1990-09-15', 24, '1') };
  await switchUser(page, '2133060001.manager');
  await page.goto('/transfers/new');
  await page.getByLabel('证件号码 *').fill(rehired.idNumber);
  await page.getByLabel('姓名 *').fill(rehired.name);
  await page.getByTestId('transfer-find').click();
  await expect(page.getByTestId('transfer-candidate')).toContainText('杭州市拱墅区示范小学');
  await page.getByLabel('类型 *').selectOption('rehire');
  await page.getByLabel('拟到岗年月 *').fill(thisMonth);
  await page.getByLabel('调动原因 *').fill('退休后返聘任教');
  await page.getByTestId('transfer-submit').click();
  await expect(page).toHaveURL(/\/transfers\/\d+$/);
  const url = page.url();
  await expect(page.getByTestId('transfer-route')).toContainText('调入校调档');
  await signOut(page);

  await switchUser(page, '330106.manager');
  await page.goto(url);
  await takeStep(page, 'confirm');
  await expect(page.getByTestId('transfer-state')).toContainText('待调入校调档');
  await signOut(page);

  await switchUser(page, '2133060001.manager');
  await page.goto(url);
  await page.getByTestId('transfer-receive').click();
  await page.getByRole('dialog').getByTestId('transfer-step-confirm').click();
  const issued = page.getByRole('dialog').filter({ hasText: '初始密码已生成' });
  await expect(issued).toBeVisible();
  const password = (await issued.getByTestId('issued-password').textContent())!.trim();
  await issued.getByRole('button', { name: /关闭|我已记下/ }).click();
  await expect(page.getByTestId('transfer-state')).toContainText('已完成');
  await signOut(page);

  // The teacher signs in again with the ID number and the new initial password, and must change it.
  await signIn(page, rehired.idNumber, password);
  await expect(page).toHaveURL(/\/change-password$/);
});
