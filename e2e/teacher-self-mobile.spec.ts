import { expect, test } from '@playwright/test';
import { idCheckCharacter } from '../lib/reference/id-number';
import { demoPassword, signIn, signOut } from './helpers';

function freshIdNumber(): { idNumber: string; birthDate: string } {
  const n = Date.now() % 100000;
  const birthDate = `198${n % 10}-0${1 + (n % 9)}-1${n % 10}`;
  // Even sequence digit: a woman.
  const first17 = `330106${birthDate.replaceAll('-', '')}${String((n % 450) * 2 + 100).padStart(3, '0')}`;
  return { idNumber: first17 + idCheckCharacter(first17), birthDate };
}

test('a school sysadmin registers a teacher on a phone; the teacher changes the password and fills what the province allows', async ({ page }) => {
  const { idNumber, birthDate } = freshIdNumber();
  await signIn(page, '2133060001.admin', demoPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/teachers/new');
  await page.getByLabel('身份证件号码 *').fill(idNumber.toLowerCase());
  await page.getByLabel('姓名 *').fill('端到端教师');
  // Birth date and gender follow the ID number.
  await expect(page.getByLabel('出生日期 *')).toHaveValue(birthDate);
  await expect(page.getByRole('combobox', { name: '性别 *' })).toHaveText(/女/);
  await page.screenshot({ path: 'test-results/screens/teacher-new-375.png', fullPage: true });
  await page.getByRole('button', { name: '登记并生成账号' }).click();
  await expect(page.getByTestId('issued-username')).toHaveText(idNumber);
  const password = (await page.getByTestId('issued-password').textContent())!.trim();
  await page.getByRole('button', { name: '我已记录，关闭' }).click();
  await expect(page).toHaveURL(/\/teachers\/\d+$/);
  await expect(page.getByTestId('teacher-name')).toHaveText('端到端教师');

  // A second registration of the same person is refused: at its own school the school learns where it is.
  await page.goto('/teachers/new');
  await page.getByLabel('身份证件号码 *').fill(idNumber);
  await page.getByLabel('姓名 *').fill('重复登记');
  await page.getByRole('button', { name: '登记并生成账号' }).click();
  await expect(page.getByTestId('form-error')).toContainText('已在“杭州市西湖区示范小学”登记');
  await signOut(page);

  // The teacher: forced password change, then the record on the phone.
  await signIn(page, idNumber, password);
  await expect(page).toHaveURL(/\/change-password$/);
  await page.getByLabel('当前密码').fill(password);
  await page.getByLabel('新密码', { exact: true }).fill('Teacher#2026a');
  await page.getByLabel('确认新密码').fill('Teacher#2026a');
  await page.getByRole('button', { name: '修改密码' }).click();
  // Signed in with the new password at once: no second sign-in.
  await expect(page).toHaveURL(/\/me$/);
  const basic = page.getByTestId('subset-basic');
  await expect(basic).toContainText('可本人填报');

  // An allowed field: health status, through the searchable select.
  await basic.getByRole('combobox', { name: '健康状况' }).click();
  await page.getByRole('option', { name: /健康或良好/ }).click();
  await basic.getByRole('button', { name: '保存基本信息' }).click();
  await expect(basic.getByTestId('form-success')).toHaveText('已保存');

  // School-only data is visible but not editable: staff number, and the whole 年度考核 subset.
  const staffNumber = basic.locator('[data-field="staffNumber"]');
  await expect(staffNumber).toContainText('由学校填报');
  await expect(staffNumber.locator('input')).toHaveCount(0);
  const assessment = page.getByTestId('subset-assessment');
  await expect(assessment).toContainText('由学校或教育行政部门填报');
  await expect(assessment.getByRole('button', { name: /新增/ })).toHaveCount(0);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screens/teacher-record-375.png', fullPage: true });

  // A reload shows the saved value.
  await page.reload();
  await expect(page.getByTestId('subset-basic').getByRole('combobox', { name: '健康状况' })).toHaveText(/健康或良好/);
  await signOut(page);
});
