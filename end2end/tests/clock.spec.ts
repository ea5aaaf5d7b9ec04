import { expect, test } from '@playwright/test';

// The server under test is a test deployment (CATALOGUE_ENVIRONMENT=test), so its clock
// can be moved with POST /_test/clock; the scheduler's due steps run at once. This file
// runs after every other (its own project, see playwright.config.ts) and puts the clock
// back when done, because the whole site lives in the moved time meanwhile.

const count = async (request: import('@playwright/test').APIRequestContext, path: string) => {
  const response = await request.get(path);
  expect(response.status()).toBe(200);
  return (await response.json()).total as number;
};

test.afterAll(async ({ request }) => {
  const reset = await request.post('/_test/clock?offset=0s');
  expect(reset.status()).toBe(200);
});

test('when the catalogue batches lapse, search and lists stop calling products eligible', async ({
  page,
  request,
}) => {
  const eligibleSearch = '/api/v1/search?kind=product&eligible=1';
  expect(await count(request, eligibleSearch)).toBeGreaterThan(0);

  // Every demo batch has lapsed 800 days from now.
  const moved = await request.post('/_test/clock?offset=%2B800d');
  expect(moved.status()).toBe(200);
  const clock = await moved.json();
  expect(JSON.stringify(clock.steps)).toContain('changed eligibility');

  // The scheduler queued the products again; the indexer catches up within seconds.
  await expect
    .poll(() => count(request, eligibleSearch), { timeout: 30_000 })
    .toBe(0);
  await page.goto('/products?eligible=1');
  await expect(page.getByTestId('result-count')).toHaveAttribute('data-count', '0');
  // Still published: the lists keep them, only the fact changed.
  await page.goto('/products');
  expect(Number(await page.getByTestId('result-count').getAttribute('data-count'))).toBeGreaterThan(0);
});
