import { test, expect, type Locator } from '@playwright/test';
import { checkAxe, loginSite, loginWithMail, loginWithTotp } from './support';

// The tablet the clinic staff use, upright.
test.use({ viewport: { width: 768, height: 1024 } });

/** A moment as the cool form takes it: 2026-04-01 09:00 in Japan time. */
function jstMinute(at: Date): string {
  const jst = new Date(at.getTime() + 9 * 3600_000);
  return jst.toISOString().slice(0, 16).replace('T', ' ');
}

/** The 在庫（バイアル） cell of a lot in a stock table. */
function held(table: Locator, lot: string): Locator {
  return table.getByRole('row').filter({ hasText: lot }).getByRole('cell').nth(3);
}

function jstDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

test('a national user opens a cool, site-a registers its 希望量 from ホーム, and 千代田区 registers for a clinic that had not', async ({ page, browser }) => {
  // 国: クール一覧 → クールの作成, with a field error for a window that ends before it starts.
  await loginWithTotp(page, 'mhlw');
  await page.getByRole('link', { name: 'クール', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'クール一覧' })).toBeVisible();
  const now = Date.now();
  await page.getByLabel('クール名（例: 第5クール）').fill('第4クール');
  await page.getByRole('combobox', { name: /^ワクチン/ }).selectOption('pfizer');
  await page.getByLabel('供給量（箱）').fill('２４０');
  await page.getByLabel('希望量登録期間（開始）').fill(jstMinute(new Date(now - 3600_000)));
  await page.getByLabel('希望量登録期間（締切）').fill(jstMinute(new Date(now - 7200_000)));
  await page.getByLabel('納入期間（開始）').fill(jstDate(new Date(now + 10 * 86400_000)));
  await page.getByLabel('納入期間（終了）').fill(jstDate(new Date(now + 20 * 86400_000)));
  await page.getByRole('button', { name: '作成', exact: true }).click();
  await expect(page.locator('#cool-closes-error')).toHaveText('開始より後の日時を入力してください。');
  await page.getByLabel('希望量登録期間（締切）').fill(jstMinute(new Date(now + 3 * 86400_000)));
  await page.getByRole('button', { name: '作成', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'クールを作成しました。' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: '第4クール' });
  await expect(row).toContainText('希望量受付中');
  await expect(row).toContainText('240');
  await checkAxe(page, 'クール一覧');

  // site-a: ホーム shows the large 希望量の登録 button with 締切 and the days left.
  const siteContext = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const site = await siteContext.newPage();
  await loginSite(site);
  await site.getByRole('link', { name: 'ホーム', exact: true }).click();
  const button = site.getByRole('link', { name: /希望量の登録.*第4クール.*締切.*あと3日/ });
  await expect(button).toContainText('未登録');
  await button.click();
  const boxes = site.getByLabel('希望量（箱）');
  await boxes.fill('十二');
  await boxes.blur();
  await expect(site.locator('#request-boxes-error')).toHaveText('0以上の整数で入力してください。');
  await boxes.fill('１２');
  await expect(site.locator('#request-boxes-error')).toBeEmpty();
  await expect(site.locator('#request-boxes-hint')).toHaveText('12 箱 = 2340 バイアル = 14040 回分');
  await site.getByRole('button', { name: '登録', exact: true }).click();
  await expect(site.getByRole('status').filter({ hasText: '希望量を登録しました。' })).toBeVisible();
  await expect(site.getByRole('status').filter({ hasText: '登録済みの希望量: 12 箱' })).toBeVisible();
  await checkAxe(site, '希望量の登録');
  await siteContext.close();

  // 千代田区: ホーム lists the basic sites that have not registered; it registers for one.
  const muniContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const muni = await muniContext.newPage();
  await loginWithTotp(muni, 'chiyoda');
  const panel = muni.getByRole('region', { name: /第4クール/ });
  await expect(panel).toContainText('希望量が未登録の基本型医療機関: 2 / 3');
  await panel.getByRole('link', { name: '千代田区Bクリニック' }).click();
  await muni.getByLabel('希望量（箱）').fill('3');
  await muni.getByRole('button', { name: '登録', exact: true }).click();
  await expect(muni.getByRole('status').filter({ hasText: '（市町村による代理入力）' })).toBeVisible();
  await muni.getByRole('link', { name: 'クール一覧へ戻る' }).click();
  const table = muni.getByRole('table', { name: /医療機関・接種会場別の希望量/ });
  await expect(table.getByRole('row').filter({ hasText: '千代田区A病院' })).toContainText('12');
  await expect(table.getByRole('row').filter({ hasText: '千代田区Bクリニック' })).toContainText('3');
  await expect(table.getByRole('row').filter({ hasText: '千代田区C診療所' })).toContainText('未登録');
  await expect(table.getByRole('row').filter({ hasText: '合計' })).toContainText('15');
  await muniContext.close();
});

