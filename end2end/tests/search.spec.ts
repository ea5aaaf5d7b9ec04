import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, mainHeading } from './support/site';

// The demo catalogue is seeded and indexed by the server's indexer before the tests run.

test('a Chinese query finds highlighted results, and a facet narrows them', async ({ page }) => {
  await page.goto('/search');
  await expect(mainHeading(page)).toHaveText('搜索');
  await page.getByLabel('关键词').fill('机器人');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  await expect(hits.first().locator('mark').first()).toContainText(/机器/);
  const all = Number(await page.getByTestId('result-count').getAttribute('data-count'));

  // Narrow to products through the type facet; the URL keeps the whole search.
  await page.getByRole('complementary').getByRole('link', { name: '创新产品' }).click();
  await expect(page).toHaveURL(/kind=product/);
  await expect(page).toHaveURL(/q=/);
  const products = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(products).toBeGreaterThan(0);
  expect(products).toBeLessThanOrEqual(all);
  for (let i = 0; i < (await hits.count()); i++) {
    await expect(hits.nth(i)).toHaveAttribute('data-kind', 'product');
  }
  await expectNoSeriousA11yViolations(page);
});
