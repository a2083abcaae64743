// Issue 7, usability findings 3, 8, 9, 11 and 12: every page passes axe-core, touch targets are
// at least 44 px, ユーザ一覧 fits an upright tablet, 予約の受付情報 offers 未登録, the finder speaks
// やさしい日本語 and English throughout, and the 監査ログ reads in the words users know.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { checkAxe, loginWithMail, loginWithTotp, nextStepAfter } from './support';

const TOUCH = 44;

/** The heights of the elements `selector` finds that are shorter than a finger. */
async function shortTargets(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements, min) => elements
    .map((e) => ({ text: (e.textContent ?? '').trim().slice(0, 30), height: e.getBoundingClientRect().height }))
    .filter((e) => e.height < min)
    .map((e) => `${e.text}: ${e.height.toFixed(0)} px`), TOUCH);
}

/** Logs in a demo user with an authenticator app in a new 30-second step, as a code already used
 * (by an earlier test, in the same step) is refused. */
async function loginWithFreshTotp(page: Page, loginId: string) {
  await nextStepAfter(Math.floor(Date.now() / 30000));
  await loginWithTotp(page, loginId);
}

/** A landscape tablet in a context of its own (axe-core needs a page of a context). */
async function tabletPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  return context.newPage();
}

/** Calls a server function from the page (same origin, with the page's session). */
async function call<T>(page: Page, name: string, body: unknown): Promise<T> {
  return page.evaluate(async ([name, body]) => {
    const response = await fetch(`/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${name}: ${response.status} ${text}`);
    return JSON.parse(text);
  }, [name, body] as const);
}

test('public pages: login, パスワードをお忘れですか? and the finder pass axe-core, with finger-sized targets', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('ユーザ名')).toBeVisible();
  await checkAxe(page, 'login');
  const remember = page.locator('label', { hasText: 'ログイン情報を保存する' });
  expect.soft((await remember.boundingBox())!.height, 'ログイン情報を保存する').toBeGreaterThanOrEqual(TOUCH);

  await page.getByRole('link', { name: 'パスワードをお忘れですか?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await checkAxe(page, 'forgot password');

  await page.goto('/navi');
  await page.getByLabel('市区町村').selectOption({ label: '千代田区' });
  await page.getByRole('button', { name: '検索' }).click();
  await expect(page.getByRole('article').first()).toBeVisible();
  await checkAxe(page, '/navi (日本語)');
  expect.soft(await shortTargets(page, '.finder-site a'), '/navi links').toEqual([]);
});

