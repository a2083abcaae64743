import { createHmac } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { MAIL_FILE, DATABASE_URL, VSYS_BIN, TOTP_KEY_FILE } from '../playwright.config';

export const DEMO_PASSWORD = 'hanami-no-kisetsu-26';

export interface Mail { to: string[]; from: string; subject: string; message_id: string; body: string }

/** Every mail the SMTP sink has received so far. */
export function mails(): Mail[] {
  if (!existsSync(MAIL_FILE)) return [];
  return readFileSync(MAIL_FILE, 'utf-8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Waits for the newest mail to `to` whose body matches `pattern`, returning the first group. */
export async function waitForMail(to: string, pattern: RegExp, after = 0): Promise<{ mail: Mail; match: string }> {
  for (let i = 0; i < 100; i++) {
    const found = mails().slice(after).filter((m) => m.to.includes(to) && pattern.test(m.body)).pop();
    if (found) return { mail: found, match: found.body.match(pattern)![1] };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} matching ${pattern}`);
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of input.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret at a time step. */
export function totp(secret: string, step = Math.floor(Date.now() / 30000)): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[19] & 0xf;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

/** Waits until the current 30-second step is after `step`, so a new TOTP code is accepted. */
export async function nextStepAfter(step: number): Promise<number> {
  while (Math.floor(Date.now() / 30000) <= step) await new Promise((r) => setTimeout(r, 250));
  return Math.floor(Date.now() / 30000);
}

/** The current code of a demo user, asked from the server's own command line. */
export function demoTotp(loginId: string): string {
  return execFileSync(VSYS_BIN, ['totp', loginId], { env: { ...process.env, DATABASE_URL, VSYS_TOTP_KEY_FILE: TOTP_KEY_FILE, RUST_LOG: 'error' } }).toString().trim();
}

/** Adds `count` generated 一般向け sites to the municipalities of one prefecture, through the
 * server's own command line (`vsys national --prefecture`). */
export function addGeneratedSites(count: number, prefecture: number) {
  execFileSync(VSYS_BIN, ['national', String(count), '--prefecture', String(prefecture)], {
    env: { ...process.env, DATABASE_URL, VSYS_TOTP_KEY_FILE: TOTP_KEY_FILE, RUST_LOG: 'error' },
  });
}

/** The 30-second step whose code each demo user last logged in with (a code works once); kept
 * in a file, because Playwright starts a new worker after a failed test. */
const TOTP_STEPS_FILE = path.join(path.dirname(MAIL_FILE), 'totp-steps.json');
const lastTotpStep = {
  get(loginId: string): number | undefined {
    if (!existsSync(TOTP_STEPS_FILE)) return undefined;
    return JSON.parse(readFileSync(TOTP_STEPS_FILE, 'utf-8'))[loginId];
  },
  set(loginId: string, step: number) {
    const steps = existsSync(TOTP_STEPS_FILE) ? JSON.parse(readFileSync(TOTP_STEPS_FILE, 'utf-8')) : {};
    writeFileSync(TOTP_STEPS_FILE, JSON.stringify({ ...steps, [loginId]: step }));
  },
};

/** Logs in a demo user that has an authenticator app. */
export async function loginWithTotp(page: Page, loginId: string) {
  const used = lastTotpStep.get(loginId);
  if (used !== undefined) await nextStepAfter(used);
  await page.goto('/login');
  await page.getByLabel('ユーザ名').fill(loginId);
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  lastTotpStep.set(loginId, Math.floor(Date.now() / 30000));
  await page.getByLabel('認証コード（または回復コード）').fill(demoTotp(loginId));
  await page.getByRole('button', { name: '検証', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();
}

/** Runs axe-core on the page as it stands; every violation is reported (softly, so one run lists all). */
export async function checkAxe(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect.soft(found, `axe-core on ${name}`).toEqual([]);
}

/** Logs in a demo user whose second step is an e-mailed code (sites, suppliers) from a new browser. */
export async function loginWithMail(page: Page, loginId: string) {
  const before = mails().length;
  await page.goto('/login');
  await page.getByLabel('ユーザ名').fill(loginId);
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const { match: code } = await waitForMail(`${loginId}@demo.vsys.example.jp`, /確認コード: (\d{6})/, before);
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: '検証', exact: true }).click();
}

/** Logs in site-a (千代田区A病院), which lands on its 医療機関・接種会場の詳細. */
export async function loginSite(page: Page) {
  await loginWithMail(page, 'site-a');
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
}
