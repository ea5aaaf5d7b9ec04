import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** What the site says in each language; the texts live in app/src/i18n/messages.rs. */
export const zh = {
  lang: 'zh-CN',
  title: '常州市创新产品与应用场景库',
  // The switch names the *other* language, in that language.
  switchLabel: 'English',
} as const;

export const en = {
  lang: 'en',
  title: 'Changzhou Innovation Products & Application Scenarios',
  switchLabel: '中文',
} as const;

export type Language = typeof zh | typeof en;

export const mainHeading = (page: Page) => page.getByRole('heading', { level: 1 });
export const languageSwitch = (page: Page) => page.getByTestId('language-switch');

/** Checks that the page, as rendered now, is in `language`. */
export async function expectLanguage(page: Page, language: Language) {
  await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
  await expect(mainHeading(page)).toHaveText(language.title);
  await expect(languageSwitch(page)).toHaveText(language.switchLabel);
}

/**
 * Runs axe on the page and fails on any serious or critical violation, listing each one
 * so that the failure message alone says what to fix.
 *
 * axe runs as a script inside the page, which a context with JavaScript disabled never
 * executes (the call just hangs). So in the no-js project the same address is opened in
 * a scratch context where scripts may run but the app's own scripts are blocked: axe
 * then sees the server-rendered page exactly as a reader without JavaScript gets it.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  // Whether the page's context runs scripts: the project's setting unless the test made a
  // context of its own.
  scripts: boolean = test.info().project.use.javaScriptEnabled !== false,
) {
  if (scripts) {
    await expectNoSeriousViolationsIn(page);
    return;
  }
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser to open a scratch context in');
  // Said outright: contexts opened in a test inherit the project's options, no-js included.
  const scratch = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    // The same reader: signed in when the page's reader is.
    await scratch.addCookies(await page.context().cookies());
    await scratch.route('**/*', (route) =>
      route.request().resourceType() === 'script' ? route.abort() : route.continue(),
    );
    const serverRendered = await scratch.newPage();
    await serverRendered.goto(page.url());
    await expect(mainHeading(serverRendered)).toBeVisible();
    await expectNoSeriousViolationsIn(serverRendered);
  } finally {
    await scratch.close();
  }
}

async function expectNoSeriousViolationsIn(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  expect(serious, `axe violations on ${page.url()}:\n${JSON.stringify(serious, null, 2)}`).toEqual([]);
}
