// Signing in as a person does, with the demo accounts of `catalogue seed --demo-accounts`
// (app/src/accounts/demo.rs); admins pass the second factor with the demo key.
import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'changzhou-demo-2026';
export const PLATFORM_ADMIN = 'platform-admin@demo.example';
export const PASSWORD = 'lantern-orchid-sextant-42';

// The demo admins' second-factor key (app/src/accounts/demo.rs), and the RFC 6238 code of
// a 30-second step: HMAC-SHA-1, dynamic truncation, 6 digits.
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32(DEMO_TOTP_SECRET)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

// The site accepts each step's code once, and the step before and after the current one:
// each sign-in takes the next unused step, waiting when it would run ahead.
let lastStep = 0;
async function nextCode(page: Page): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current - 1, lastStep + 1);
    if (step <= current + 1) {
      lastStep = step;
      return totp(step);
    }
    await page.waitForTimeout(2_000);
  }
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/(account|sign-in\/second-factor)$/);
  // Admins: the code after the password (a step used by an earlier run is refused: take
  // the next).
  for (let attempt = 0; page.url().endsWith('/sign-in/second-factor') && attempt < 3; attempt++) {
    await page.getByRole('textbox', { name: '验证码' }).fill(await nextCode(page));
    await page.getByRole('button', { name: '验证', exact: true }).click();
    // Either signed in, or the code refused in place.
    await Promise.race([
      page.waitForURL(/\/account$/),
      page.locator('[data-error-for="code"]').filter({ hasText: /\S/ }).waitFor(),
    ]);
  }
  await expect(page).toHaveURL(/\/account$/);
}

