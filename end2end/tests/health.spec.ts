import { expect, test } from '@playwright/test';

// Plain HTTP checks: the browser plays no part, so one project is enough.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'same HTTP answers in both projects');

test('/healthz reports the server and its database as ok', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  const health = await response.json();
  expect(health).toMatchObject({ status: 'ok', database: 'ok' });
  expect(typeof health.search.lag.pending).toBe('number');
  // The backend the deployment under test was started with (scripts/test says which).
  expect(health.search.backend).toBe(process.env.E2E_SEARCH_BACKEND ?? 'embedded');
  expect(Array.isArray(health.scheduler)).toBe(true);
});

test('pages carry the security headers', async ({ request }) => {
  const response = await request.get('/');
  expect(response.status()).toBe(200);

  const headers = response.headers(); // names are lower-cased
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("'nonce-"); // the hydration script is allowed by nonce, not 'unsafe-inline'
  expect(csp).toContain("'wasm-unsafe-eval'"); // needed to compile the app's WebAssembly
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
});
