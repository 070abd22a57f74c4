import { expect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { demoPassword, signIn, signOut } from './helpers';

/**
 * One collection campaign in the demo county, in order: the school reports, the county returns one
 * record and approves the rest, the school fixes and reports again, the teacher adds information on a
 * phone, a change request goes through, and the city watches progress and sends a reminder.
 */
test.describe.configure({ mode: 'serial' });

const school = '2133060001';
const county = '330106';

/** The demo junior school has namesakes; the record state tells them apart for the county. */
async function openRecord(page: Page, name: string, state?: 'draft' | 'submitted' | 'effective') {
  await page.goto(`/teachers?q=${encodeURIComponent(name)}${state ? `&state=${state}` : ''}`);
  await page.getByRole('link', { name, exact: true }).first().click();
  await expect(page.getByTestId('teacher-name')).toHaveText(name);
}

async function pick(page: Page, scope: ReturnType<Page['getByTestId']>, label: string, option: RegExp) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).first().click();
}

async function phone(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return { context, page: await context.newPage() };
}

test('a school enters data and reports records; the one that fails the completeness check stays a draft', async ({ page }) => {
  // The manager adds the missing 岗位聘任 of 刘磊.
  await signIn(page, `${school}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openRecord(page, '刘磊');
  const post = page.getByTestId('subset-post');
  await post.getByRole('button', { name: '+ 新增岗位聘任' }).click();
  const dialog = page.getByRole('dialog');
  await pick(page, dialog, '岗位类别 *', /专业技术岗位|教师岗位/);
  await pick(page, dialog, '岗位等级 *', /专业技术十级/);
  await dialog.getByLabel('聘任开始年月 *').fill('2016-09');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(post.getByTestId('entry-post')).toHaveCount(1);
  await signOut(page);

  // The head reports five records; 杨伟 still lacks 岗位聘任.
  await signIn(page, `${school}.admin`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/review/submit');
  for (const name of ['王芳', '朱丽', '何勇', '刘磊', '杨伟']) await page.getByRole('checkbox', { name: `选择 ${name}` }).check();
  await page.getByTestId('submit-selected').click();
  const outcome = page.getByTestId('submit-outcome');
  await expect(outcome).toContainText('已上报 4 条记录');
  const failures = page.getByTestId('completeness-failures');
  await expect(failures).toContainText('杨伟');
  await expect(failures).toContainText('至少须填写一条岗位聘任');
  await expect(page.getByTestId('count-submitted')).toHaveText('4');
  await page.screenshot({ path: 'test-results/screens/review-submit-desktop.png', fullPage: true });
  await signOut(page);
});

test('the county returns one record with a reason and approves the rest in bulk after sampling', async ({ page, context }) => {
  await signIn(page, `${county}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  // The dashboard's inbox counts the four reported records (the demo's transfers wait there too, in their own group).
  await expect(page.getByTestId('inbox-record.toApprove').locator('h2 span')).toHaveText('4');
  await page.goto('/review/records');
  await expect(page.getByTestId('queue-row')).toHaveCount(4);
  await page.getByRole('checkbox', { name: '选择 何勇' }).check();
  await page.getByTestId('return-selected').click();
  await page.getByTestId('reason-confirm').click();
  await expect(page.getByRole('dialog')).toContainText('请填写退回原因');
  await page.getByLabel('原因').fill('进本校年月与人事档案不一致，请核对');
  await page.getByTestId('reason-confirm').click();
  await expect(page.getByText('已退回 1 条记录')).toBeVisible();
  await expect(page.getByTestId('queue-row')).toHaveCount(3);

  await page.getByRole('checkbox', { name: '全选本页' }).check();
  await page.getByTestId('approve-selected').click();
  await expect(page.getByTestId('form-error')).toContainText('抽查');
  const [sample] = await Promise.all([context.waitForEvent('page'), page.getByTestId('sample-link').first().click()]);
  await expect(sample.getByTestId('record-state')).toHaveText('已报送');
  await sample.close();
  await page.getByTestId('approve-selected').click();
  await expect(page.getByText('已审核通过 3 条记录')).toBeVisible();
  await expect(page.getByTestId('queue-empty')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/review-records-desktop.png', fullPage: true });
  await signOut(page);
});

test('the school fixes the returned record and reports it again; the county approves it', async ({ page }) => {
  await signIn(page, `${school}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/inbox');
  const returned = page.getByTestId('inbox-record.returned');
  await expect(returned).toContainText('何勇');
  await expect(returned).toContainText('进本校年月与人事档案不一致');
  await returned.getByRole('link', { name: /何勇/ }).click();
  await expect(page.getByTestId('return-reason')).toContainText('进本校年月与人事档案不一致');
  const basic = page.getByTestId('subset-basic');
  const joined = basic.getByLabel('进本校年月 *');
  const [year, month] = (await joined.inputValue()).split('-').map(Number);
  await joined.fill(`${year + 1}-${String(month).padStart(2, '0')}`);
  await basic.getByRole('button', { name: '保存基本信息' }).click();
  await expect(basic.getByTestId('form-success')).toHaveText('已保存');
  await signOut(page);

  await signIn(page, `${school}.admin`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/review/submit?filter=returned');
  await page.getByRole('checkbox', { name: '选择 何勇' }).check();
  await page.getByTestId('submit-selected').click();
  await expect(page.getByTestId('submit-outcome')).toContainText('已上报 1 条记录');
  await signOut(page);

  await signIn(page, `${county}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openRecord(page, '何勇', 'submitted');
  await page.getByTestId('record-approve').click();
  await expect(page.getByTestId('record-state')).toHaveText('已生效');
  await page.goto(page.url() + '/history');
  await expect(page.getByTestId('timeline')).toContainText('退回修改');
  await expect(page.getByTestId('timeline')).toContainText('进本校年月与人事档案不一致');
  await expect(page.getByTestId('version-1')).toContainText('首次生效');
  await signOut(page);
});

test('the teacher adds a training entry on a phone; it takes effect after the school and the county approve', async ({ page, browser }) => {
  const mobile = await phone(browser);
  await signIn(mobile.page, '330106198503150024', demoPassword);
  await expect(mobile.page).toHaveURL(/\/me$/);
  await expect(mobile.page.getByTestId('record-state')).toHaveText('已生效');
  const training = mobile.page.getByTestId('subset-training');
  await training.getByTestId('add-info-training').click();
  const dialog = mobile.page.getByRole('dialog');
  await dialog.getByLabel('培训年度 *').fill('2026');
  await pick(mobile.page, dialog, '培训类别 *', /.+/);
  await dialog.getByLabel('培训项目名称 *').fill('国培计划·信息技术应用能力提升');
  await dialog.getByLabel('培训学时').fill('36');
  await dialog.getByTestId('entry-submit').click();
  await expect(training.getByTestId('form-success')).toContainText('新增信息已提交');
  await expect(mobile.page.getByTestId('record-addition')).toContainText('待学校审核');
  const width = await mobile.page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await mobile.page.screenshot({ path: 'test-results/screens/teacher-addition-375.png', fullPage: true });

  await signIn(page, `${school}.admin`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/inbox');
  await expect(page.getByTestId('inbox-addition.school')).toContainText('王芳');
  await page.goto('/review/changes');
  await expect(page.getByTestId('pending-addition')).toContainText('国培计划·信息技术应用能力提升');
  await page.getByTestId('addition-approve').click();
  await expect(page.getByTestId('pending-addition')).toHaveCount(0);
  // The card is gone; the page says what happened.
  await expect(page.getByTestId('notice')).toHaveText('已审核通过，已报主管部门审核');
  await signOut(page);

  await signIn(page, `${county}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/review/changes');
  await expect(page.getByTestId('pending-addition')).toContainText('王芳');
  await page.getByTestId('addition-approve').click();
  await expect(page.getByTestId('pending-addition')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toHaveText('已审核通过，新增信息已生效');
  await signOut(page);

  await mobile.page.reload();
  // 王芳 also has an entry written from confirmed credits (training.spec.ts): pick the one she added.
  await expect(mobile.page.getByTestId('subset-training').getByTestId('entry-training').filter({ hasText: '国培计划·信息技术应用能力提升' })).toContainText('2026');
  await mobile.page.goto('/me/history');
  await expect(mobile.page.getByTestId('version-2')).toContainText('新增信息');
  await expect(mobile.page.getByTestId('version-2')).toContainText('国培计划·信息技术应用能力提升');
  await mobile.context.close();
});

test('a change request is filed by the school and approved by the county; the history shows the diff', async ({ page }) => {
  await signIn(page, `${school}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openRecord(page, '王芳');
  const contact = page.getByTestId('subset-contact');
  await contact.getByTestId('request-change-contact').click();
  await contact.getByLabel('手机号码 *').fill('13905710001');
  await contact.getByTestId('submit-change-contact').click();
  await expect(contact.getByText('请填写变更原因')).toBeVisible();
  await contact.getByLabel('变更原因 *').fill('教师更换手机号码');
  await contact.getByTestId('submit-change-contact').click();
  await expect(contact.getByTestId('form-success')).toContainText('变更申请已提交');
  // A second request on the same field is refused.
  await contact.getByTestId('request-change-contact').click();
  await contact.getByLabel('手机号码 *').fill('13905710002');
  await contact.getByLabel('变更原因 *').fill('再次更换');
  await contact.getByTestId('submit-change-contact').click();
  await expect(contact.getByTestId('form-error')).toContainText('已有待审批的变更申请');
  await signOut(page);

  await signIn(page, `${county}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/review/changes');
  const request = page.getByTestId('pending-change');
  await expect(request).toContainText('教师更换手机号码');
  await expect(request.getByTestId('change-diff')).toContainText('13905710001');
  await page.screenshot({ path: 'test-results/screens/review-changes-desktop.png', fullPage: true });
  await request.getByTestId('change-approve').click();
  await expect(page.getByTestId('pending-change')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toHaveText(/^已批准变更，记录已更新为第 \d+ 版$/);
  await openRecord(page, '王芳', 'effective');
  await page.getByRole('link', { name: '版本与修改记录', exact: true }).click();
  const version = page.getByTestId('version-3');
  await expect(version).toContainText('信息变更');
  await expect(version.getByTestId('version-diff')).toContainText('手机号码');
  await expect(version.getByTestId('version-diff')).toContainText('13905710001');
  await page.screenshot({ path: 'test-results/screens/record-history-desktop.png', fullPage: true });
  await signOut(page);
});

test('the teacher asks on a phone to correct her effective mobile number; the school and then the county approve, and she is told', async ({ page, browser }) => {
  const mobile = await phone(browser);
  await signIn(mobile.page, '330106198503150024', demoPassword);
  await expect(mobile.page).toHaveURL(/\/me$/);
  const contact = mobile.page.getByTestId('subset-contact');
  await expect(contact).toContainText('可申请更正');
  // 年度考核 is the school's: no request from the teacher.
  await expect(mobile.page.getByTestId('subset-assessment').getByTestId('request-change-assessment')).toHaveCount(0);
  await contact.getByTestId('request-change-contact').click();
  await contact.getByLabel('手机号码 *').fill('13905710077');
  await contact.getByLabel('变更原因 *').fill('本人手机号码已更换');
  await contact.getByTestId('submit-change-contact').click();
  await expect(contact.getByTestId('form-success')).toContainText('学校审核后报主管教育行政部门批准');
  await expect(mobile.page.getByTestId('record-change')).toContainText('待学校审核');
  expect(await mobile.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await mobile.page.screenshot({ path: 'test-results/screens/teacher-change-request-375.png', fullPage: true });

  await signIn(page, `${school}.admin`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/inbox');
  await expect(page.getByTestId('inbox-change.school')).toContainText('王芳');
  await page.goto('/review/changes');
  const request = page.getByTestId('pending-change');
  await expect(request.getByTestId('change-diff')).toContainText('13905710077');
  await request.getByTestId('change-approve').click();
  await expect(page.getByTestId('notice')).toHaveText('已审核通过，已报主管部门审批');
  await expect(page.getByTestId('pending-change')).toHaveCount(0);
  await signOut(page);

  await signIn(page, `${county}.manager`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/review/changes');
  await expect(page.getByTestId('pending-change')).toContainText('本人手机号码已更换');
  await expect(page.getByTestId('pending-change')).toContainText('审核通过');
  await page.getByTestId('change-approve').click();
  await expect(page.getByTestId('notice')).toHaveText(/^已批准变更，记录已更新为第 \d+ 版$/);
  await signOut(page);

  await mobile.page.reload();
  await expect(mobile.page.getByTestId('inbox-teacher.returned')).toContainText('变更申请已批准，信息已更新');
  await expect(mobile.page.getByTestId('subset-contact')).toContainText('13905710077');
  await mobile.page.screenshot({ path: 'test-results/screens/teacher-change-approved-375.png', fullPage: true });
  await mobile.context.close();
});

test('the city sees the right percentages, drills down, exports, and a reminder reaches the school’s inbox', async ({ page }) => {
  await signIn(page, '330100.manager', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/progress');
  await page.getByLabel(/本级设定的采集截止日期/).fill('2099-12-31');
  await page.getByTestId('deadline-save').click();
  await expect(page.getByText('截止日期已设为 2099-12-31')).toBeVisible();
  // Four records of the demo county are effective: 王芳, 朱丽 and 刘磊 (bulk), and 何勇 (returned, fixed, approved).
  const countyRow = page.locator('[data-testid="progress-row"][data-unit="330106"]');
  const registered = Number((await countyRow.locator('td').nth(2).textContent())!.replace(/,/g, ''));
  expect(registered).toBeGreaterThanOrEqual(36);
  const percent = (n: number) => `${Math.round((n / registered) * 1000) / 10}%`;
  await expect(countyRow).toContainText(percent(4));
  await page.screenshot({ path: 'test-results/screens/progress-city-desktop.png', fullPage: true });

  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('progress-export').click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await file.path())!) as unknown as ArrayBuffer);
  const rows = workbook.getWorksheet('采集进度')!.getSheetValues().filter(Boolean) as unknown[][];
  const exported = rows.find((row) => row[1] === '330106')!;
  expect(exported[3]).toBe(registered);
  expect(exported[8]).toBe(4);

  await countyRow.getByRole('link', { name: '西湖区教育局' }).click();
  await expect(page.getByTestId('progress-trail')).toContainText('西湖区教育局');
  const schoolRow = page.locator(`[data-testid="progress-row"][data-unit="${school}"]`);
  const schoolTeachers = Number((await schoolRow.locator('td').nth(2).textContent())!.replace(/,/g, ''));
  await expect(schoolRow).toContainText(`${Math.round((4 / schoolTeachers) * 1000) / 10}%`);
  await schoolRow.getByRole('checkbox').check();
  await page.getByTestId('remind-open').click();
  await page.getByLabel('催办内容').fill('请于本月底前完成全部教师信息报送');
  await page.getByTestId('remind-send').click();
  await expect(page.getByText('已向 1 个单位发送催办')).toBeVisible();
  await signOut(page);

  await signIn(page, `${school}.admin`, demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/inbox');
  const reminder = page.getByTestId('inbox-reminder');
  await expect(reminder).toContainText('请于本月底前完成全部教师信息报送');
  await expect(reminder).toContainText('杭州市教育局');
  await page.screenshot({ path: 'test-results/screens/inbox-desktop.png', fullPage: true });
  await reminder.getByTestId('reminder-read').click();
  await expect(page.getByTestId('inbox-reminder')).toHaveCount(0);
  await signOut(page);
});
