import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/site';
import { DEMO_PASSWORD, signIn } from './support/accounts';

// What follows a recorded first purchase, with and without JavaScript: the record's page,
// the product page, its card in search and the supplier's page show it; /first-purchases
// lists and exports it; the supplier prints its proof of listing and anyone verifies it.

test('a recorded purchase shows everywhere and is listed and exported', async ({ page }) => {
  test.setTimeout(90_000);
  const today = (await (await page.request.get('/_test/clock')).json()).today as string;
  const contract = `CZ-REC-${Date.now() % 1_000_000}`;
  await signIn(page, 'buyer@demo.example', DEMO_PASSWORD);
  await page.goto('/products?eligible=true');
  await page.locator('.card-title a').first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  const productUrl = page.url();
  const productName = (await page.locator('h1').first().textContent())!.trim();
  const supplierHref = (await page.locator('.record-owner a').first().getAttribute('href'))!;
  const supplierId = supplierHref.split('/').pop()!;

  await page.getByTestId('record-first-purchase-link').getByRole('link').click();
  const form = page.getByTestId('record-first-purchase');
  await form.getByLabel('采购方式').selectOption('first_purchase');
  await form.getByLabel('合同编号').fill(contract);
  await form.getByLabel('合同签订日期').fill(today);
  await form.getByLabel('合同金额（元）').fill('12.5万');
  await form.getByLabel('结果').selectOption('awarded');
  await form.getByRole('button', { name: '登记' }).click();
  // Straight to the new record's page.
  await expect(page).toHaveURL(/\/first-purchases\/\d+\?notice=first_purchase_recorded$/);
  const recordUrl = page.url().split('?')[0];
  await page.goto(productUrl);
  await expect(page.getByTestId('traction')).toContainText('首购成交');

  // The record's own page, also from the product's history.
  const row = page.getByTestId('first-purchase-history').locator('tr', { hasText: contract });
  await row.getByRole('link', { name: today }).click();
  await expect(page).toHaveURL(recordUrl);
  const record = page.getByTestId('first-purchase-record');
  await expect(record).toContainText(contract);
  await expect(record).toContainText(productName);
  await expect(page.getByTestId('buyer-actions')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The supplier's page shows its traction and leads to its first purchases.
  await page.goto(supplierHref);
  const organisationTraction = page.locator('[data-testid="organisation-detail"] > [data-testid="traction"]');
  await expect(organisationTraction).toContainText('首购成交');
  await page.getByTestId('supplier-first-purchases').click();
  await expect(page).toHaveURL(new RegExp(`/first-purchases\\?supplier=${supplierId}$`));
  await expect(page.getByTestId('first-purchase-list')).toContainText(productName);
  await expect(page.getByTestId('first-purchase-totals')).toContainText('成交金额合计');
  await expectNoSeriousA11yViolations(page);
  const exportHref = (await page.getByTestId('export-csv').getAttribute('href'))!;
  expect(exportHref).toBe(`/first-purchases/export.csv?supplier=${supplierId}`);
  const csv = await page.request.get(exportHref);
  expect(csv.ok()).toBeTruthy();
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text).toContain(`supplier=${supplierId}`);
  expect(text).toContain(contract);
  const xlsx = await page.request.get((await page.getByTestId('export-xlsx').getAttribute('href'))!);
  expect(xlsx.ok()).toBeTruthy();
  expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(xlsx.headers()['content-disposition']).toMatch(/filename="first-purchases-\d{4}-\d{2}-\d{2}\.xlsx"/);

  // Its card in search says it has been first-purchased (search follows within its lag).
  await expect(async () => {
    await page.goto(`/search?q=${encodeURIComponent(productName)}&first_purchased=1`);
    await expect(page.getByTestId('search-hit').filter({ hasText: productName }).first()).toContainText('已首购');
  }).toPass({ timeout: 30_000 });
});

test('the supplier prints its proof of listing and anyone verifies it', async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signIn(page, 'firm-admin@demo.example', DEMO_PASSWORD);
  const members = await page.locator('a[href^="/organisations/"][href$="/members"]').first().getAttribute('href');
  const organisation = members!.split('/')[2];
  await page.goto(`/products?organisation=${organisation}&eligible=true`);
  await page.locator('.card-title a').first().click();
  await page.getByTestId('certificate-link').getByRole('link').click();
  await expect(page).toHaveURL(/\/products\/\d+\/certificate$/);
  const certificate = page.getByTestId('certificate');
  await expect(certificate).toContainText('创新产品入库证明');
  await expect(certificate).toContainText('统一社会信用代码');
  await expect(certificate.locator('.qr svg')).toBeVisible();
  const code = (await page.getByTestId('verification-code').textContent())!.trim();
  expect(code).toMatch(/^([A-Z2-7]{4}-){3}[A-Z2-7]{4}$/);
  await expectNoSeriousA11yViolations(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // Anyone, signed in or not, checks the code.
  const { baseURL, javaScriptEnabled } = test.info().project.use;
  const stranger = await browser.newContext({ baseURL, javaScriptEnabled });
  const visitor = await stranger.newPage();
  await visitor.goto(`/verify/${code}`);
  await expect(visitor.getByTestId('verification')).toHaveAttribute('data-state', 'valid');
  await expect(visitor.getByTestId('listing-state')).toContainText('有效');
  await expectNoSeriousA11yViolations(visitor);
  const missing = await visitor.goto('/verify/AAAAAAAAAAAAAAAA');
  expect(missing!.status()).toBe(404);
  await stranger.close();
});
