import { test, expect } from '@playwright/test';
import { checkAxe, DEMO_PASSWORD, demoTotp, loginWithTotp, mails, nextStepAfter, totp, waitForMail } from './support';

const NEW_USER = 'e2e-chiyoda-clerk';
const NEW_EMAIL = 'clerk@chiyoda.example.jp';
const NEW_PASSWORD = 'みどりの窓口で午後三時に待ち合わせ';

test('an admin issues an ID and the new user does the whole first login, then logs in again remembered', async ({ page }) => {
  // The admin issues an ID for a municipality clerk (a role that must enrol an authenticator app).
  await loginWithTotp(page, 'admin');
  await page.screenshot({ path: 'test-results/screens/01-admin-home.png' });
  await page.getByRole('link', { name: 'ID発行' }).first().click();
  await page.getByLabel('ユーザ名').fill(NEW_USER);
  await page.getByLabel('メールアドレス').fill('clerk@chiyoda');
  await page.getByLabel('氏名').fill('千代田 事務員');
  // Leaving the field shows the error next to it at once, in Japanese.
  await page.getByLabel('氏名').focus();
  await expect(page.getByText('メールアドレスの形式で入力してください')).toBeVisible();
  await page.getByLabel('メールアドレス').fill(NEW_EMAIL);
  await expect(page.getByText('メールアドレスの形式で入力してください')).toBeHidden();
  await page.getByLabel('役割').selectOption({ label: '市町村' });
  await page.getByLabel('都道府県').selectOption({ label: '東京都' });
  await page.getByRole('combobox', { name: /^市町村/ }).selectOption({ label: '千代田区' });
  await page.screenshot({ path: 'test-results/screens/02-issue-id.png' });
  const mailsBefore = mails().length;
  await page.getByRole('button', { name: 'IDを発行する' }).click();
  await expect(page.getByRole('status')).toContainText('IDを発行し、メールを送信しました');
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();

  // The ID mail: fixed sender, 【V-SYS】 subject prefix, a one-time link.
  const { mail: idMail, match: link } = await waitForMail(NEW_EMAIL, /(http\S+\/setup\?token=\S+)/, mailsBefore);
  expect(idMail.subject.startsWith('【V-SYS】')).toBe(true);
  expect(idMail.body).toContain(NEW_USER);
  expect(idMail.message_id).toMatch(/^<.+@.+>$/);

  // ログインユーザ初期設定: the 検証コード comes in a second mail.
  const mailsAfterId = mails().length;
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'ログインユーザ初期設定' })).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);
  const { match: code } = await waitForMail(NEW_EMAIL, /検証コード: (\d{6})/, mailsAfterId);
  await page.screenshot({ path: 'test-results/screens/03-verification-code.png' });
  await checkAxe(page, 'ログインユーザ初期設定 (検証コード)');
  // A reload keeps the attempt: the same code still works and no new code is sent.
  await page.reload();
  await expect(page.getByLabel('検証コード')).toBeVisible();
  await page.getByLabel('検証コード').fill(code);
  await page.getByRole('button', { name: '検証', exact: true }).click();
  await expect(page.getByLabel('新しいパスワード')).toBeVisible();
  expect(mails().slice(mailsAfterId).filter((m) => m.to.includes(NEW_EMAIL)).length).toBe(1);

  // A reload at the password step (and the link opened in a second tab) continue the attempt
  // instead of saying the link was used.
  await page.reload();
  await expect(page.getByLabel('新しいパスワード')).toBeVisible();
  const secondTab = await page.context().newPage();
  await secondTab.goto(link);
  await expect(secondTab.getByLabel('新しいパスワード')).toBeVisible();
  await secondTab.close();

  // 新しいパスワード: a short one is refused next to the field; a long passphrase is accepted.
  await page.getByLabel('新しいパスワード').fill('short');
  await page.getByLabel('確認').fill('short');
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '12文字以上で入力してください。' })).toBeVisible();
  await expect(page.getByLabel('新しいパスワード')).toBeFocused();
  await checkAxe(page, 'ログインユーザ初期設定 (新しいパスワード, with an error)');
  await page.getByLabel('新しいパスワード').fill(NEW_PASSWORD);
  await page.getByLabel('確認').fill(NEW_PASSWORD);
  await page.screenshot({ path: 'test-results/screens/04-new-password.png' });
  await page.getByRole('button', { name: 'パスワードを変更' }).click();

  // Authenticator app: required for municipality staff; the test computes the code.
  await expect(page.getByRole('heading', { name: '認証アプリの登録' })).toBeVisible();
  await expect(page.getByRole('button', { name: '後で設定する' })).toHaveCount(0);
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.screenshot({ path: 'test-results/screens/05-totp.png' });
  await checkAxe(page, '認証アプリの登録');
  const enrolStep = Math.floor(Date.now() / 30000);
  await page.getByLabel('認証アプリのコード').fill(totp(secret, enrolStep));
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { name: '回復コード' })).toBeVisible();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await page.screenshot({ path: 'test-results/screens/06-recovery-codes.png' });
  await checkAxe(page, '回復コード');
  await page.getByRole('button', { name: '次へ' }).click();

  // Consent to 「V-SYSにおける個人情報保護方針」: 次へ works only after 同意する.
  await expect(page.getByRole('heading', { name: 'V-SYSにおける個人情報保護方針' })).toBeVisible();
  await expect(page.getByRole('button', { name: '次へ' })).toBeDisabled();
  await page.getByLabel('同意する').check();
  await page.screenshot({ path: 'test-results/screens/07-consent.png' });
  await checkAxe(page, 'V-SYSにおける個人情報保護方針');
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('千代田 事務員');
  await expect(page.getByRole('banner')).toContainText('千代田区');
  // The municipality's home: its sites counted by reservation status, and the 未登録 ones.
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の予約の受付状況' })).toBeVisible();
  await expect(page.getByRole('list', { name: '未登録医療機関・接種会場' })).toContainText('千代田区C診療所');
  await page.screenshot({ path: 'test-results/screens/08-home.png' });

  // Log out, then log in again with ログイン情報を保存する and an authenticator code.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByLabel('ユーザ名').fill(NEW_USER);
  await page.getByLabel('パスワード').fill(NEW_PASSWORD);
  await page.getByLabel('ログイン情報を保存する').check();
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const loginStep = await nextStepAfter(enrolStep);
  await page.getByLabel('認証コード（または回復コード）').fill(totp(secret, loginStep));
  await page.getByRole('button', { name: '検証', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('ユーザ名')).toHaveValue(NEW_USER);
  await expect(page.getByLabel('ログイン情報を保存する')).toBeChecked();
  await page.screenshot({ path: 'test-results/screens/09-login-remembered.png' });
});

