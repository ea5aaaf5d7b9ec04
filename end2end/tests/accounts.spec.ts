import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations, mainHeading } from './support/site';
import { DEMO_PASSWORD, PASSWORD, PLATFORM_ADMIN, signIn } from './support/accounts';

// Accounts as a person uses them, with JavaScript (errors without a reload) and without
// (every form posts and the server renders the page again). The demo accounts come from
// `catalogue seed --demo-accounts` (app/src/accounts/demo.rs).
async function signOut(page: Page) {
  await page.getByTestId('account-menu').locator('summary').click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=signed_out$/);
}

test('a new account is confirmed through the mail the platform admin reads in the demo mailbox', async ({ page }, info) => {
  test.setTimeout(120_000);
  const email = `e2e-${info.project.name}-${Date.now()}@example.cn`;

  await page.goto('/sign-up');
  await expect(mainHeading(page)).toHaveText('注册');
  await expectNoSeriousA11yViolations(page);
  // A refused form names each field, and keeps what was typed.
  await page.getByLabel('电子邮箱').fill('not-an-address');
  await page.getByLabel('密码').fill('short');
  await page.getByLabel('显示名称').fill('新用户');
  await page.getByLabel('真实姓名').fill('张三');
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.locator('[data-error-for="email"]')).toContainText('请输入有效的电子邮箱地址');
  await expect(page.locator('[data-error-for="password"]')).toContainText('至少需要 10 个字符');
  await expect(page.locator('[data-error-for="consent"]')).toContainText('同意隐私政策');
  await expect(page.getByLabel('显示名称')).toHaveValue('新用户');
  await expect(page.locator('#field-email')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=check_mail$/);
  await expect(page.getByTestId('notice')).toContainText('请查收邮件');
  await expectNoSeriousA11yViolations(page);

  // The platform admin reads the confirmation mail in the demo mailbox.
  await signIn(page, PLATFORM_ADMIN, DEMO_PASSWORD);
  await page.goto('/admin/mailbox');
  await expect(mainHeading(page)).toHaveText('演示邮箱');
  await expectNoSeriousA11yViolations(page);
  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('link', { name: '请确认您的电子邮箱' }).click();
  const body = await page.getByTestId('mail-body').innerText();
  await expectNoSeriousA11yViolations(page);
  const link = body.match(/https?:\/\/\S+\/confirm\/\S+/)?.[0];
  expect(link, body).toBeTruthy();
  await signOut(page);

  // The new account confirms its address and signs in.
  await page.goto(new URL(link!).pathname);
  await expect(mainHeading(page)).toHaveText('确认电子邮箱');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: '确认邮箱' }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=confirmed$/);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('email-status')).toHaveText('已确认');
  await expect(page.getByTestId('account-menu')).toContainText('新用户');
  await expectNoSeriousA11yViolations(page);

  await page.goto('/account/sessions');
  await expect(page.getByTestId('sessions')).toContainText('当前设备');
  await expectNoSeriousA11yViolations(page);
  await page.goto('/account/second-factor');
  await expect(page.getByTestId('second-factor-key')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await signOut(page);
  await page.goto('/account');
  await expect(page.getByTestId('error-notice')).toContainText('请先登录');
});

test('a wrong password is refused in place and the privacy policy names its version', async ({ page }) => {
  await page.goto('/sign-in');
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('电子邮箱').fill(PLATFORM_ADMIN);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('[data-error-for="password"]')).toContainText('邮箱或密码不正确');
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.goto('/privacy');
  await expect(page.getByTestId('privacy-version')).toContainText('2026-11-30');
  await expectNoSeriousA11yViolations(page);
  await page.goto('/reset');
  await expectNoSeriousA11yViolations(page);
  await page.goto('/sign-in/second-factor');
  await expect(mainHeading(page)).toHaveText('输入验证码');
  await expectNoSeriousA11yViolations(page);
  await page.goto('/reset/not-a-real-token');
  await expect(page.getByTestId('link-invalid')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

/** A unified social credit code with both check characters right (GB 32100-2015). */
function creditCode(body: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  const orgValue = (c: string) => (/[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const org = body.slice(8, 16);
  const orgSum = [...org].reduce((sum, c, i) => sum + orgValue(c) * orgWeights[i], 0);
  const orgCheck = 11 - (orgSum % 11);
  const orgChar = orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
  const first17 = body.slice(0, 16) + orgChar;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i], 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

test('a firm registers, the platform admin verifies it, it is listed and searchable, and a colleague joins', async ({ page }, info) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString().slice(-6);
  const digits = (info.project.name === 'hydrated' ? '1' : '2') + stamp.slice(-5);
  const code = creditCode(`91320411MA${digits}00`);
  const name = `常州测试${info.project.name === 'hydrated' ? '甲' : '乙'}${stamp}科技有限公司`;

  // The firm admin of the demo registers a new organisation.
  await signIn(page, 'firm-admin@demo.example', DEMO_PASSWORD);
  await page.goto('/organisations/new');
  await expect(mainHeading(page)).toHaveText('登记单位');
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('单位类型').selectOption('enterprise');
  await page.getByLabel('单位名称').fill(name);
  await page.getByLabel('统一社会信用代码').fill(code);
  await page.getByLabel('所在地').selectOption('320411');
  await page.getByRole('button', { name: '登记' }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\/members\?notice=organisation_created$/);
  const members = page.url().replace(/\?.*$/, '');
  await expect(page.getByTestId('members')).toContainText('企业管理员');
  await expectNoSeriousA11yViolations(page);
  await signOut(page);

  // The platform admin verifies it.
  await signIn(page, PLATFORM_ADMIN, DEMO_PASSWORD);
  await page.goto('/admin/organisations');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('form', { name: `认证 ${name}` }).getByRole('button', { name: '认证' }).click();
  await expect(page).toHaveURL(/notice=verified$/);
  await page.goto('/admin/users?email=demo.example');
  await expect(page.getByTestId('accounts')).toContainText('firm-member@demo.example');
  await expectNoSeriousA11yViolations(page);
  await page.goto('/admin/audit?action=verify');
  await expect(page.getByTestId('audit-log')).toContainText('verify');
  await expectNoSeriousA11yViolations(page);
  await signOut(page);

  // It is public now: its page, and search.
  await page.goto(members.replace(/\/members$/, ''));
  await expect(mainHeading(page)).toHaveText(name);
  await expect(async () => {
    await page.goto(`/search?q=${encodeURIComponent(name)}`);
    await expect(page.getByRole('link', { name })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // A colleague asks to join; the firm admin accepts.
  await signIn(page, 'firm-member@demo.example', DEMO_PASSWORD);
  await page.goto('/organisations/join');
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('统一社会信用代码').fill(code);
  await page.getByLabel('说明').fill('研发部');
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page).toHaveURL(/\/account\?notice=join_requested$/);
  await signOut(page);
  await signIn(page, 'firm-admin@demo.example', DEMO_PASSWORD);
  await page.goto(members);
  await expect(page.getByTestId('join-requests')).toContainText('研发部');
  await page.getByTestId('join-requests').getByRole('button', { name: '同意' }).click();
  await expect(page).toHaveURL(/notice=request_decided$/);
  await expect(page.getByTestId('members')).toContainText('企业成员');
  await signOut(page);
});
