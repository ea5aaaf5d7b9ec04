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
  await page.getByRole('complementary').getByRole('link', { name: '创新产品', exact: true }).click();
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

test('full-width and traditional queries find what the plain query finds', async ({ page }) => {
  const first = async (q: string) => {
    await page.goto('/search');
    await page.getByLabel('关键词').fill(q);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    return {
      title: (await page.getByTestId('search-hit').first().locator('.card-title').textContent())!.trim(),
      count: await page.getByTestId('result-count').getAttribute('data-count'),
    };
  };
  const plain = await first('工业机器人');
  expect(await first('工業機器人')).toEqual(plain);
  const ai = await first('AI');
  expect(await first('ＡＩ')).toEqual(ai);
});

test('procurement categories narrow search and the product list, level by level', async ({ page }) => {
  // Search: the facet starts at the catalogue's first level and opens the one chosen.
  await page.goto('/search?kind=product');
  const facet = page.locator('[data-facet="procurement"]');
  await facet.getByRole('link', { name: /^A02 设备/ }).click();
  await expect(page).toHaveURL(/procurement=A02/);
  const underEquipment = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  await facet.getByRole('link', { name: /^A0205 机械设备/ }).click();
  await expect(page).toHaveURL(/procurement=A0205/);
  const underMachinery = Number(await page.getByTestId('result-count').getAttribute('data-count'));
  expect(underMachinery).toBeGreaterThan(0);
  expect(underMachinery).toBeLessThan(underEquipment);
  await expect(facet.getByRole('link', { name: /^A0205 机械设备/ })).toHaveAttribute('aria-current', 'true');
  await expectNoSeriousA11yViolations(page);

  // A code typed as a query finds the products filed under it.
  await page.goto('/search');
  await page.getByLabel('关键词').fill('A02052301');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page.getByTestId('search-hit').first()).toBeVisible();
  await expect(page.getByTestId('search-hit').first()).toHaveAttribute('data-kind', 'product');

  // The product list: the same categories in a select, indented by level.
  await page.goto('/products');
  const select = page.getByLabel('政府采购品目');
  await expect(select.locator('option', { hasText: 'A02052301 工业机器人' })).toHaveCount(1);
  await select.selectOption('A02052301');
  await page.getByRole('button', { name: '应用筛选' }).click();
  await expect(page).toHaveURL(/procurement=A02052301/);
  await expect(page.getByTestId('product-list').getByRole('listitem').first()).toBeVisible();
  await expect(select).toHaveValue('A02052301');
});

