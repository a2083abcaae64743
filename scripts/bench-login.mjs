// Shared by the browser benches (bench-frontend.mjs, bench-csv.mjs): a demo user's login.
import { execFileSync } from 'node:child_process';

/** The demo users' password (`vsys serve --demo`). */
export const DEMO_PASSWORD = 'hanami-no-kisetsu-26';

/** Logs `user` in on the login page at `base`: the password, then the authenticator code, asked
 * from the server's own command line (VSYS_BIN, with DATABASE_URL and VSYS_TOTP_KEY_FILE). A code
 * is accepted once per 30-second step, so a run logs each user in once. Returns once 検証 is
 * pressed; the caller waits for ホーム as it needs to (a bench may count what it fetches first). */
export async function logIn(page, base, user) {
  await page.goto(`${base}/login`);
  await page.getByLabel('ユーザ名').fill(user);
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const code = execFileSync(process.env.VSYS_BIN, ['totp', user], { env: { ...process.env, RUST_LOG: 'error' } }).toString().trim();
  await page.getByLabel('認証コード（または回復コード）').fill(code);
  await page.getByRole('button', { name: '検証', exact: true }).click();
}
