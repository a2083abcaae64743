import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkAxe, loginSite, loginWithTotp } from './support';

// Named to run after site-record.spec.ts, which completes site-a's record (a change request
// needs a complete record), and before vaccination.spec.ts enrols site-a's authenticator app.

// The clinic's billing clerk on the tablet, upright.
test.use({ viewport: { width: 768, height: 1024 } });

const SCREENS = path.join(__dirname, '..', 'test-results', 'screens');

/** The month billed now (the previous one, in Japan) and the 16th of it, the code-change day. */
function billedMonth(): { month: string; japanese: string; changeDay: string; firstDay: string } {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number);
  const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const mm = String(m).padStart(2, '0');
  return { month: `${y}-${mm}`, japanese: `${y}年${m}月分`, changeDay: `${y}-${mm}-16`, firstDay: `${y}-${mm}-01` };
}

/** 千代田区 (logged in on `muni`) approves site-a's pending change request, if it has one. */
async function approveSiteA(muni: Page, must: boolean) {
  await muni.getByRole('link', { name: 'ホーム', exact: true }).click();
  await muni.getByRole('link', { name: /情報変更申請一覧/ }).first().click();
  await expect(muni.getByRole('link', { name: /^開く / }).or(muni.getByText('申請中の情報変更申請はありません。')).first()).toBeVisible();
  const open = muni.getByRole('link', { name: '開く 千代田区A病院' });
  if (must || (await open.count()) > 0) {
    await open.click();
    await muni.getByRole('button', { name: '承認', exact: true }).click();
    await expect(muni.getByRole('status').filter({ hasText: '申請を承認しました' })).toBeVisible();
  }
}

/** Adds a line to the part beginning on `from`: 住所地 and the five counts. */
async function addLine(page: Page, from: string, index: number, residence: string, counts: string[]) {
  const part = page.getByRole('group', { name: new RegExp(`接種日 ${from}`) });
  await part.getByRole('button', { name: '行を追加' }).click();
  await page.getByLabel(`住所地（市区町村）（${from} ${index}）`).fill(residence);
  const columns = ['1回目', '2回目', '予診のみ', '時間外', '休日'];
  for (const [i, count] of counts.entries()) {
    await page.getByLabel(`${columns[i]}（${from} ${index}）`).fill(count);
  }
}

