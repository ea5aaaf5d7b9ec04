import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, mainHeading } from './support/site';
import { DEMO_PASSWORD, signIn } from './support/accounts';

// An agency admin runs a call as a person does, with JavaScript (errors shown in place)
// and without (every form posts and the page comes back): the form refuses what is wrong
// naming each field, then the draft gets its reviewers and is announced.
const AGENCY_ADMIN = 'agency-admin@demo.example';

test('an agency admin drafts a product batch, assigns reviewers and announces it', async ({ page }, info) => {
  test.setTimeout(120_000);
  await signIn(page, AGENCY_ADMIN, DEMO_PASSWORD);
  const year = new Date().getFullYear() + 1;
  const code = `E2E-${info.project.name.toUpperCase()}-${Date.now() % 1_000_000}`;

  await page.goto('/calls');
  await expect(mainHeading(page)).toHaveText('征集与批次');
  await page.getByRole('link', { name: '发起征集' }).click();
  await expect(mainHeading(page)).toHaveText('发起征集');
  await expectNoSeriousA11yViolations(page);

  const form = page.getByRole('form', { name: '发起征集' });
  await form.getByLabel('类型').selectOption('product_batch');
  await form.getByLabel('编号').fill(code);
  await form.getByLabel('标题').fill(`${year}年度创新产品推荐目录（端到端测试）`);
  await form.getByLabel('企业').check();
  await form.getByLabel('开始日期').fill(`${year}-04-30`);
  await form.getByLabel('截止日期').fill(`${year}-03-01`);
  await form.getByLabel('有效期开始').fill(`${year}-07-01`);
  await form.getByLabel('有效期结束').fill(`${year + 2}-06-30`);
  await form.getByLabel('评审标准 1').fill('技术先进性');
  await form.getByLabel('权重 1').fill('60');
  await form.getByLabel('评审标准 2').fill('市场前景');
  await form.getByLabel('权重 2').fill('30');
  await form.getByRole('button', { name: '保存' }).click();

  // Refused, each problem named by its field, what was typed kept.
  const summary = page.getByRole('alert').filter({ hasText: '截止日期' });
  await expect(summary).toContainText('结束日期不能早于开始日期');
  await expect(page.getByRole('alert').filter({ hasText: '评审标准' })).toContainText('现为 90');
  await expect(page.getByLabel('编号')).toHaveValue(code);

  await page.getByLabel('开始日期').fill(`${year}-03-01`);
  await page.getByLabel('截止日期').fill(`${year}-04-30`);
  await page.getByLabel('权重 2').fill('40');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveURL(/\/calls\/\d+\?notice=call_created$/);
  await expect(page.getByTestId('notice')).toHaveText('征集草稿已创建。');
  await expect(page.getByTestId('draft-banner')).toBeVisible();
  await expect(page.getByTestId('criteria')).toContainText('技术先进性');

  // Announcing needs its reviewers first.
  await page.getByRole('button', { name: '发布征集' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '评审人' })).toContainText('至少 2 位评审人');

  const reviewers = page.getByRole('form', { name: '添加评审人' });
  await reviewers.getByLabel('评审人邮箱').fill('platform-reviewer@demo.example');
  await reviewers.getByLabel('设为评审组长').check();
  await reviewers.getByRole('button', { name: '添加评审人' }).click();
  await expect(page.getByTestId('notice')).toHaveText('评审人已更新。');
  await page.getByRole('form', { name: '添加评审人' }).getByLabel('评审人邮箱').fill('firm-member@demo.example');
  await page.getByRole('form', { name: '添加评审人' }).getByRole('button', { name: '添加评审人' }).click();
  await expect(page.getByTestId('reviewer')).toHaveCount(2);
  await expect(page.getByTestId('reviewer').first()).toContainText('评审组长');
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: '发布征集' }).click();
  await expect(page.getByTestId('notice')).toHaveText('征集已发布。');
  await expect(page.getByTestId('call-status')).toHaveText('即将开始');
  await expect(page.getByTestId('draft-banner')).toHaveCount(0);

  // Public now: listed for everyone.
  await page.goto('/calls?status=scheduled');
  await expect(page.getByTestId('call-list')).toContainText(code);
  await expectNoSeriousA11yViolations(page);
});

test('anyone reads the calls, and a draft stays out of sight', async ({ page }) => {
  await page.goto('/calls');
  await expect(page.getByTestId('call-list').getByTestId('call-card').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '发起征集' })).toHaveCount(0);
  await page.goto('/calls?kind=scenario_call&status=open');
  const open = page.getByTestId('call-card');
  await expect(open.first()).toContainText('征集中');
  await open.first().getByRole('link').click();
  await expect(page.getByTestId('call-detail')).toBeVisible();
  await expect(page.getByTestId('call-reviewers')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
