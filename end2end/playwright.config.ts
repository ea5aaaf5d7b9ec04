import { defineConfig, devices } from '@playwright/test';

// The site is started by the project's test script before Playwright runs, so there is
// no `webServer` here; point BASE_URL elsewhere to test another running copy.
const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  // One site, one database and a 2-core machine: run the tests one at a time.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot be reached from here.
      executablePath: '/usr/bin/chromium',
      // No sandbox as root in containers; the rest keeps Chromium from calling out to
      // Google's services, which this machine cannot reach anyway.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // Every page must work both before/without the WebAssembly (plain links and forms)
  // and once hydrated.
  projects: [
    {
      name: 'hydrated',
      testIgnore: ['clock.spec.ts', 'workflow.spec.ts'],
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: true },
    },
    {
      name: 'no-js',
      testIgnore: ['clock.spec.ts', 'workflow.spec.ts'],
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: false },
    },
    // These move the server's clock, so they run once everything else has, one after
    // the other.
    {
      name: 'workflow',
      testMatch: 'workflow.spec.ts',
      dependencies: ['hydrated', 'no-js'],
      use: { ...devices['Desktop Chrome'] },
    },
    {
      name: 'clock',
      testMatch: 'clock.spec.ts',
      dependencies: ['workflow'],
      use: { ...devices['Desktop Chrome'] },
    },
  ],
});