test('a wrong password is refused with a message and the typed user name is kept', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('ユーザ名').fill('site-a');
  await page.getByLabel('パスワード').fill('not the password at all');
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ユーザ名またはパスワードが正しくありません' })).toBeVisible();
  await expect(page.getByLabel('ユーザ名')).toHaveValue('site-a');
  // The refused password is cleared without a second error beside it.
  await expect(page.getByLabel('パスワード')).toHaveValue('');
  await expect(page.getByText('入力してください。')).toHaveCount(0);
});

test('a site user from a new browser is asked for the e-mailed code, sets its reservation status, and the English switch works', async ({ page }) => {
  const before = mails().length;
  await page.goto('/login');
  await page.getByLabel('ユーザ名').fill('site-a');
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  const { match: code } = await waitForMail('site-a@demo.vsys.example.jp', /確認コード: (\d{6})/, before);
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: '検証', exact: true }).click();
  // A site lands on its own 医療機関・接種会場の詳細 (seed 000, STEP 2).
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('千代田区A病院');
  // 予約の受付情報の変更: one press, time-stamped.
  await expect(page.getByRole('heading', { name: '予約の受付情報の変更' })).toBeVisible();
  await page.getByRole('button', { name: '予約可能', exact: true }).click();
  await expect(page.getByRole('button', { name: '予約可能', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').filter({ hasText: '現在の状態' })).toContainText('予約可能');
  await expect(page.getByRole('status').filter({ hasText: '現在の状態' })).toContainText('更新日時');
  await page.reload();
  await expect(page.getByRole('button', { name: '予約可能', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: 'test-results/screens/10-site-home.png' });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Taking bookings', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: 'test-results/screens/11-site-home-english.png' });
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();
});

test('a national user who forgot the password resets it only with the authenticator code as well', async ({ page }) => {
  const email = 'mhlw@demo.vsys.example.jp';
  const before = mails().length;
  await page.goto('/login');
  await page.getByRole('link', { name: 'パスワードをお忘れですか?' }).click();
  await page.getByLabel('ユーザ名').fill('mhlw');
  await page.getByRole('button', { name: '送信' }).click();
  const { match: link } = await waitForMail(email, /(http\S+\/setup\?token=\S+)/, before);
  const afterLink = mails().length;
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'パスワードの再設定' })).toBeVisible();
  const { match: code } = await waitForMail(email, /検証コード: (\d{6})/, afterLink);
  await page.getByLabel('検証コード').fill(code);
  await page.getByRole('button', { name: '検証', exact: true }).click();
  // The mailbox alone is not enough: the authenticator's code is asked on the same form.
  await page.getByLabel('新しいパスワード').fill(DEMO_PASSWORD);
  await page.getByLabel('確認').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  const factor = page.getByLabel('認証コード（または回復コード）');
  await expect(factor).toBeFocused();
  await expect(page.getByText('認証アプリを紛失した場合は')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/12-reset-needs-authenticator.png' });
  await checkAxe(page, 'パスワードの再設定 (with the authenticator field)');
  await factor.fill('000000' === demoTotp('mhlw') ? '000001' : '000000');
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'コード' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toHaveCount(0);
  // The next step's code (each code works once) completes the reset.
  await nextStepAfter(Math.floor(Date.now() / 30000));
  await factor.fill(demoTotp('mhlw'));
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.getByRole('heading', { name: 'ホーム' })).toBeVisible();
});
