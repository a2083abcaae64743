// Issue 8, part 5: pages load through Resources under Suspense (読み込み中… meanwhile, the reason
// in Japanese when loading fails, a lost session back to the login page) and follow their own
// address as it changes.
import { test, expect, type Route } from '@playwright/test';
import { loginWithTotp } from './support';

/** Lets a request through after `ms` milliseconds, so that the loading state can be seen. */
const after = (ms: number) => async (route: Route) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await route.continue();
};

test('ユーザ一覧 shows 読み込み中… while it loads, says why when loading fails, and a lost session goes back to the login page', async ({ page }) => {
  await loginWithTotp(page, 'admin');
  await page.route('**/api/list_users', after(1000));
  await page.getByRole('link', { name: 'ユーザ管理' }).click();
  await expect(page.getByText('読み込み中…')).toBeVisible();
  await expect(page.getByRole('button', { name: 'リンク再送信' }).first()).toBeVisible();
  await expect(page.getByText('読み込み中…')).toHaveCount(0);

  await page.unroute('**/api/list_users');
  await page.route('**/api/list_users', (route) => route.abort());
  await page.getByLabel('検索').fill('site');
  await page.getByRole('button', { name: '検索' }).click();
  await expect(page.getByRole('alert')).toContainText('サーバに接続できません');
  // What was typed stays.
  await expect(page.getByLabel('検索')).toHaveValue('site');

  await page.unroute('**/api/list_users');
  await page.evaluate(() => fetch('/api/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  await page.getByRole('button', { name: '検索' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('セッションの有効期限が切れました');
});

test('都道府県管内の市町村一覧 follows its address: a chosen prefecture goes into ?p=, and Back shows the one before', async ({ page }) => {
  await loginWithTotp(page, 'admin');
  await page.getByRole('link', { name: '市町村マスタ' }).click();
  await expect(page.getByRole('link', { name: '千代田区', exact: true })).toBeVisible();
  await page.getByLabel('都道府県').selectOption({ label: '大阪府' });
  await expect(page).toHaveURL(/\/municipalities\?p=27$/);
  await expect(page.getByRole('link', { name: '大阪市', exact: true })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('link', { name: '千代田区', exact: true })).toBeVisible();
  await expect(page.getByLabel('都道府県')).toHaveValue('13');
  // The address alone opens the same list.
  await page.goto('/municipalities?p=27');
  await expect(page.getByRole('link', { name: '大阪市', exact: true })).toBeVisible();
});
