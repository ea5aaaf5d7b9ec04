import { expect, test } from '@playwright/test';
import {
  en,
  expectLanguage,
  expectNoSeriousA11yViolations,
  languageSwitch,
  mainHeading,
  zh,
} from './support/site';

// Each test gets a fresh browser context, so no `lang` cookie is left from another test.

test('the home page renders in Chinese with its figures and landmarks', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);

  await expectLanguage(page, zh);
  // A count of organisations: digits only, whatever whitespace the markup puts around them.
  await expect(page.getByTestId('verified-organisations')).toHaveText(/^\s*\d+\s*$/);

  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('navigation').first()).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
});

test('the home page has no serious accessibility problems', async ({ page }) => {
  await page.goto('/');
  await expect(mainHeading(page)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test.describe('with JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs the WebAssembly app');

  test('the language switch persists, the search island hydrates in that language, and nothing logs an error', async ({
    page,
    context,
  }) => {
    // Everything that goes wrong in a browser shows up here: script errors, failed
    // loads, and CSP violations (Chromium logs them as console errors; the listener
    // below reports them too, with the directive, in case the wording changes).
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });

    // Pages are rendered on the server; the switch asks the server for the same page in
    // the other language (through /lang/…, which sets the cookie).
    await page.goto('/');
    await expectLanguage(page, zh);
    await languageSwitch(page).click();
    await expectLanguage(page, en);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => context.cookies()).toContainEqual(
      expect.objectContaining({ name: 'lang', value: 'en' }),
    );

    // The search island hydrates in English: typing searches in place, in English.
    await page.goto('/search');
    await page.waitForLoadState('networkidle');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const box = page.getByLabel('Keywords');
    await expect(async () => {
      await box.fill('');
      await box.fill('机器人');
      await expect(page).toHaveURL(/q=%E6%9C%BA%E5%99%A8%E4%BA%BA/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('search-hit').first().locator('mark').first()).toContainText(/机器/);
    await expect(page.getByTestId('result-count')).toHaveText(/\d+ results/);

    // Back to Chinese from the search: the switch comes back to this very search.
    await languageSwitch(page).click();
    await expect(page).toHaveURL(/\/search\?q=%E6%9C%BA%E5%99%A8%E4%BA%BA/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByLabel('关键词')).toHaveValue('机器人');
    await expect(page.getByTestId('result-count')).toHaveText(/共 \d+ 条/);

    expect(errors, errors.join('\n')).toEqual([]);
  });

  test('a page without islands loads no JavaScript or WebAssembly', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (/\.(js|wasm)(\?|$)/.test(request.url())) scripts.push(request.url());
    });
    await page.goto('/');
    await expectLanguage(page, zh);
    await page.waitForLoadState('networkidle');
    expect(scripts).toEqual([]);
    // The search page has an island, and loads the bundle.
    await page.goto('/search');
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
  });
});

test.describe('without JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled, 'checks the plain-link fallback');

  test('the language switch goes through /lang/… and comes back to the same page', async ({
    page,
  }) => {
    // Redirects show up as separate requests, so this records the whole round trip.
    const navigations: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) navigations.push(request.url());
    });

    await page.goto('/');
    await expectLanguage(page, zh);

    await languageSwitch(page).click();
    await expectLanguage(page, en);
    expect(new URL(page.url()).pathname).toBe('/');

    await languageSwitch(page).click();
    await expectLanguage(page, zh);
    expect(new URL(page.url()).pathname).toBe('/');

    // `next` is compared decoded: how the link encodes "/" does not matter to a reader.
    const steps = navigations.map((url) => {
      const { pathname, searchParams } = new URL(url);
      const next = searchParams.get('next');
      return next === null ? pathname : `${pathname} next=${next}`;
    });
    expect(steps).toEqual(['/', '/lang/en next=/', '/', '/lang/zh-CN next=/', '/']);
  });
});