test('the supplier registers a lot, and a national user edits the vaccine master and sets the wholesalers\' areas', async ({ page }) => {
  await loginWithMail(page, 'supplier');
  await page.getByRole('link', { name: '納入ロット', exact: true }).click();
  await page.getByRole('combobox', { name: /^ワクチン/ }).selectOption('moderna');
  await page.getByLabel('ロット番号').fill('ｆａ７４８４');
  await page.getByLabel('有効期限').fill('2099-12-31');
  await page.getByRole('button', { name: '登録', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '納入ロットを登録しました。' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'FA7484' })).toContainText('2099-12-31');
  // The same number again for the same vaccine: refused next to the field, nothing lost.
  await page.getByRole('combobox', { name: /^ワクチン/ }).selectOption('moderna');
  await page.getByLabel('ロット番号').fill('FA7484');
  await page.getByLabel('有効期限').fill('2099-11-30');
  await page.getByRole('button', { name: '登録', exact: true }).click();
  await expect(page.locator('#lot-lot_number-error')).toHaveText('このロット番号は、このワクチンで既に登録されています。');
  await expect(page.getByLabel('有効期限')).toHaveValue('2099-11-30');
  await checkAxe(page, '納入ロット');

  const national = await page.context().browser()!.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const mhlw = await national.newPage();
  await loginWithTotp(mhlw, 'mhlw');
  await mhlw.getByRole('link', { name: 'ワクチン・針・シリンジマスタ', exact: true }).click();
  await mhlw.getByRole('button', { name: '編集 アストラゼネカ社' }).click();
  await mhlw.getByLabel('1バイアルあたり針（本）').fill('11');
  await mhlw.getByRole('button', { name: '保存', exact: true }).click();
  await expect(mhlw.getByRole('status').filter({ hasText: 'ワクチン・針・シリンジマスタを保存しました。' })).toBeVisible();
  await expect(mhlw.getByRole('row').filter({ hasText: 'アストラゼネカ社' })).toContainText('11');
  await checkAxe(mhlw, 'ワクチン・針・シリンジマスタ');

  // 製薬メーカー・卸: a new wholesaler for 港区; the demo one already serves 千代田区.
  await mhlw.getByRole('link', { name: '製薬メーカー・卸', exact: true }).click();
  await expect(mhlw.getByRole('heading', { name: '製薬メーカー・卸と担当地域' })).toBeVisible();
  const areas = mhlw.getByRole('table', { name: '製薬メーカー・卸と担当地域' });
  await expect(areas.getByRole('row').filter({ hasText: 'さくら医薬品卸（デモ）' })).toContainText('千代田区');
  const supplierForm = mhlw.getByRole('region', { name: '製薬メーカー・卸の登録' });
  await supplierForm.getByLabel('名称（製薬メーカー・卸）').fill('さくら医薬品卸（デモ）');
  await supplierForm.getByRole('button', { name: '登録', exact: true }).click();
  await expect(mhlw.locator('#supplier-name-error')).toHaveText('この名前は既に使われています。');
  await supplierForm.getByLabel('名称（製薬メーカー・卸）').fill('つばき薬品');
  await supplierForm.getByRole('button', { name: '登録', exact: true }).click();
  await expect(mhlw.getByRole('status').filter({ hasText: '製薬メーカー・卸を登録しました。' })).toBeVisible();
  const areaForm = mhlw.getByRole('region', { name: '担当地域の追加' });
  await areaForm.getByLabel('製薬メーカー・卸').selectOption({ label: 'さくら医薬品卸（デモ）' });
  await areaForm.getByLabel('市区町村', { exact: true }).selectOption({ label: '千代田区' });
  await areaForm.getByRole('button', { name: '追加', exact: true }).click();
  await expect(mhlw.locator('#area-municipality-error')).toHaveText('この製薬メーカー・卸は、この地域を既に担当しています。');
  await areaForm.getByLabel('製薬メーカー・卸').selectOption({ label: 'つばき薬品' });
  await areaForm.getByLabel('市区町村', { exact: true }).selectOption({ label: '港区' });
  await areaForm.getByRole('button', { name: '追加', exact: true }).click();
  await expect(mhlw.getByRole('status').filter({ hasText: '担当地域を追加しました。' })).toBeVisible();
  await expect(areas.getByRole('row').filter({ hasText: 'つばき薬品' })).toContainText('港区');
  await checkAxe(mhlw, '製薬メーカー・卸と担当地域');
  await mhlw.getByRole('button', { name: '担当から外す つばき薬品 港区' }).click();
  await expect(mhlw.getByRole('status').filter({ hasText: '担当地域から外しました。' })).toBeVisible();
  await expect(areas.getByRole('row').filter({ hasText: 'つばき薬品' })).toHaveCount(0);
  await national.close();
});

