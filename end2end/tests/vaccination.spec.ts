import { test, expect } from '@playwright/test';
import { checkAxe, loginSite, loginWithMail, loginWithTotp, totp } from './support';

// The tablet the clinic staff use, upright. This file runs after supply.spec.ts, whose 第2クール
// leaves site-a (千代田区A病院, ファイザー社) with received vials.
test.use({ viewport: { width: 768, height: 1024 } });

function jstDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

test('site-a registers two days of 接種実績 as cumulatives, corrects a typing error, and 千代田区 sees it registered', async ({ page, browser }) => {
  const now = Date.now();
  const yesterday = jstDate(new Date(now - 86400_000));
  const today = jstDate(new Date(now));

  // ホーム: the large 接種実績の登録 button says today's record is not in yet.
  await loginSite(page);
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  const button = page.getByRole('link', { name: /^接種実績の登録/ });
  await expect(button).toContainText('本日の接種実績はまだ登録されていません。');
  await button.click();
  await expect(page.getByRole('heading', { name: '接種実績', exact: true })).toBeVisible();

  // Yesterday: the grid starts from the last cumulative (none: zeros) and shows the day's
  // difference as the nurse types.
  const pfizer = page.getByRole('group', { name: 'ファイザー社' });
  await page.getByLabel('接種日').fill(yesterday);
  const elderly = pfizer.getByLabel('1回目 高齢者', { exact: true });
  const elderlyCell = pfizer.getByRole('cell').filter({ has: page.getByLabel('1回目 高齢者', { exact: true }) });
  await expect(elderly).toHaveValue('0');
  await elderly.fill('12');
  await expect(elderlyCell).toContainText('当日 +12');
  await pfizer.getByLabel('1回目 医療従事者').fill('３');
  await expect(pfizer.getByRole('row', { name: /^1回目/ })).toContainText('15（当日 +15）');
  await page.getByRole('button', { name: '登録', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '接種実績を登録しました。' })).toBeVisible();

  // Today: 20 elderly in all, 8 more than yesterday; 4 people had their 2回目.
  await page.getByLabel('接種日').fill(today);
  await elderly.fill('20');
  await expect(elderlyCell).toContainText('当日 +8');
  await pfizer.getByLabel('2回目 高齢者', { exact: true }).fill('4');
  await page.getByRole('button', { name: '登録', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '接種実績を登録しました。' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '本日の接種実績は登録済みです。' })).toBeVisible();
  const history = page.getByRole('region', { name: 'ファイザー社 — 登録の履歴' });
  await expect(history.getByRole('row').filter({ hasText: yesterday })).toContainText('+15');
  await expect(history.getByRole('row').filter({ hasText: today })).toContainText('+12');
  await expect(history.getByRole('img', { name: /接種人数の推移/ })).toBeVisible();
  await expect(history.getByRole('row', { name: /^差/ })).toBeVisible();

  // 20 was a typing error for 19: a lower cumulative asks first, then is stored as a correction.
  await elderly.fill('19');
  await expect(elderlyCell).toContainText('当日 +7');
  await page.getByRole('button', { name: '登録', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '前回より少ない累計を登録しますか？' });
  await expect(dialog).toBeVisible();
  await expect(elderlyCell).toContainText('前回の累計（20人）より少なくなっています。');
  await checkAxe(page, '接種実績（訂正の確認）');
  await dialog.getByRole('button', { name: '訂正として登録' }).click();
  await expect(page.getByRole('status').filter({ hasText: '接種実績を登録しました。' })).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: today })).toContainText('+11');
  await checkAxe(page, '接種実績');

  // The vials came off the stock as 接種使用.
  await page.getByRole('link', { name: '在庫・移送' }).click();
  await expect(page.getByRole('region', { name: '在庫の記録' }).getByRole('row').filter({ hasText: '接種使用' }).first()).toBeVisible();

  // 千代田区: its ホーム and 接種実績の登録状況 show A病院 registered for the last day.
  const muniContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const muni = await muniContext.newPage();
  await loginWithTotp(muni, 'chiyoda');
  const missing = muni.getByRole('region', { name: '接種実績が未登録の医療機関' });
  await expect(missing).toContainText(`最終接種日: ${today}`);
  await expect(missing).not.toContainText('千代田区A病院');
  await muni.getByRole('link', { name: '接種実績の登録状況' }).click();
  await expect(muni.getByRole('row').filter({ hasText: '千代田区A病院' })).toContainText('登録済');
  await checkAxe(muni, '接種実績の登録状況');
  await muniContext.close();
});