test('site-a with a new code from the 16th bills two municipalities split by code, prints, exports, submits; 千代田区 returns it and site-a resubmits', async ({ page, browser }) => {
  const { month, japanese, changeDay, firstDay } = billedMonth();
  // 千代田区 on its desk, logged in once (an authenticator code is good once per 30 s).
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const muni = await context.newPage();
  await loginWithTotp(muni, 'chiyoda');
  await approveSiteA(muni, false);

  // site-a registers its new code from the 16th of last month; 千代田区 approves it.
  await loginSite(page);
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await page.getByLabel('保険医療機関コード', { exact: true }).fill('1311111111');
  await page.getByLabel('新保険医療機関コード').fill('1322222222');
  await page.getByLabel('コード変更日').fill(changeDay);
  await page.getByRole('button', { name: '申請・保存' }).click();
  await expect(page.getByRole('heading', { name: /市町村の承認待ちの申請があります/ })).toBeVisible();
  await approveSiteA(muni, true);

  // ホーム: 請求 for last month, due on the 10th.
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  const billing = page.getByRole('region', { name: '請求' });
  await expect(billing).toContainText('期限');
  await billing.getByRole('link', { name: `請求 ${japanese}` }).click();
  await expect(page.getByRole('heading', { name: '請求総括書・市区町村別請求書の作成' })).toBeVisible();

  // The month is split at the code change: the old code before the 16th, the new one from it.
  await expect(page.getByRole('group', { name: new RegExp(`接種日 ${firstDay} 〜 .*（旧コード）`) })).toBeVisible();
  await expect(page.getByRole('group', { name: new RegExp(`接種日 ${changeDay} 〜 .*（新コード）`) })).toBeVisible();

  // Lines per municipality of residence; 港区 found by its reading.
  await addLine(page, firstDay, 1, '131016', ['10', '5', '1', '2', '0']);
  await addLine(page, firstDay, 2, 'みなとく', ['3', '', '', '', '1']);
  await addLine(page, changeDay, 1, '131016 東京都千代田区', ['4', '4', '', '', '']);
  // 時間外 and 休日 cannot exceed the visits: an instant field error, which goes as it is fixed.
  await page.getByRole('button', { name: '一時保存' }).click();
  await page.getByLabel(`休日（${changeDay} 1）`).fill('9');
  await expect(page.getByRole('alert').filter({ hasText: '時間外と休日は' })).toBeVisible();
  await page.getByLabel(`休日（${changeDay} 1）`).fill('');
  await expect(page.getByRole('alert').filter({ hasText: '時間外と休日は' })).toHaveCount(0);

  // The printed bills: a 請求総括書 per code, a 市区町村別請求書 per municipality under it.
  await expect(page.getByRole('article', { name: /^請求総括書/ })).toHaveCount(2);
  const municipal = page.getByRole('article', { name: /^市区町村別請求書/ });
  await expect(municipal).toHaveCount(3);
  const minato = page.getByRole('article', { name: '市区町村別請求書 東京都港区 旧コード' });
  await expect(minato).toContainText('東京都港区長 殿');
  await expect(minato).toContainText('¥8,340');
  await expect(minato).toContainText('金八千参百四拾円也');
  await page.getByRole('button', { name: '一時保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENS, '60-bill-editor.png'), fullPage: true });
  await checkAxe(page, '請求 (bill)');

  // Print: each bill on its own A4 portrait page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'tabs' })).toBeHidden();
  await expect(page.getByRole('button', { name: '提出' })).toBeHidden();
  await page.screenshot({ path: path.join(SCREENS, '61-bill-print.png'), fullPage: true });
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBe(5);
  // A4 portrait: 210 × 297 mm is 595 × 842 points.
  const boxes = pdf.toString('latin1').match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g) ?? [];
  expect(boxes.length).toBe(5);
  for (const box of boxes) {
    const [width, height] = box.match(/[\d.]+/g)!.slice(2).map(Number);
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
  }
  await page.emulateMedia({ media: 'screen' });

  // CSV, built in the browser: one row per 市区町村別請求書, read back with Python's csv module.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSVエクスポート（UTF-8（BOM付き））' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^請求_千代田区A病院_${month}分_\\d{8}\\.csv$`));
  const file = path.join(__dirname, '..', 'test-results', download.suggestedFilename());
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const cells: string[][] = JSON.parse(execFileSync('python3', [path.join(__dirname, '..', 'csv_cells.py'), file, 'utf-8-sig']).toString('utf-8'));
  expect(cells.length).toBe(4);
  expect(cells[0].slice(0, 7)).toEqual(['請求月', 'コード区分', '保険医療機関コード', '介護保険事業所番号', '医療機関・接種会場', '住所地コード', '住所地']);
  expect(cells[2].slice(1, 2).concat(cells[2].slice(5, 7), cells[2].slice(16))).toEqual(['旧コード', '131032', '東京都港区', '8340']);
  expect(cells[1].slice(1, 3)).toEqual(['旧コード', '1311111111']);
  expect(cells[3].slice(1, 3)).toEqual(['新コード', '1322222222']);

  // 提出: 接種実績 holds no doses this month, so the difference must be acknowledged first.
  await page.getByRole('button', { name: '提出' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '差異を確認し' })).toBeVisible();
  await page.getByLabel('差異を確認しました').check();
  await page.getByRole('button', { name: '提出' }).click();
  await expect(page.getByRole('status').filter({ hasText: '提出しました。' })).toBeVisible();
  await expect(page.locator('.bill-head')).toContainText('提出済');
  await expect(page.getByRole('button', { name: '一時保存' })).toHaveCount(0);

  // 千代田区, a municipality of residence, returns it with a comment.
  await muni.getByRole('link', { name: '請求', exact: true }).click();
  const addressed = muni.getByRole('region', { name: '当市区町村あての市区町村別請求書' });
  await expect(addressed.getByRole('row', { name: /千代田区A病院/ })).toHaveCount(2);
  await expect(muni.getByRole('region', { name: '管内の医療機関・接種会場の請求' })).toContainText('提出済');
  await addressed.getByRole('button', { name: '差戻し' }).first().click();
  await muni.getByLabel('差戻しの理由').fill('千代田区の2回目の人数を確認してください');
  await muni.getByRole('button', { name: '差戻す' }).click();
  await expect(muni.getByRole('status').filter({ hasText: '差し戻しました。' })).toBeVisible();
  await expect(addressed).toContainText('差戻し');
  await muni.screenshot({ path: path.join(SCREENS, '62-bills-municipality.png'), fullPage: true });
  await checkAxe(muni, '請求 (municipality)');
  await context.close();

  // site-a sees why, corrects, and submits again.
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: '千代田区の2回目の人数を確認してください' })).toBeVisible();
  await page.getByLabel(`2回目（${firstDay} 1）`).fill('6');
  await page.getByRole('button', { name: '提出' }).click();
  await expect(page.getByRole('status').filter({ hasText: '提出しました。' })).toBeVisible();
  await expect(page.locator('.bill-head')).toContainText('提出済');
});