test('第2クール goes the whole way: allocated to the sites, locked, delivered in two lots, received, transferred to the satellite, which confirms it, and partly wasted', async ({ page, browser }) => {
  // 国: the national table, the proposal pro rata to the requests, saved.
  await loginWithTotp(page, 'mhlw');
  await page.getByRole('link', { name: 'クール', exact: true }).click();
  await page.getByRole('link', { name: '第2クール', exact: true }).click();
  await page.getByRole('link', { name: '分配', exact: true }).click();
  const national = page.getByRole('table', { name: '分配 — 全国' });
  await expect(national.getByRole('row')).toHaveCount(48);
  await page.getByRole('button', { name: '提案を反映' }).click();
  const tokyoBoxes = page.getByLabel('分配量（箱） 東京都');
  const tokyoProposal = await national.getByRole('row').filter({ hasText: '東京都' }).getByRole('cell').nth(1).textContent();
  await expect(tokyoBoxes).toHaveValue(tokyoProposal!.trim());
  // Over the supply: refused at the total, what was typed stays.
  await page.getByLabel('分配量（箱） 大阪府').fill('1000');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.locator('#allocation-total-error')).toHaveText('分配量の合計が、分配された 400 箱を超えています。');
  await expect(page.getByLabel('分配量（箱） 大阪府')).toHaveValue('1000');
  await page.getByLabel('分配量（箱） 大阪府').fill('0');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '分配量を保存しました。' })).toBeVisible();
  await checkAxe(page, '分配（全国）');

  // 東京都 → its municipalities; 千代田区 → its sites.
  const tokyoContext = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const tokyo = await tokyoContext.newPage();
  await loginWithTotp(tokyo, 'tokyo');
  await tokyo.goto(page.url());
  await expect(tokyo.getByRole('heading', { name: '分配 — 東京都' })).toBeVisible();
  await tokyo.getByRole('button', { name: '提案を反映' }).click();
  await tokyo.getByRole('button', { name: '保存', exact: true }).click();
  await expect(tokyo.getByRole('status').filter({ hasText: '分配量を保存しました。' })).toBeVisible();

  const muniContext = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const muni = await muniContext.newPage();
  await loginWithTotp(muni, 'chiyoda');
  await muni.goto(page.url());
  await expect(muni.getByRole('heading', { name: '分配 — 千代田区' })).toBeVisible();
  await muni.getByRole('button', { name: '提案を反映' }).click();
  await muni.getByRole('button', { name: '保存', exact: true }).click();
  await expect(muni.getByRole('status').filter({ hasText: '分配量を保存しました。' })).toBeVisible();
  const allocatedToA = await muni.getByLabel('分配量（箱） 千代田区A病院').inputValue();

  // site-a sees no 分配量 until 東京都 locks the data.
  const siteContext = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const site = await siteContext.newPage();
  await loginSite(site);
  await site.getByRole('link', { name: 'クール', exact: true }).click();
  await site.getByRole('link', { name: '第2クール', exact: true }).click();
  await expect(site.getByRole('status').filter({ hasText: '登録済みの希望量' })).toBeVisible();
  await expect(site.getByText(/^分配量:/)).toHaveCount(0);

  await tokyo.getByRole('button', { name: 'データロック', exact: true }).click();
  await expect(tokyo.getByRole('status').filter({ hasText: 'データロックしました。' })).toBeVisible();
  await expect(tokyo.getByRole('button', { name: 'ロック解除' })).toBeVisible();
  // The municipality's table is fixed now: no inputs, and the page says why.
  await muni.reload();
  await expect(muni.getByRole('status').filter({ hasText: 'データロック中' })).toBeVisible();
  await expect(muni.getByLabel('分配量（箱） 千代田区A病院')).toHaveCount(0);

  await site.reload();
  await expect(site.getByText(`分配量: ${allocatedToA} 箱`)).toBeVisible();
  await checkAxe(site, '分配量（医療機関）');

  // The wholesaler: 納入予定日 inside the delivery weeks (they began 14 days ago), then two lots.
  const supplierContext = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const supplier = await supplierContext.newPage();
  await loginWithMail(supplier, 'supplier');
  await supplier.getByRole('link', { name: 'クール', exact: true }).click();
  await supplier.getByRole('link', { name: '第2クール', exact: true }).click();
  await supplier.getByRole('link', { name: '納入予定日・納入' }).click();
  const rowA = supplier.getByRole('row').filter({ has: supplier.getByRole('cell', { name: '千代田区A病院', exact: true }) });
  await expect(rowA).toContainText('未登録');
  const now = Date.now();
  await supplier.getByLabel('納入予定日（千代田区A病院）').fill(jstDate(new Date(now - 20 * 86400_000)));
  await rowA.getByRole('button', { name: '登録' }).click();
  await expect(supplier.getByText(/納入予定日は納入期間（.*）の日付を入力してください。/)).toBeVisible();
  await supplier.getByLabel('納入予定日（千代田区A病院）').fill(jstDate(new Date(now - 10 * 86400_000)));
  await rowA.getByRole('button', { name: '登録' }).click();
  await expect(supplier.getByRole('status').filter({ hasText: '納入予定日を登録しました。' })).toBeVisible();
  await expect(rowA).toContainText('納入予定日登録済');
  const vials = Number(allocatedToA) * 195;
  const form = supplier.locator('form.ship-form');
  await expect(form.getByRole('heading', { name: '納入の登録（千代田区A病院）' })).toBeVisible();
  await form.getByLabel('納入日').fill(jstDate(new Date(now)));
  await form.getByLabel('ロット番号 1').selectOption('FF2153');
  await form.getByLabel('バイアル本数 1').fill(String(vials - 20));
  await form.getByLabel('ロット番号 2').selectOption('EW4811');
  await form.getByLabel('バイアル本数 2').fill('20');
  await form.getByRole('button', { name: '納入を登録' }).click();
  await expect(supplier.getByRole('status').filter({ hasText: '納入を登録しました。' })).toBeVisible();
  await expect(rowA).toContainText('納入済');
  await checkAxe(supplier, '納入予定日・納入');

  // site-a: 受領確認 puts the vials in its stock; EW4811 expires within 14 days.
  await site.getByRole('link', { name: '在庫', exact: true }).click();
  await site.getByRole('button', { name: '受領確認' }).click();
  await expect(site.getByRole('status').filter({ hasText: '受領を確認しました。' })).toBeVisible();
  const lots = site.getByRole('region', { name: '在庫（ロット別）' });
  await expect(held(lots, 'FF2153')).toHaveText(String(vials - 20));
  await expect(lots.getByRole('row').filter({ hasText: 'EW4811' })).toContainText('期限間近');

  // A transfer of 5 vials to its satellite D接種会場: they leave at once.
  const transfer = site.getByRole('region', { name: '移送・融通の登録' });
  const target = transfer.getByLabel('移送先の医療機関');
  const satelliteId = await target.locator('option', { hasText: '千代田区D接種会場' }).getAttribute('value');
  await target.selectOption(satelliteId!);
  const lotSelect = transfer.getByLabel('ロット番号');
  await lotSelect.selectOption((await lotSelect.locator('option', { hasText: 'FF2153' }).getAttribute('value'))!);
  await transfer.getByLabel('バイアル本数').fill('5');
  await transfer.getByLabel('日付').fill(jstDate(new Date(now)));
  await transfer.getByRole('button', { name: '移送を登録' }).click();
  await expect(site.getByRole('status').filter({ hasText: '移送を登録しました。' })).toBeVisible();
  await expect(held(lots, 'FF2153')).toHaveText(String(vials - 25));
  // The site may hold older transfers to the same satellite (the national data set's, when a
  // test loaded it): the one sent today is the one in transit.
  const sentToday = site.getByRole('region', { name: '移送・融通の一覧' }).getByRole('row')
    .filter({ hasText: '千代田区D接種会場' }).filter({ hasText: jstDate(new Date(now)) });
  await expect(sentToday).toContainText('未受領');

  // The satellite D接種会場 registers the receipt itself: the 5 vials are its own now, and
  // 千代田区 sees the same on the satellite's 在庫 page.
  const satelliteContext = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const satellitePage = await satelliteContext.newPage();
  await loginWithMail(satellitePage, 'site-d');
  await satellitePage.getByRole('link', { name: '在庫', exact: true }).click();
  await expect(satellitePage.getByRole('region', { name: '移送・融通の一覧' }).getByRole('row')
    .filter({ hasText: jstDate(new Date(now)) })).toContainText('未受領');
  await satellitePage.getByRole('button', { name: '受領', exact: true }).click();
  await expect(satellitePage.getByRole('status').filter({ hasText: '移送の受領を登録しました。' })).toBeVisible();
  await expect(held(satellitePage.getByRole('region', { name: '在庫（ロット別）' }), 'FF2153')).toHaveText('5');
  await satelliteContext.close();
  await muni.goto(`/sites/${satelliteId}/stock`);
  await expect(held(muni.getByRole('region', { name: '在庫（ロット別）' }), 'FF2153')).toHaveText('5');

  // site-a wastes a vial that broke: the balance is what was received − sent − wasted.
  const waste = site.getByRole('region', { name: '廃棄の登録' });
  const wasteLot = waste.getByLabel('ロット番号');
  await wasteLot.selectOption((await wasteLot.locator('option', { hasText: 'FF2153' }).getAttribute('value'))!);
  await waste.getByLabel('廃棄バイアル本数').fill('1');
  await waste.getByLabel('廃棄日').fill(jstDate(new Date(now)));
  await waste.getByLabel('廃棄理由').selectOption('damaged');
  await waste.getByRole('button', { name: '廃棄を登録' }).click();
  await expect(site.getByRole('status').filter({ hasText: '廃棄を登録しました。' })).toBeVisible();
  await expect(held(lots, 'FF2153')).toHaveText(String(vials - 26));
  await expect(site.getByRole('region', { name: '在庫の記録' }).getByRole('row').filter({ hasText: '廃棄' })).toContainText('-1');
  await checkAxe(site, '在庫・移送・廃棄');
  await Promise.all([tokyoContext.close(), muniContext.close(), siteContext.close(), supplierContext.close()]);
});
