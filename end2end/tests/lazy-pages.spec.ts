// Issue 8: pages are downloaded on first use (split WebAssembly modules), not with the login form.
import { test, expect } from '@playwright/test';

const isPageModule = (url: string) => /\/(split|chunk)_[^/]*\.wasm$/.test(url);

test('the login form comes without any page module, and each public page loads its own', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (request) => fetched.push(request.url()));
  await page.goto('/login');
  await expect(page.getByLabel('ユーザ名')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched.filter(isPageModule)).toEqual([]);

  await page.goto('/navi');
  await expect(page.getByRole('heading', { name: 'コロナワクチンナビ' })).toBeVisible();
  expect(fetched.filter(isPageModule).some((url) => url.endsWith('/split_finder.wasm'))).toBe(true);

  await page.goto('/dev/outbox');
  await expect(page.getByRole('heading', { name: '開発用メール送信箱' })).toBeVisible();
  expect(fetched.filter(isPageModule).some((url) => url.endsWith('/split_dev_outbox.wasm'))).toBe(true);
});

test('a page whose module cannot be downloaded says so, and a reload shows it', async ({ page }) => {
  await page.route('**/split_finder.wasm', (route) => route.abort('internetdisconnected'));
  await page.goto('/navi');
  await expect(page.getByRole('alert')).toHaveText('このページを読み込めませんでした。通信状態を確認して、もう一度お試しください。');
  await page.unroute('**/split_finder.wasm');
  await page.getByRole('button', { name: '再読み込み' }).click();
  await expect(page.getByRole('heading', { name: 'コロナワクチンナビ' })).toBeVisible();
});
