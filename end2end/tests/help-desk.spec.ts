import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { checkAxe, loginSite, loginWithTotp } from './support';

// Named to run before vaccination.spec.ts, which enrols site-a's authenticator app.

// The clinic at night, on the tablet, upright.
test.use({ viewport: { width: 768, height: 1024 } });

const SCREENS = path.join(__dirname, '..', 'test-results', 'screens');

test('site-a reads the notices, searches ナレッジ and downloads a manual, asks the chatbot, sends an inquiry; the service desk answers and site-a reads it', async ({ page, browser }) => {
  fs.mkdirSync(SCREENS, { recursive: true });
  await loginSite(page);

  // ホーム: the ten latest notices, the important one marked; opening one marks it read.
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  const notices = page.getByRole('region', { name: 'お知らせ' });
  await expect(notices.getByRole('listitem')).toHaveCount(10);
  await expect(notices.getByText('重要').first()).toBeVisible();
  const first = notices.getByRole('listitem').first();
  await expect(first.getByText('未読')).toBeVisible();
  await first.getByText('【重要】年末年始のワクチン配送について').click();
  await expect(first.getByText('この期間に納入予定日を登録しないでください')).toBeVisible();
  await expect(first.getByText('未読')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENS, 'help-home-notices.png'), fullPage: true });

  // 過去のお知らせ一覧を見る: every valid notice, searchable.
  await notices.getByRole('link', { name: '過去のお知らせ一覧を見る' }).click();
  await expect(page.getByRole('heading', { name: '過去のお知らせ一覧' })).toBeVisible();
  await expect(page.locator('.notice-item')).toHaveCount(13);
  await page.getByRole('searchbox', { name: 'お知らせを検索' }).fill('請求');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.locator('.notice-item')).toHaveCount(1);
  await expect(page.getByText('【千代田区】請求は毎月10日までに提出してください')).toBeVisible();
  await checkAxe(page, '過去のお知らせ一覧');

  // ナレッジ: search inside a word, filter マニュアル with 適用, open a manual, download its PDF.
  await page.getByRole('link', { name: 'ナレッジ', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ナレッジ', exact: true })).toBeVisible();
  await page.getByPlaceholder('ナレッジを検索...').fill('スワー');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByRole('link', { name: /パスワード/ }).first()).toBeVisible();
  await page.getByRole('button', { name: 'リセット' }).click();
  await page.getByLabel('すべての記事タイプ').selectOption({ label: 'マニュアル' });
  await page.getByRole('button', { name: '適用' }).click();
  const results = page.locator('.article-list li');
  await expect(results.first()).toContainText('• マニュアル •');
  for (const text of await results.allInnerTexts()) expect(text).toContain('• マニュアル •');
  await checkAxe(page, 'ナレッジ');
  await results.first().getByRole('link').click();
  const download = page.getByRole('link', { name: /^ダウンロード pdf \(/ });
  await expect(download).toBeVisible();
  await expect(page.getByText('所有者')).toBeVisible();
  await page.getByRole('button', { name: 'すべてのバージョンを表示' }).click();
  await expect(page.getByRole('link', { name: /^バージョン 1 — / })).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toMatch(/\.pdf$/);
  const saved = path.join(SCREENS, 'manual.pdf');
  await file.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');
  await checkAxe(page, 'ナレッジの記事');

  // The chatbot, from the button on every page: one question it answers, one it cannot.
  await page.getByRole('link', { name: '質問する（チャットボット）' }).click();
  await expect(page.getByRole('heading', { name: 'AI自動応答チャットボット' })).toBeVisible();
  await page.getByLabel('質問', { exact: true }).fill('パスワードを忘れてしまいました');
  await page.getByRole('button', { name: '質問する' }).click();
  await expect(page.getByRole('link', { name: /^記事を読む: .*パスワード/ })).toBeVisible();
  await page.getByLabel('質問', { exact: true }).fill('社員食堂のメニューを教えて');
  await page.getByRole('button', { name: '質問する' }).click();
  await expect(page.getByText('確かな回答が見つかりませんでした')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENS, 'help-chat.png'), fullPage: true });
  await checkAxe(page, 'チャットボット');
  await page.getByRole('link', { name: '問い合わせフォーム' }).last().click();

  // The inquiry form, with the question carried over.
  await expect(page.getByRole('heading', { name: '問い合わせフォーム' })).toBeVisible();
  await expect(page.getByLabel('問い合わせ内容')).toHaveValue('社員食堂のメニューを教えて');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await expect(page.getByText('選択してください。').or(page.locator('#inquiry-category[aria-invalid="true"]'))).toHaveCount(1);
  await page.getByLabel('問い合わせ種別').selectOption({ label: 'その他' });
  await page.getByLabel('件名').fill('チャットボットで解決しませんでした');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '送信しました' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'チャットボットで解決しませんでした' })).toBeVisible();
  await checkAxe(page, '問い合わせフォーム');

  // The service desk answers.
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const desk = await context.newPage();
  await loginWithTotp(desk, 'admin');
  await desk.getByRole('link', { name: 'サービスデスク' }).click();
  await expect(desk.getByRole('heading', { name: 'サービスデスク' })).toBeVisible();
  await desk.getByRole('link', { name: 'チャットボットで解決しませんでした' }).click();
  await desk.getByLabel('担当者を変更').selectOption({ label: '管理 太郎' });
  await expect(desk.getByText(/担当者 管理 太郎/)).toBeVisible();
  await desk.getByLabel('回答', { exact: true }).fill('社員食堂についてはV-SYSではお答えできません。施設の担当者にご確認ください。');
  await desk.getByRole('button', { name: '回答する', exact: true }).click();
  await expect(desk.getByText('社員食堂についてはV-SYSではお答えできません。')).toBeVisible();
  await checkAxe(desk, 'サービスデスクの問い合わせ');

  // The administrator drafts a new privacy policy: the preview and the changes, not yet published
  // (publishing would ask every later test's users to consent again).
  await desk.getByRole('link', { name: 'ホーム', exact: true }).click();
  await desk.getByRole('link', { name: '個人情報保護方針の改定' }).click();
  await expect(desk.getByRole('heading', { name: '個人情報保護方針の改定' })).toBeVisible();
  await expect(desk.getByRole('button', { name: '公開する' })).toBeDisabled();
  const ja = desk.getByLabel('V-SYSにおける個人情報保護方針（日本語）');
  await ja.fill((await ja.inputValue()) + '\n第9条 本方針は改定されることがあります。');
  await expect(desk.locator('.diff .added')).toHaveText('+ 第9条 本方針は改定されることがあります。');
  await expect(desk.getByRole('button', { name: '公開する' })).toBeEnabled();
  await checkAxe(desk, '個人情報保護方針の改定');
  await context.close();

  // 千代田区 writes a notice for its sites; site-a sees it on ホーム.
  const wardContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const ward = await wardContext.newPage();
  await loginWithTotp(ward, 'chiyoda');
  await ward.getByRole('link', { name: 'お知らせの作成・管理' }).click();
  await ward.getByRole('button', { name: '保存して掲載' }).click();
  await expect(ward.locator('#notice-title[aria-invalid="true"]')).toHaveCount(1);
  await ward.getByLabel('件名').fill('【千代田区】接種会場の駐車場について');
  await ward.getByLabel(/^本文/).fill('区役所の駐車場は使えません。詳しくは https://example.jp/parking をご覧ください。');
  await ward.getByLabel('重要').check();
  await ward.getByRole('checkbox', { name: '医療機関・接種会場' }).check();
  await ward.getByRole('button', { name: '保存して掲載' }).click();
  await expect(ward.getByRole('status').filter({ hasText: 'お知らせを保存しました' })).toBeVisible();
  await expect(ward.getByRole('row', { name: /接種会場の駐車場について/ }).getByRole('cell', { name: '掲載中' })).toBeVisible();
  await checkAxe(ward, 'お知らせの作成・管理');
  await wardContext.close();
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  const latest = page.getByRole('region', { name: 'お知らせ' }).getByRole('listitem').first();
  await latest.getByText('【千代田区】接種会場の駐車場について').click();
  await expect(latest.getByRole('link', { name: 'https://example.jp/parking' })).toBeVisible();

  // site-a reads the answer.
  await page.getByRole('link', { name: '問い合わせ', exact: true }).click();
  await page.getByRole('link', { name: 'チャットボットで解決しませんでした' }).click();
  await expect(page.getByText('社員食堂についてはV-SYSではお答えできません。')).toBeVisible();
  await expect(page.getByText(/^回答 — 管理 太郎/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENS, 'help-inquiry.png'), fullPage: true });
});