test('千代田区 registers and rejects 住所地外接種 applications (R300); 港区, where the applicant lives, reads them without the phone number', async ({ page, browser }) => {
  await loginWithTotp(page, 'chiyoda');
  await page.getByRole('link', { name: '住所地外接種の申請状況' }).click();
  await expect(page.getByRole('heading', { name: 'R300 住所地外接種の申請状況一覧' })).toBeVisible();
  const form = page.getByRole('region', { name: '住所地外接種の申請の登録' });
  await form.getByLabel('申請者氏名').fill('住所外 花子');
  await form.getByLabel('生年月日').fill('1950-05-05');
  await form.getByLabel('電話番号').fill('090-1234-5678');
  // 千代田区 itself is not a 住所地 for this application: a field error, in Japanese.
  await form.getByLabel('住所地（都道府県）').selectOption('13');
  await form.getByLabel('住所地（市区町村）').selectOption('131016');
  await form.getByLabel('理由', { exact: true }).selectOption('birth_at_home');
  await form.getByRole('button', { name: '申請を登録' }).click();
  await expect(form.getByText('住所地が自市区町村です。')).toBeVisible();
  await form.getByLabel('住所地（市区町村）').selectOption('131032');
  await form.getByRole('button', { name: '申請を登録' }).click();
  await expect(page.getByRole('status').filter({ hasText: '申請を登録しました。' })).toBeVisible();
  const list = page.getByRole('region', { name: '受付した申請' });
  const row = list.getByRole('row').filter({ hasText: '住所外 花子' });
  await expect(row).toContainText('東京都港区');
  await expect(row).toContainText('受付');
  await row.getByLabel('却下理由（住所外 花子）').fill('住所地で接種可能');
  await row.getByRole('button', { name: '却下 住所外 花子' }).click();
  await expect(page.getByRole('status').filter({ hasText: '申請の状況を更新しました。' })).toBeVisible();
  await expect(list.getByRole('row').filter({ hasText: '住所外 花子' })).toContainText('却下（住所地で接種可能）');
  await checkAxe(page, 'R300 住所地外接種の申請状況一覧');

  const minatoContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const minato = await minatoContext.newPage();
  await loginWithTotp(minato, 'minato');
  await minato.goto('/out-of-area');
  const residents = minato.getByRole('region', { name: '住民の申請（他の市区町村で受付）' });
  const theirs = residents.getByRole('row').filter({ hasText: '住所外 花子' });
  await expect(theirs).toContainText('千代田区');
  await expect(theirs).not.toContainText('090-1234-5678');
  await minatoContext.close();
});

