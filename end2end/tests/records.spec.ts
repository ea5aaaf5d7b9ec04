import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/site';
import { DEMO_PASSWORD, signIn } from './support/accounts';

// Scenarios and projects through the workflow, each actor in a browser context of their
// own, with or without JavaScript as the project says: an agency publishes a scenario
// without a call, a platform reviewer approves it and it is published at once (no notice);
// the agency changes it from its page and the change is reviewed while the published text
// stays; a firm's project is decided by one platform reviewer.

async function actor(browser: Browser, email: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

async function startDraft(page: Page, kind: string): Promise<void> {
  await page.goto('/account/submissions');
  await page.getByLabel('类型').selectOption(kind);
  await page.getByRole('button', { name: '开始填写' }).click();
  await expect(page).toHaveURL(/\/drafts\/\d+$/);
}

async function approve(reviewer: Page, name: string): Promise<void> {
  await reviewer.goto('/review');
  await reviewer.getByTestId('to-review').getByRole('link', { name }).click();
  await reviewer.getByLabel(/总体评价/).fill('85');
  await reviewer.getByLabel('评审意见').fill('内容完整，同意发布。');
  await reviewer.getByRole('button', { name: '保存评审' }).click();
  await expect(reviewer.getByTestId('notice')).toHaveText('评审已保存。');
  await reviewer.getByLabel('通过', { exact: true }).check();
  await reviewer.getByRole('button', { name: '作出决定' }).click();
  await expect(reviewer.getByTestId('submission-state')).toHaveText('已发布');
}

test('an agency publishes a scenario without a call and changes it by a reviewed revision', async ({
  browser,
  javaScriptEnabled,
}) => {
  test.setTimeout(120_000);
  const title = `路灯智能运维场景${Date.now() % 1_000_000}`;
  const agency = await actor(browser, 'buyer@demo.example', javaScriptEnabled ?? true);
  await startDraft(agency, 'scenario');
  await expectNoSeriousA11yViolations(agency);
  await agency.getByLabel('场景名称').fill(title);
  await agency.getByLabel('领域', { exact: true }).selectOption('urban_governance');
  await agency.getByLabel('需求描述').fill('城区路灯的故障自动发现与按需调光。');
  await agency.getByLabel('预期成效').fill('故障发现时间缩短到一小时内。');
  await agency.getByLabel('所在地区').selectOption('320411');
  await agency.getByLabel('办公电话').fill('0519-85681234');
  await expect(agency.getByLabel('场景征集')).toHaveValue('');
  await agency.getByRole('button', { name: '提交评审' }).click();
  await expect(agency).toHaveURL(/\/account\/submissions\?notice=submitted$/);

  const reviewer = await actor(browser, 'platform-reviewer@demo.example', true);
  await approve(reviewer, title);

  // Published at once: no notice for an agency's direct scenario.
  const reader = await (await browser.newContext({ javaScriptEnabled: javaScriptEnabled ?? true })).newPage();
  await agency.goto('/account/submissions');
  await agency
    .getByTestId('submission-row')
    .filter({ hasText: title })
    .getByRole('link', { name: '查看已发布页面' })
    .click();
  const page = agency.url();
  expect(page).toMatch(/\/scenarios\/\d+$/);
  await reader.goto(page);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(reader.getByTestId('revise-record')).toHaveCount(0);

  // The agency changes it from its page; the published text stays until it is approved.
  await agency.getByRole('button', { name: '修改已发布的内容' }).click();
  await expect(agency).toHaveURL(/\/drafts\/\d+$/);
  await expect(agency.getByTestId('revision-note')).toBeVisible();
  await expect(agency.getByLabel('场景名称')).toHaveValue(title);
  await agency.getByLabel('场景名称').fill(`${title}（二期）`);
  await agency.getByRole('button', { name: '提交评审' }).click();
  await expect(agency).toHaveURL(/\/account\/submissions\?notice=submitted$/);
  await reader.goto(page);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(title);
  await approve(reviewer, `${title}（二期）`);
  await reader.goto(page);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`${title}（二期）`);
});

test("a firm's project is decided by one platform reviewer", async ({ browser, javaScriptEnabled }) => {
  test.setTimeout(120_000);
  const name = `钠离子电池中试项目${Date.now() % 1_000_000}`;
  const firm = await actor(browser, 'firm-member@demo.example', javaScriptEnabled ?? true);
  await startDraft(firm, 'project');
  await expect(firm.getByTestId('project-review')).toBeVisible();
  await firm.getByLabel('项目名称').fill(name);
  await firm.getByLabel('领域', { exact: true }).selectOption('energy');
  await firm.getByLabel('阶段', { exact: true }).selectOption('angel');
  await firm.getByLabel('拟融资金额（元）').fill('800万');
  await firm.getByLabel('融资方式', { exact: true }).selectOption('equity');
  await firm.getByLabel('项目亮点').fill('低温性能优于同类产品。');
  await firm.getByLabel('团队', { exact: true }).fill('核心团队五人，均有电池量产经验。');
  await expectNoSeriousA11yViolations(firm);
  await firm.getByRole('button', { name: '提交评审' }).click();
  await expect(firm).toHaveURL(/\/account\/submissions\?notice=submitted$/);

  const reviewer = await actor(browser, 'platform-reviewer@demo.example', true);
  await approve(reviewer, name);
  await firm.goto('/account/submissions');
  await firm
    .getByTestId('submission-row')
    .filter({ hasText: name })
    .getByRole('link', { name: '查看已发布页面' })
    .click();
  await expect(firm).toHaveURL(/\/projects\/\d+$/);
  await expect(firm.getByRole('heading', { level: 1 })).toHaveText(name);
});
