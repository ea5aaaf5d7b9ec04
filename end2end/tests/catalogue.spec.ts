import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, mainHeading } from './support/site';

// These pages read the demo catalogue that the test script seeds into the e2e database.

test('from the home page to a product detail through a filter', async ({ page }) => {
  await page.goto('/');
  const products = Number(await page.getByTestId('published-products').innerText());
  expect(products).toBeGreaterThan(0);
  expect(Number(await page.getByTestId('published-scenarios').innerText())).toBeGreaterThan(150);
  await expect(page.getByTestId('scenario-target')).toHaveAttribute('data-met', 'true');

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '创新产品' }).click();
  await expect(page).toHaveURL(/\/products$/);
  await expect(mainHeading(page)).toHaveText('创新产品');
  const all = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(all).toBe(products);

  // Filter: eligible for first purchase, through the plain GET form.
  await page.getByLabel('符合首购条件').check();
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/eligible=1/);
  const eligible = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(eligible).toBeGreaterThan(0);
  expect(eligible).toBeLessThan(all);
  const cards = page.getByTestId('product-card');
  await expect(cards.first().getByTestId('eligibility')).toHaveText('符合首购条件');

  const name = await cards.first().getByRole('heading').innerText();
  await cards.first().getByRole('link', { name }).click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  await expect(mainHeading(page)).toHaveText(name);
  await expect(page.getByTestId('product-detail').getByTestId('eligibility')).toHaveText('符合首购条件');
  await expect(page.getByTestId('first-purchase-history')).toBeVisible();
});

test('an unknown filter value gets a 400 page that names it', async ({ page }) => {
  const response = await page.goto('/products?industry=steel');
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId('error-notice')).toContainText('industry');
});

test('list and detail pages have no serious accessibility problems', async ({ page }) => {
  // Eight pages and eight axe scans (in a fresh context each without JavaScript): more than
  // the default 30 s when the machine is busy. The pages' speed is the benchmarks' concern.
  test.setTimeout(120_000);
  for (const path of ['/products', '/scenarios', '/projects', '/organisations']) {
    await page.goto(path);
    await expect(mainHeading(page)).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByTestId(/-card$/).first().getByRole('heading').getByRole('link').click();
    await expect(page.getByTestId(/-detail$/)).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  // Measuring the layout runs a script in the page; the layout is the same without one.
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'measures with a script');

  test('pages fit the screen without sideways scrolling', async ({ page }) => {
    for (const path of ['/', '/products', '/scenarios']) {
      await page.goto(path);
      await expect(mainHeading(page)).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });
});
