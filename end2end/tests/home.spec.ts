import { expect, test, type Page } from '@playwright/test';
import {
  en,
  expectLanguage,
  expectNoSeriousA11yViolations,
  languageSwitch,
  mainHeading,
  zh,
  type Language,
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

test.describe('once hydrated', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs the WebAssembly app');

  test('the language switch works in place, persists, and nothing logs an error', async ({
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

    // A click before the app has hydrated would follow the plain link to /lang/…; block
    // those navigations so that such a click leaves the page (and the marker) as it was
    // and is simply tried again once the app is running.
    await page.route('**/lang/**', (route) => route.abort('aborted'));

    await page.goto('/');
    await page.waitForLoadState('networkidle');
    await expectLanguage(page, zh);

    await switchInPlace(page, en);
    await expect.poll(() => context.cookies()).toContainEqual(
      expect.objectContaining({ name: 'lang', value: 'en' }),
    );

    // The server now renders English itself, not only the app after hydrating.
    const reloaded = await page.reload();
    expect(await reloaded?.text()).toMatch(/<html[^>]*\slang="en"/);
    await page.waitForLoadState('networkidle');
    await expectLanguage(page, en);

    await switchInPlace(page, zh);

    expect(errors, errors.join('\n')).toEqual([]);
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

/**
 * Clicks the language switch until the page shows `to`, and checks that this happened
 * without leaving the page. Retrying covers the moment between load and hydration.
 */
async function switchInPlace(page: Page, to: Language) {
  await page.evaluate(() => ((window as any).__marker = 1));
  await expect(async () => {
    if ((await mainHeading(page).innerText()).trim() !== to.title) {
      await languageSwitch(page).click();
    }
    await expect(mainHeading(page)).toHaveText(to.title, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expectLanguage(page, to);
  // Still the same document: the switch did not navigate.
  expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
}
