import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/site';
import { DEMO_PASSWORD, signIn } from './support/accounts';

// A buyer records a first purchase of an eligible product from its page, with or without
// JavaScript as the project says; a signing date still to come is refused with why.

test('a buyer records an awarded first purchase from the product page', async ({ page, request }) => {
  test.setTimeout(60_000);
  const today = (await (await request.get('/_test/clock')).json()).today as string;
  const contract = `CZ-E2E-${Date.now() % 1_000_000}`;
  await signIn(page, 'buyer@demo.example', DEMO_PASSWORD);
  await page.goto('/products?eligible=true');
  await page.locator('.card-title a').first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  const productUrl = page.url();
  await page.getByTestId('record-first-purchase-link').getByRole('link').click();
  await expect(page).toHaveURL(/\/first-purchases\/new$/);
  await expectNoSeriousA11yViolations(page);

  const form = page.getByTestId('record-first-purchase');
  await form.getByLabel('采购方式').selectOption('first_purchase');
  await form.getByLabel('合同编号').fill(contract);
  await form.getByLabel('合同签订日期').fill('2999-01-01');
  await form.getByLabel('合同金额（元）').fill('86.5万');
  await form.getByLabel('结果').selectOption('awarded');
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page.getByText('签订日期不能晚于今天。').first()).toBeVisible();

  await form.getByLabel('合同签订日期').fill(today);
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page).toHaveURL(/\/first-purchases\/\d+\?notice=first_purchase_recorded$/);
  await expect(page.getByTestId('notice')).toHaveText('首购记录已登记。');
  await expect(page.getByTestId('first-purchase-record')).toContainText(contract);
  await page.goto(productUrl);
  await expect(page.getByTestId('first-purchase-history')).toContainText(contract);
  await expect(page.getByTestId('bought-by')).toContainText(today);
});
