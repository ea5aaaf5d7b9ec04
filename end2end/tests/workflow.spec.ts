import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/site';
import { DEMO_PASSWORD, signIn } from './support/accounts';

// The whole workflow, each actor in a browser context of their own: the agency admin opens
// a batch and assigns reviewers; a firm submits a product with a PDF; the lead reviewer
// returns it; the firm fixes and resubmits it; both reviewers review and the lead approves;
// a buyer objects and the lead dismisses the objection; the server's clock moves past the
// notice; the product is published, found by search with its batch, and eligible for first
// purchase. The firm's steps run once with JavaScript and once without. This file moves
// the server's clock, so it runs after the other browser tests (playwright.config.ts) and
// puts the clock back when done.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function actor(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

test.afterEach(async ({ request }) => {
  const reset = await request.post('/_test/clock?offset=0s');
  expect(reset.status()).toBe(200);
});

for (const firmScript of [true, false]) {
  test(`a product goes from a firm's draft to publication (firm ${firmScript ? 'with' : 'without'} JavaScript)`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(240_000);
    const today = (await (await request.get('/_test/clock')).json()).today as string;
    const code = `WF-${firmScript ? 'JS' : 'NOJS'}-${Date.now() % 1_000_000}`;
    const product = `巡检机器人${code}`;

    // The agency admin opens a batch today, with two reviewers.
    const admin = await actor(browser, 'agency-admin@demo.example');
    await admin.goto('/calls/new');
    const form = admin.getByRole('form', { name: '发起征集' });
    await form.getByLabel('类型', { exact: true }).selectOption('product_batch');
    await form.getByLabel('编号', { exact: true }).fill(code);
    await form.getByLabel('标题', { exact: true }).fill(`创新产品推荐目录（${code}）`);
    await form.getByLabel('企业', { exact: true }).check();
    await form.getByLabel('开始日期', { exact: true }).fill(today);
    await form.getByLabel('截止日期', { exact: true }).fill(addDays(today, 30));
    await form.getByLabel('公示天数', { exact: true }).fill('1');
    await form.getByLabel('有效期开始', { exact: true }).fill(today);
    await form.getByLabel('有效期结束', { exact: true }).fill(addDays(today, 730));
    await form.getByLabel('评审标准 1', { exact: true }).fill('技术先进性');
    await form.getByLabel('权重 1', { exact: true }).fill('100');
    await form.getByRole('button', { name: '保存' }).click();
    await expect(admin).toHaveURL(/\/calls\/\d+\?notice=call_created$/);
    for (const [email, lead] of [
      ['platform-reviewer@demo.example', true],
      ['investor@demo.example', false],
    ] as const) {
      const add = admin.getByRole('form', { name: '添加评审人' });
      await add.getByLabel('评审人邮箱').fill(email);
      if (lead) await add.getByLabel('设为评审组长').check();
      await add.getByRole('button', { name: '添加评审人' }).click();
      await expect(admin.getByTestId('notice')).toHaveText('评审人已更新。');
    }
    await admin.getByRole('button', { name: '发布征集' }).click();
    await expect(admin.getByTestId('call-status')).toHaveText('征集中');

    // The firm drafts the product, attaches a PDF and submits it into the batch.
    const firm = await actor(browser, 'firm-member@demo.example', firmScript);
    await firm.goto('/account/submissions');
    await expectNoSeriousA11yViolations(firm, firmScript);
    await firm.getByLabel('类型').selectOption('product');
    await firm.getByRole('button', { name: '开始填写' }).click();
    await expect(firm).toHaveURL(/\/drafts\/\d+$/);
    const draftUrl = firm.url();
    await firm.getByLabel('产品名称').fill(product);
    await firm.getByLabel('政府采购品目编码').fill('A02100000');
    await firm.getByLabel('品目名称').fill('专用设备');
    await firm.getByLabel('产业领域').selectOption('intelligent_manufacturing');
    await firm.getByLabel('产品介绍').fill('用于变电站的自主巡检机器人，识别设备缺陷。');
    await firm.getByLabel('技术参数').fill('续航 8 小时');
    await firm.getByLabel('最低价格（元）').fill('12.5万');
    await firm.getByLabel('申报批次').selectOption({ label: `创新产品推荐目录（${code}）` });
    await firm.getByRole('button', { name: '保存草稿' }).click();
    await expect(firm.getByTestId('notice')).toHaveText('草稿已保存。');
    await firm.getByLabel('文件', { exact: true }).setInputFiles({ name: '检测报告.pdf', mimeType: 'application/pdf', buffer: PDF });
    await firm.getByRole('button', { name: '上传附件' }).click();
    await expect(firm.getByTestId('notice')).toHaveText('附件已上传。');
    await expect(firm.getByTestId('attachments')).toContainText('检测报告.pdf');
    await expectNoSeriousA11yViolations(firm, firmScript);
    await firm.getByRole('button', { name: '提交评审' }).click();
    await expect(firm).toHaveURL(/\/account\/submissions\?notice=submitted$/);
    const row = firm.getByTestId('submission-row').filter({ hasText: product });
    await expect(row.getByTestId('submission-state')).toHaveText('已提交，待评审');

    // The lead reviewer scores it and returns it with what to fix.
    const lead = await actor(browser, 'platform-reviewer@demo.example');
    await lead.goto('/review');
    await lead.getByTestId('to-review').getByRole('link', { name: product }).click();
    const reviewUrl = lead.url();
    await expect(lead.getByTestId('attachments')).toContainText('检测报告.pdf');
    await lead.getByLabel(/技术先进性/).fill('70');
    await lead.getByLabel('评审意见').fill('技术可行，检测报告不全。');
    await lead.getByRole('button', { name: '保存评审' }).click();
    await expect(lead.getByTestId('notice')).toHaveText('评审已保存。');
    const investor = await actor(browser, 'investor@demo.example');
    await investor.goto(reviewUrl);
    await investor.getByLabel(/技术先进性/).fill('75');
    await investor.getByLabel('评审意见').fill('市场需求明确。');
    await investor.getByRole('button', { name: '保存评审' }).click();
    await lead.goto(reviewUrl);
    await expectNoSeriousA11yViolations(lead);
    await lead.getByLabel('退回修改', { exact: true }).check();
    await lead.getByLabel('理由或修改要求').fill('请补充第三方检测报告的结论页。');
    await lead.getByRole('button', { name: '作出决定' }).click();
    await expect(lead.getByTestId('notice')).toHaveText('已作出决定。');
    await expect(lead.getByTestId('submission-state')).toHaveText('退回修改');

    // The firm reads why, fixes the draft and submits it again into the same batch.
    await firm.goto('/account/submissions');
    await expect(row.getByTestId('submission-state')).toHaveText('退回修改');
    await firm.getByTestId('drafts').getByRole('link', { name: product }).click();
    await expect(firm.getByTestId('returned-reason')).toContainText('请补充第三方检测报告的结论页。');
    await firm.getByLabel('技术参数').fill('续航 8 小时；检测报告结论：合格');
    await firm.getByRole('button', { name: '提交评审' }).click();
    await expect(firm).toHaveURL(/\/account\/submissions\?notice=submitted$/);

    // Both review the new round; the lead approves: public notice.
    for (const reviewer of [lead, investor]) {
      await reviewer.goto(reviewUrl);
      await reviewer.getByLabel(/技术先进性/).fill('85');
      await reviewer.getByLabel('评审意见').fill('检测报告已补齐，建议列入。');
      await reviewer.getByRole('button', { name: '保存评审' }).click();
      await expect(reviewer.getByTestId('notice')).toHaveText('评审已保存。');
    }
    await lead.goto(reviewUrl);
    await lead.getByLabel('通过', { exact: true }).check();
    await lead.getByRole('button', { name: '作出决定' }).click();
    await expect(lead.getByTestId('submission-state')).toHaveText('公示中');

    // A buyer objects, signed; the lead sees who and dismisses it.
    const buyer = await actor(browser, 'buyer@demo.example');
    await buyer.goto('/notices');
    await expectNoSeriousA11yViolations(buyer);
    await buyer.getByTestId('notice-list').getByRole('link', { name: product }).click();
    await expect(buyer.getByTestId('notice-banner')).toBeVisible();
    await buyer.getByLabel('异议理由').fill('请核实该产品的检测报告是否在有效期内。');
    await buyer.getByRole('button', { name: '提交异议' }).click();
    await expect(buyer.getByTestId('notice')).toContainText('异议已提交');
    await lead.goto(reviewUrl);
    const objection = lead.getByTestId('objections').locator('li').first();
    await expect(objection).toContainText('李购');
    await objection.getByRole('textbox', { name: '处理意见' }).fill('检测报告在有效期内。');
    await objection.getByRole('button', { name: '驳回异议' }).click();
    await expect(lead.getByTestId('notice')).toHaveText('已处理异议。');

    // The notice ends (one working day, at most a long weekend or holiday away): the
    // scheduler publishes the product in its batch.
    const moved = await request.post('/_test/clock?offset=%2B12d');
    expect(moved.status()).toBe(200);
    const reader = await (await browser.newContext()).newPage();
    // Search follows within the indexer's lag.
    await expect
      .poll(async () => {
        await reader.goto(`/search?q=${encodeURIComponent(product)}`);
        return reader.getByRole('link', { name: product }).count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await reader.getByRole('link', { name: product }).first().click();
    const detail = reader.getByTestId('product-detail');
    await expect(detail).toContainText(`创新产品推荐目录（${code}）`);
    await expect(detail.getByTestId('eligibility')).toHaveText('符合首购条件');
    await reader.goto(draftUrl);
    await expect(reader.locator('h1')).toHaveText('登录');
  });
}