test.describe('as you type, once hydrated', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs the WebAssembly app');

  test('typing shows results and facets, a facet narrows them, and the URL follows', async ({
    page,
  }) => {
    // A hydration mismatch shows up as a panic in the console: none is allowed.
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/search');
    await page.waitForLoadState('networkidle');
    // Set on this document: still there at the end means nothing reloaded the page.
    await page.evaluate(() => ((window as any).__marker = 1));
    const box = page.getByLabel('关键词');
    const hits = page.getByTestId('search-hit');
    // Typing before the app has hydrated does nothing; type again until it does.
    await expect(async () => {
      await box.fill('');
      await box.fill('机器人');
      await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(hits.first().locator('mark').first()).toContainText(/机器/);
    const facets = page.getByTestId('search-facets');
    const products = facets.getByRole('link', { name: '创新产品', exact: true });
    await expect(products).toBeVisible();
    // The box was never rebuilt: it keeps the text and the focus.
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('机器人');

    await products.click();
    await expect(page).toHaveURL(/kind=product/);
    await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
    await expect(page.getByLabel('类别')).toHaveValue('product');
    await expect(async () => {
      const kinds = await hits.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kind')));
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toEqual(new Set(['product']));
    }).toPass({ timeout: 10_000 });

    // Typing more keeps the chosen facet.
    await box.fill('工业机器人');
    await expect(page).toHaveURL(/q=%E5%B7%A5%E4%B8%9A/);
    await expect(page).toHaveURL(/kind=product/);
    await expect(hits.first()).toBeVisible();
    expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
    // Back goes to the search before the facet, in place: typing replaced its entries
    // (the box shows the address's words once the reader has left it).
    await box.blur();
    await page.goBack();
    await expect(page).not.toHaveURL(/kind=product/);
    await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
    await expect(page.getByLabel('类别')).toHaveValue('');
    await expect(box).toHaveValue('机器人');
    await page.goForward();
    await expect(page).toHaveURL(/q=%E5%B7%A5%E4%B8%9A.*kind=product/);
    await expect(box).toHaveValue('工业机器人');
    await expect(page.getByLabel('类别')).toHaveValue('product');
    expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
    // The language switch comes back to this very search.
    await expect(page.getByTestId('language-switch')).toHaveAttribute(
      'href',
      /next=\/search%3Fq%3D%25E5%25B7%25A5/,
    );
    expect(errors).toEqual([]);
  });

  test('a search made stale by newer typing is cancelled, and the newest one wins', async ({
    page,
  }) => {
    await page.goto('/search');
    await page.waitForLoadState('networkidle');
    const box = page.getByLabel('关键词');
    await expect(async () => {
      await box.fill('');
      await box.fill('石墨烯');
      await expect(page).toHaveURL(/q=%E7%9F%B3/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    // From now on every search answer takes a while, so a newer one overtakes it.
    await page.route('**/api/search?**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue().catch(() => {}); // the page may have aborted it meanwhile
    });
    const aborted: string[] = [];
    page.on('requestfailed', (request) => {
      if (request.url().includes('/api/search')) aborted.push(request.failure()?.errorText ?? '');
    });
    await box.fill('储能');
    await expect(page).toHaveURL(/q=%E5%82%A8/);
    await box.fill('机器人');
    await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
    const first = page.getByTestId('search-hit').first();
    await expect(first.locator('mark').first()).toContainText(/机器/, { timeout: 10_000 });
    expect(aborted.length).toBeGreaterThan(0);
    // The stale answer never replaces the newest one.
    await page.waitForTimeout(2_000);
    await expect(first.locator('mark').first()).toContainText(/机器/);
  });
});

test.describe('the live form, once hydrated', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs the WebAssembly app');

  /** Waits until typing searches in place (the island is live). */
  async function live(page: import('@playwright/test').Page, words: string, url: RegExp) {
    const box = page.getByLabel('关键词');
    await expect(async () => {
      await box.fill('');
      await box.fill(words);
      await expect(page).toHaveURL(url, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    return box;
  }

  test('fields follow back and forward, and an invalid pair of fields can be corrected', async ({
    page,
  }) => {
    await page.goto('/search');
    await live(page, '系统', /q=%E7%B3%BB%E7%BB%9F/);
    const eligible = page.getByLabel('符合首购条件');
    await eligible.check();
    await expect(page).toHaveURL(/eligible=1/);
    await page.getByTestId('search-facets').locator('[data-facet="flags"] a[aria-current="true"]').click();
    await expect(page).not.toHaveURL(/eligible=1/);
    await expect(eligible).not.toBeChecked();
    await eligible.check();
    await expect(page).toHaveURL(/eligible=1/);
    await page.goBack();
    await expect(page).not.toHaveURL(/eligible=1/);
    await expect(eligible).not.toBeChecked();

    // A minimum above the maximum: the error shows, the fields stay to be corrected.
    await page.getByLabel('金额下限（万元）').fill('100');
    await page.getByLabel('金额下限（万元）').press('Tab');
    await page.getByLabel('金额上限（万元）').fill('10');
    await page.getByLabel('金额上限（万元）').press('Tab');
    await expect(page.getByTestId('error-notice')).toBeVisible();
    await expect(page.getByLabel('金额下限（万元）')).toHaveValue('100');
    await page.getByLabel('金额上限（万元）').fill('1000');
    await page.getByLabel('金额上限（万元）').press('Tab');
    await expect(page).toHaveURL(/amount_min=100&amount_max=1000/);
    await expect(page.getByTestId('error-notice')).toHaveCount(0);
  });

  test('an input method composing pinyin searches only for the composed words', async ({ page }) => {
    await page.goto('/search');
    const box = await live(page, '系统', /q=%E7%B3%BB%E7%BB%9F/);
    // What an input method sends while composing: input events marked isComposing.
    await box.evaluate((input: HTMLInputElement) => {
      for (const text of ['j', 'ji', 'jiqi', 'jiqiren']) {
        input.value = text;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true }));
      }
    });
    await page.waitForTimeout(800);
    await expect(page).toHaveURL(/q=%E7%B3%BB%E7%BB%9F/);
    await box.evaluate((input: HTMLInputElement) => {
      input.value = '机器人';
      input.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '机器人' }));
    });
    await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
  });

  test('words typed before the page became live are searched once it is', async ({ page }) => {
    // Hold the bundle back, as a slow phone network would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/search?q=%E7%B3%BB%E7%BB%9F');
    await page.getByLabel('关键词').fill('机器人');
    await page.getByRole('heading', { level: 1 }).click(); // the box loses focus
    release();
    await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/, { timeout: 20_000 });
    await expect(page.getByLabel('关键词')).toHaveValue('机器人');
    await expect(page.getByTestId('search-hit').first().locator('mark').first()).toContainText(/机器/);
  });
});

test('the same search works as a plain GET form with JavaScript off', async ({ page }) => {
  await page.goto('/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product&eligible=1');
  await expect(page.getByLabel('关键词')).toHaveValue('机器人');
  await expect(page.getByLabel('类别')).toHaveValue('product');
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  const kinds = await hits.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kind')));
  expect(new Set(kinds)).toEqual(new Set(['product']));
  // A range and an agency facet go through the form and the URL too.
  await page.getByLabel('金额上限（万元）').fill('5000');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/amount_max=5000/);
  await expect(page).toHaveURL(/kind=product/);
  const agency = page.getByTestId('search-facets').locator('[data-facet="agency"] a').first();
  await agency.click();
  await expect(page).toHaveURL(/agency=/);
  await expect(page).toHaveURL(/amount_max=5000/);
  await expect(hits.first()).toBeVisible();
});

test('a buyer downloads the whole search as an Excel file, named by the day', async ({ page }) => {
  await page.goto('/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product');
  await expect(page.getByTestId('search-hit').first()).toBeVisible();
  const links = page.getByTestId('search-export');
  await expect(links.getByRole('link', { name: '导出全部结果（CSV）' })).toHaveAttribute(
    'href',
    '/api/v1/search/export?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product',
  );
  const downloading = page.waitForEvent('download');
  await links.getByRole('link', { name: '导出全部结果（Excel）' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^search-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const file = Buffer.concat(chunks);
  expect(file.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: the XLSX container
  expect(file.length).toBeGreaterThan(4000);
  // The search page is still there: the download did not navigate away.
  await expect(page).toHaveURL(/\/search\?/);
});