test('the finder in やさしい日本語 changes every label, and in English shows English statuses and place names', async ({ page }) => {
  await page.goto('/navi');
  await page.getByLabel('表示言語').selectOption('easy');
  // Every label of the form is the easy text, none the ordinary one.
  await expect(page.getByLabel('ことば')).toBeVisible();
  await expect(page.getByLabel('都道府県（とどうふけん）')).toBeVisible();
  await page.getByLabel('市区町村（しくちょうそん）').selectOption({ label: '千代田区' });
  await expect(page.getByLabel('ワクチンの 種類（しゅるい）')).toBeVisible();
  await expect(page.getByLabel('よやくが できるか')).toBeVisible();
  await page.getByRole('button', { name: 'さがす' }).click();
  const results = page.getByRole('region', { name: /みつかった ところ/ });
  await expect(results).toBeVisible();
  const first = page.getByRole('article').first();
  await expect(first).toBeVisible();
  for (const ordinary of ['検索結果', '住所', '取扱ワクチン', '予約受付の電話番号', '受付時間', 'お知らせ', '更新日時']) {
    await expect.soft(results.getByText(ordinary, { exact: true }), ordinary).toHaveCount(0);
  }
  await expect(first.getByText('住所（じゅうしょ）', { exact: true })).toBeVisible();
  await expect(first.getByText('ここで 打てる（うてる） ワクチン', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/30-finder-easy.png', fullPage: true });
  await checkAxe(page, '/navi (やさしい日本語)');

  await page.getByLabel('ことば').selectOption('en');
  await page.getByLabel('Prefecture').selectOption('13');
  await page.getByLabel('Municipality').selectOption({ label: 'Chiyoda-ku' });
  await page.getByRole('button', { name: 'Search' }).click();
  const b = page.getByRole('article', { name: '千代田区Bクリニック' }).or(page.getByRole('article').filter({ hasText: 'Fully booked' })).first();
  await expect(b).toBeVisible();
  const english = page.getByRole('region', { name: /Results/ });
  await expect(english).toContainText('Chiyoda-ku, Tokyo');
  await expect(english).not.toContainText('東京都千代田区');
  await expect(english).not.toContainText('（');
  await expect(english).not.toContainText('Possible');
  // A status line is English only.
  for (const status of await page.locator('.finder-site .status strong').allTextContents()) {
    expect(status).toMatch(/^[ -~]+$/);
  }
  await page.screenshot({ path: 'test-results/screens/31-finder-english-places.png', fullPage: true });
  await checkAxe(page, '/navi (English)');
});

test('a site keeps 未登録, its pages and its municipality\'s pass axe-core, and 代理入力 reads as such in the audit log', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // The clinic, upright tablet.
  await page.setViewportSize({ width: 768, height: 1024 });
  await loginWithMail(page, 'site-a');
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  const siteId = Number(new URL(page.url()).pathname.split('/')[2]);

  // The record filled in with 未登録 kept, which leaves a pending request; and a doctor, so
  // that every part of the pages is there to check.
  const view = await call<{ version: number; record: Record<string, unknown> }>(page, 'load_site_record', { site_id: siteId });
  const record = {
    ...view.record,
    postal_code: '101-0021', address: '外神田1-1-1', vaccines: ['pfizer'], doctor_phone: '03-3251-1111',
    doctor_name: '厚労 太郎', doctor_kana: 'こうろう たろう', doctor_email: 'taro@example.jp',
    storage_affiliation: '薬剤部', storage_phone: '03-3251-2222', storage_name: '保管 花子',
    general_public: 'general', representative: `代表 ${Date.now()}`, parking: '12',
    // The site is not ready to announce a status: 未登録, and the rest saves.
    reservation_status: 'unregistered',
  };
  const saved = await call<{ view: { record: Record<string, unknown> } }>(page, 'save_site_record', { save: { site_id: siteId, version: view.version, base: view.record, record } });
  expect(saved.view.record.reservation_status).toBe('unregistered');
  expect(saved.view.record.parking).toBe('12');
  const doctor = await call<{ id: number }>(page, 'save_doctor', {
    save: { site_id: siteId, doctor_id: null, doctor: { name: '接種 一郎', kana: 'せっしゅ いちろう', phone: '', email: '', vaccines: [] } },
  });

  // ホーム: 予約の受付情報の変更 offers all five statuses; 未登録 can be chosen back.
  await page.goto('/');
  const panel = page.getByRole('region', { name: '予約の受付情報の変更' });
  await expect(panel).toBeVisible();
  for (const name of ['予約可能', '予約不可', '予約受付不可', '予約不要', '未登録']) {
    await expect.soft(panel.getByRole('button', { name, exact: true }), name).toBeVisible();
  }
  await panel.getByRole('button', { name: '予約可能', exact: true }).click();
  await expect(panel.getByRole('button', { name: '予約可能', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await panel.getByRole('button', { name: '未登録', exact: true }).click();
  await expect(panel.getByRole('button', { name: '未登録', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByRole('status')).toContainText('未登録');
  await checkAxe(page, 'home (site)');

  await page.goto(`/sites/${siteId}`);
  await expect(page.getByRole('table', { name: '医師情報' })).toContainText('接種 一郎');
  await checkAxe(page, '医療機関・接種会場の詳細');
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の編集' })).toBeVisible();
  // 未登録 is one of the choices of 予約空き状況.
  const status = page.getByRole('combobox', { name: /^予約空き状況/ });
  await expect(status.locator('option', { hasText: '未登録' })).toHaveCount(1);
  await expect(status).toHaveValue('unregistered');
  await checkAxe(page, '編集');
  await page.goto(`/sites/${siteId}/doctors/${doctor.id}`);
  await expect(page.getByRole('heading', { name: '医師情報の編集' })).toBeVisible();
  await checkAxe(page, '医師情報の編集');
  await page.goto(`/sites/${siteId}/doctors/new`);
  await expect(page.getByRole('heading', { name: '新規医師情報' })).toBeVisible();
  await checkAxe(page, '新規医師情報');

  // The municipality: home, its requests, one request, its sites, 代理入力, its users.
  const muni = await tabletPage(browser);
  await loginWithFreshTotp(muni, 'chiyoda');
  await checkAxe(muni, 'home (municipality)');
  await muni.goto('/requests');
  await expect(muni.getByRole('heading', { name: '市町村内の医療機関からの情報変更申請一覧（申請中のみ）' })).toBeVisible();
  await expect(muni.getByRole('link', { name: '開く 千代田区A病院' })).toBeVisible();
  await checkAxe(muni, '情報変更申請一覧');
  await muni.getByRole('link', { name: '開く 千代田区A病院' }).click();
  await expect(muni.getByRole('button', { name: '承認', exact: true })).toBeVisible();
  await checkAxe(muni, '情報変更申請');
  await muni.goto('/sites?m=131016');
  await expect(muni.getByRole('button', { name: '代理入力' }).first()).toBeVisible();
  await checkAxe(muni, '医療機関・接種会場一覧 (municipality)');
  expect.soft(await shortTargets(muni, '.table td a'), 'site list links').toEqual([]);
  await muni.getByRole('row').filter({ has: muni.getByRole('link', { name: '千代田区Bクリニック', exact: true }) }).getByRole('button', { name: '代理入力' }).click();
  await expect(muni.getByText('千代田区Bクリニック').first()).toBeVisible();
  await muni.waitForLoadState('networkidle');
  await muni.goto('/users');
  await expect(muni.getByRole('heading', { name: 'ユーザ一覧' })).toBeVisible();
  await checkAxe(muni, 'ユーザ一覧 (municipality)');
  await muni.close();

  // The administrator reads the 代理入力 and the status changes in the words users know.
  const admin = await tabletPage(browser);
  await loginWithFreshTotp(admin, 'admin');
  await admin.goto('/audit');
  const log = admin.getByRole('table');
  await expect(log.getByRole('row').nth(1)).toBeVisible();
  const acting = log.getByRole('row').filter({ hasText: 'chiyoda' }).filter({ hasText: '代理入力' }).first();
  await expect.soft(acting, '代理入力 row').toContainText('千代田区Bクリニック');
  const statusRow = log.getByRole('row').filter({ hasText: 'site-a' }).filter({ hasText: '予約空き状況' }).first();
  await expect.soft(statusRow, 'status row').toContainText('予約可能');
  await expect.soft(statusRow, 'status row').toContainText('未登録');
  await expect.soft(statusRow, 'status row').toContainText('医療機関・接種会場');
  await expect.soft(log.getByRole('row').filter({ hasText: 'site-a' }).filter({ hasText: '駐車場(例:10台)' }).first(), 'parking row').toContainText('12');
  for (const raw of ['acting_for_site_id', 'reservation_status', 'parking', 'unregistered', 'available']) {
    await expect.soft(log.getByText(raw, { exact: true }), raw).toHaveCount(0);
  }
  await admin.screenshot({ path: 'test-results/screens/32-audit-labels.png', fullPage: true });
  await checkAxe(admin, '監査ログ');
  await admin.close();
});

test('the other roles\' pages pass axe-core; table links are finger-sized; ユーザ一覧 fits an upright tablet', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await loginWithFreshTotp(page, 'admin');
  await checkAxe(page, 'home (admin)');
  await page.goto('/users/new');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await checkAxe(page, 'ID発行');
  await page.goto('/sites/' + (await call<{ id: number }[]>(page, 'list_sites', { municipality: '131016' }))[0].id);
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  await checkAxe(page, '医療機関・接種会場の詳細 (admin)');

  // ユーザ一覧 on an upright tablet: every action button is on screen, nothing scrolls sideways.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'ユーザ一覧' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'リンク再送信' }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  const offscreen = await page.locator('table button').evaluateAll((buttons) => buttons
    .map((b) => b.getBoundingClientRect())
    .filter((r) => r.left < 0 || r.right > window.innerWidth).length);
  expect.soft(offscreen, 'action buttons outside the 768 px viewport').toBe(0);
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(pageWidth, 'page width at 768 px').toBeLessThanOrEqual(768);
  await page.screenshot({ path: 'test-results/screens/33-users-portrait.png', fullPage: true });
  await checkAxe(page, 'ユーザ一覧 (768 px)');
  await page.setViewportSize({ width: 1024, height: 768 });
  await checkAxe(page, 'ユーザ一覧 (1024 px)');

  // The prefecture: home and 都道府県管内の市町村一覧, whose every link is finger-sized.
  const pref = await tabletPage(browser);
  await loginWithTotp(pref, 'tokyo');
  await checkAxe(pref, 'home (prefecture)');
  await pref.goto('/municipalities');
  await expect(pref.locator('.table td a').first()).toBeVisible();
  expect.soft(await pref.locator('.table td a').count()).toBeGreaterThan(60);
  expect.soft(await shortTargets(pref, '.table td a'), '都道府県管内の市町村一覧 links').toEqual([]);
  await checkAxe(pref, '都道府県管内の市町村一覧');
  await pref.goto('/sites?m=131016');
  await expect(pref.locator('.table td a').first()).toBeVisible();
  await checkAxe(pref, '医療機関・接種会場一覧 (prefecture)');
  await pref.close();

  const national = await tabletPage(browser);
  await loginWithTotp(national, 'mhlw');
  await checkAxe(national, 'home (national)');
  await national.close();

  const supplier = await tabletPage(browser);
  await loginWithMail(supplier, 'supplier');
  await expect(supplier.getByRole('heading', { name: 'ホーム' })).toBeVisible();
  await checkAxe(supplier, 'home (supplier)');
  await supplier.close();
});
