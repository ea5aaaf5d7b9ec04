import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, mainHeading, zh } from './support/site';

// A fresh path each run, so no cache or earlier run can make it exist.
const missingPath = () => `/no-such-page-${Date.now()}`;

test('an unknown path answers 404 with a way back home', async ({ page }) => {
  const response = await page.goto(missingPath());
  expect(response?.status()).toBe(404);

  const notFound = page.getByTestId('not-found');
  await expect(notFound.getByRole('heading', { name: '页面不存在' })).toBeVisible();

  const home = notFound.getByRole('link', { name: '返回首页', exact: true });
  await expect(home).toHaveAttribute('href', '/');
  await home.click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(mainHeading(page)).toHaveText(zh.title);
});

test('the 404 page has no serious accessibility problems', async ({ page }) => {
  await page.goto(missingPath());
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