// Last in this file (and in the suite): from here on site-a needs its authenticator app.
test('千代田区 approves site-a\'s 代行入力フラグ = 要; site-a sets 予約受付枠; 千代田区 books three people, one on a full slot first; site-a reads R305 予約者一覧, 東京都 cannot', async ({ page: firstPage, browser }) => {
  let page = firstPage;
  // 千代田区 first settles whatever site-a still has pending (an earlier spec leaves a request, and
  // a pending request locks every field that needs approval).
  const muniContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const muni = await muniContext.newPage();
  await loginWithTotp(muni, 'chiyoda');
  const approveSiteA = async (check?: RegExp) => {
    await muni.getByRole('link', { name: 'ホーム', exact: true }).click();
    await muni.getByRole('link', { name: /情報変更申請一覧/ }).first().click();
    await expect(muni.getByRole('heading', { name: '市町村内の医療機関からの情報変更申請一覧（申請中のみ）' })).toBeVisible();
    const open = muni.getByRole('link', { name: '開く 千代田区A病院' });
    // Wait for the list itself (a row of some site, or the empty message) before asking.
    await expect(muni.getByRole('link', { name: /^開く / }).or(muni.getByText('申請中の情報変更申請はありません。')).first()).toBeVisible();
    if (!check && (await open.count()) === 0) return;
    await open.click();
    if (check) await expect(muni.getByRole('row', { name: check })).toContainText('要');
    await muni.getByRole('button', { name: '承認', exact: true }).click();
    await expect(muni.getByRole('status').filter({ hasText: '申請を承認しました' })).toBeVisible();
  };
  await approveSiteA();

  // site-a asks for 代行入力フラグ = 要 (a field 千代田区 must approve); 千代田区 approves it.
  await loginSite(page);
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await page.getByRole('radiogroup', { name: '代行入力フラグ' }).getByRole('radio', { name: '要', exact: true }).check();
  await page.getByRole('button', { name: '申請・保存' }).click();
  await expect(page.getByRole('heading', { name: /市町村の承認待ちの申請があります/ })).toBeVisible();
  await approveSiteA(/代行入力フラグ/);

  // The site now handles personal data: at its next login it must enrol an authenticator app.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  const siteContext = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  page = await siteContext.newPage();
  await loginWithMail(page, 'site-a');
  await expect(page.getByRole('heading', { name: '認証アプリの登録' })).toBeVisible();
  await expect(page.getByRole('button', { name: '後で設定する' })).toHaveCount(0);
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('認証アプリのコード').fill(totp(secret));
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { name: '回復コード' })).toBeVisible();
  await page.getByRole('button', { name: '次へ' }).click();

  // 予約受付枠の設定 for today: 2 people at 9:00, 1 at 10:00.
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  await page.getByRole('link', { name: '予約受付枠の設定' }).click();
  await expect(page.getByRole('heading', { name: '予約受付枠の設定', level: 1 })).toBeVisible();
  await page.getByLabel('9:00〜10:00 人数/時間').fill('2');
  await page.getByLabel('10:00〜11:00 人数/時間').fill('x');
  await expect(page.getByRole('alert').filter({ hasText: '0以上の整数で入力してください。' })).toBeVisible();
  await page.getByLabel('10:00〜11:00 人数/時間').fill('1');
  await page.getByRole('button', { name: '予約受付枠を保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '予約受付枠を保存しました。' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/40-slots.png', fullPage: true });
  await checkAxe(page, '予約受付枠の設定');

  // 千代田区 books: two at 9:00, a third there is refused (満員), then at 10:00.
  await muni.getByRole('link', { name: 'ホーム', exact: true }).click();
  await muni.getByRole('link', { name: '予約受付支援' }).click();
  await muni.getByRole('link', { name: '予約者一覧 千代田区A病院' }).click();
  await expect(muni.getByRole('heading', { name: 'R305 予約者一覧' })).toBeVisible();
  const form = muni.getByRole('region', { name: '予約の登録' });
  const person = async (hour: string, name: string, kana: string, ticket: string) => {
    await form.getByLabel('予約時間').selectOption(hour);
    await form.getByLabel('氏名', { exact: true }).fill(name);
    await form.getByLabel('ふりがな').fill(kana);
    await form.getByLabel('生年月日').fill('1945-04-01');
    await form.getByLabel('電話番号').fill('03-3333-4444');
    await form.getByLabel('接種券番号').fill(ticket);
    await form.getByLabel('1回目').check();
    await form.getByRole('button', { name: '予約を登録' }).click();
  };
  await person('9', '予約 一郎', 'よやく いちろう', '1000000001');
  await expect(muni.getByRole('status').filter({ hasText: '予約を登録しました。' })).toBeVisible();
  await person('9', '予約 二郎', 'よやく じろう', '1000000002');
  await expect(muni.getByRole('row').filter({ hasText: '予約 二郎' })).toBeVisible();
  await person('9', '予約 三郎', 'よやく さぶろう', '1000000003');
  await expect(form.getByText('この時間の予約受付枠は満員です。')).toBeVisible();
  await expect(form.getByLabel('氏名', { exact: true })).toHaveValue('予約 三郎');
  await form.getByLabel('予約時間').selectOption('10');
  await form.getByRole('button', { name: '予約を登録' }).click();
  await expect(muni.getByRole('row').filter({ hasText: '予約 三郎' })).toContainText('10:00〜11:00');
  await muni.screenshot({ path: 'test-results/screens/41-bookings-municipality.png', fullPage: true });
  await checkAxe(muni, 'R305 予約者一覧（市町村）');

  // site-a reads 予約者一覧 (printable), with all three.
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  await page.getByRole('link', { name: '予約者一覧', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'R305 予約者一覧' })).toBeVisible();
  for (const name of ['予約 一郎', '予約 二郎', '予約 三郎']) {
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('1000000');
  }
  await expect(page.getByRole('button', { name: '印刷' })).toBeVisible();
  await expect(page.getByRole('region', { name: '予約の登録' })).toHaveCount(0);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: 'test-results/screens/42-bookings-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await checkAxe(page, 'R305 予約者一覧');
  const listUrl = new URL(page.url()).pathname;

  // 東京都 may not read it.
  const tokyoContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const tokyo = await tokyoContext.newPage();
  await loginWithTotp(tokyo, 'tokyo');
  await tokyo.goto(listUrl);
  await expect(tokyo.getByRole('alert').filter({ hasText: 'この操作を行う権限がありません。' })).toBeVisible();
  await expect(tokyo.getByText('予約 一郎')).toHaveCount(0);
  await tokyoContext.close();
  await muniContext.close();
  await siteContext.close();
});
