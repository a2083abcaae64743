import { test, expect, type Page } from '@playwright/test';
import { addGeneratedSites, loginSite, loginWithTotp, mails, waitForMail } from './support';

// The tablet the clinic staff use, upright.
test.use({ viewport: { width: 768, height: 1024 } });

test('a hospital fills in its record with an instant postal-code error, files a 代表者名 change the municipality approves, and adds two doctors', async ({ page, browser }) => {
  await loginSite(page);
  // No doctor yet: the page says so.
  await expect(page.getByRole('alert').filter({ hasText: '医師情報が登録されていません' })).toBeVisible();
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の編集' })).toBeVisible();

  // A bad postal code shows its error as the user leaves the field, and goes as they fix it.
  const postal = page.getByLabel('郵便番号(000-0000)');
  const typed = Date.now();
  await postal.fill('100-001');
  await postal.blur();
  await expect(page.locator('#postal_code-error')).toHaveText('郵便番号は000-0000の形式で入力してください。');
  await expect(postal).toHaveAttribute('aria-invalid', 'true');
  await postal.fill('１００－０００１');
  await expect(page.locator('#postal_code-error')).toBeEmpty();
  console.log(`postal code error shown and cleared within ${Date.now() - typed} ms (Playwright round trip)`);

  await page.getByRole('combobox', { name: /^予約空き状況/ }).selectOption('available');
  await page.getByLabel('町名・番地').fill('千代田1-1');
  await page.getByLabel('代表電話番号').fill('03-1111-2222');
  await page.getByLabel('ファイザー社', { exact: true }).check();
  // Pfizer brings the dry ice section; the storage sections are for hospitals only.
  await expect(page.getByRole('heading', { name: /ドライアイス保管管理の責任者等/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: '▼ ワクチン保管管理の責任者等' })).toBeVisible();
  await page.getByRole('combobox', { name: /^施設分類/ }).selectOption('clinic');
  await expect(page.getByRole('heading', { name: '▼ ワクチン保管管理の責任者等' })).toHaveCount(0);
  await page.getByRole('combobox', { name: /^施設分類/ }).selectOption('hospital');
  await page.getByLabel('ワクチンの保管管理の責任者の所属先').fill('薬剤部');
  await page.getByLabel('ワクチンの保管管理の担当部署の電話番号').fill('03-1111-2225');
  await page.getByLabel('ワクチンの保管管理の責任者氏名（厚労 太郎）').fill('保管 花子');
  await page.getByLabel('ワクチン接種の担当部署の電話番号').fill('03-1111-2223');
  await page.getByLabel('ワクチン接種の責任者（医師）氏名（厚労 太郎）').fill('厚労 太郎');
  await page.getByLabel('ワクチン接種の責任者（医師）氏名（こうろう たろう）').fill('こうろう たろう');
  await page.getByLabel('ワクチン接種の担当部署のメールアドレス').fill('vaccine@a-hospital.example.jp');
  await page.getByLabel('予約受付の電話番号').fill('03-1111-2224');
  await page.getByLabel('一般向け:誰でも来られる').check();
  await page.getByLabel('代表者名').fill('千代田 一郎');

  // Reload mid-edit: the draft is offered back and restored.
  await page.reload();
  await expect(page.getByText('保存されていない入力があります')).toBeVisible();
  await page.getByRole('button', { name: '復元する' }).click();
  await expect(page.getByLabel('代表者名')).toHaveValue('千代田 一郎');
  await expect(page.getByLabel('郵便番号(000-0000)')).toHaveValue('１００－０００１');

  const saving = Date.now();
  await page.getByRole('button', { name: '申請・保存' }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
  console.log(`save round trip to the detail page: ${Date.now() - saving} ms`);
  // The postal code applied at once, normalised; 代表者名 waits for the municipality.
  await expect(page.locator('dl.record')).toContainText(['100-0001']);
  await expect(page.getByRole('heading', { name: /市町村の承認待ちの申請があります/ })).toBeVisible();
  await expect(page.locator('.panel.pending')).toContainText('千代田 一郎');
  await page.screenshot({ path: 'test-results/screens/20-site-detail-pending.png', fullPage: true });

  // While 取扱ワクチン awaits approval, the doctor form says why it offers no vaccine yet, and
  // which ones will be selectable.
  await page.getByRole('link', { name: '新規医師情報' }).click();
  const waiting = page.getByRole('group', { name: '取扱ワクチン(医師個人)' });
  await expect(waiting.getByRole('checkbox')).toHaveCount(0);
  await expect(page.locator('#doctor-vaccines-hint')).toContainText('市町村の承認待ち');
  await expect(page.locator('#doctor-vaccines-hint')).toContainText('ファイザー社');
  await page.screenshot({ path: 'test-results/screens/24-doctor-vaccines-pending.png' });
  await page.getByRole('link', { name: 'キャンセル' }).click();

  // While pending, 代表者名 cannot be changed again; the form says why.
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByLabel('代表者名')).toBeDisabled();
  await expect(page.locator('#representative-hint')).toContainText('承認中は再修正不可');
  await page.getByRole('button', { name: 'キャンセル' }).click();

  // The municipality approves it.
  const muni = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const before = mails().length;
  await loginWithTotp(muni, 'chiyoda');
  await muni.getByRole('link', { name: /情報変更申請一覧/ }).first().click();
  await expect(muni.getByRole('heading', { name: '市町村内の医療機関からの情報変更申請一覧（申請中のみ）' })).toBeVisible();
  await muni.getByRole('link', { name: '開く 千代田区A病院' }).click();
  await expect(muni.getByRole('row', { name: /代表者名/ })).toContainText('千代田 一郎');
  await muni.screenshot({ path: 'test-results/screens/21-request-side-by-side.png', fullPage: true });
  await muni.getByLabel('コメント').fill('確認しました。');
  await muni.getByRole('button', { name: '承認', exact: true }).click();
  await expect(muni.getByRole('status').filter({ hasText: '申請を承認しました' })).toBeVisible();
  // 現在の値 shows the applied value at once, without a reload.
  await expect(muni.getByRole('row', { name: /代表者名/ }).getByRole('cell').nth(2)).toHaveText('千代田 一郎');
  await waitForMail('site-a@demo.vsys.example.jp', /情報変更申請が(承認)されました/, before);
  await muni.close();

  // The site sees it live, and told on its page.
  await page.reload();
  await expect(page.getByText('情報変更申請が承認されました')).toBeVisible();
  await expect(page.locator('dl.record')).toContainText(['千代田 一郎']);
  await expect(page.getByRole('table', { name: '変更履歴' })).toContainText('代表者名');

  // Two doctors with 保存 & 新規, then 保存.
  await page.getByRole('link', { name: '新規医師情報' }).click();
  await expect(page.getByRole('heading', { name: '新規医師情報' })).toBeVisible();
  await page.getByLabel('(医師)氏名(厚労 太郎)').fill('厚労 太郎');
  await page.getByLabel('(医師)氏名(こうろう たろう)').fill('こうろう たろう');
  await page.getByLabel('ファイザー社').check();
  await page.getByRole('button', { name: '保存 & 新規' }).click();
  await expect(page.getByRole('status').filter({ hasText: '医師情報を保存しました' })).toBeVisible();
  await expect(page.getByLabel('(医師)氏名(厚労 太郎)')).toHaveValue('');
  await page.getByLabel('(医師)氏名(厚労 太郎)').fill('接種 花子');
  await page.getByLabel('(医師)氏名(こうろう たろう)').fill('セッシュ');
  await page.getByLabel('(医師)氏名(こうろう たろう)').blur();
  await expect(page.locator('#doctor-kana-error')).toHaveText('ひらがなで入力してください。');
  await page.getByLabel('(医師)氏名(こうろう たろう)').fill('せっしゅ はなこ');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  const doctors = page.getByRole('table', { name: '医師情報' });
  await expect(doctors).toContainText('厚労 太郎');
  await expect(doctors).toContainText('接種 花子');
  await expect(page.getByRole('alert').filter({ hasText: '医師情報が登録されていません' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/22-site-detail-doctors.png', fullPage: true });
});

test('the public finder lists 一般向け sites in English without a login', async ({ page }) => {
  await page.goto('/navi');
  await page.getByLabel('表示言語').selectOption('en');
  await expect(page.getByRole('heading', { name: 'COVID-19 Vaccine Navi', level: 1 })).toBeVisible();
  await page.getByLabel('Prefecture').selectOption('13');
  await page.getByLabel('Municipality').selectOption({ label: 'Chiyoda-ku' });
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('region', { name: /Results/ });
  await expect(results).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible();
  // 一般不可 sites (the C診療所 of the demo) never appear.
  await expect(page.getByRole('article').filter({ hasText: 'C診療所' })).toHaveCount(0);
  await expect(page.getByRole('article').first()).toContainText('Vaccines');
  await page.screenshot({ path: 'test-results/screens/23-finder-english.png', fullPage: true });
});

test('the detail and edit pages follow a change of their own site id without a reload', async ({ page }) => {
  await loginWithTotp(page, 'chiyoda');
  await page.getByRole('link', { name: '医療機関・接種会場一覧' }).click();
  const clinic = await page.getByRole('link', { name: '千代田区C診療所', exact: true }).getAttribute('href');
  await page.getByRole('link', { name: '千代田区Bクリニック', exact: true }).click();
  await expect(page.locator('h2.site-name')).toHaveText('千代田区Bクリニック');
  const own = new URL(page.url()).pathname;
  // An in-app move to another site on the same route (as a link between records would make).
  const go = (path: string) => page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, path);
  await go(clinic!);
  await expect(page.locator('h2.site-name')).toHaveText('千代田区C診療所');
  await expect(page.getByRole('link', { name: '編集', exact: true })).toHaveAttribute('href', `${clinic}/edit`);
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByLabel('医療機関・接種会場名', { exact: true })).toHaveValue('千代田区C診療所');
  await go(`${own}/edit`);
  await expect(page.getByLabel('医療機関・接種会場名', { exact: true })).toHaveValue('千代田区Bクリニック');
  await page.getByRole('button', { name: 'キャンセル' }).click();
  await expect(page).toHaveURL(new RegExp(`${own}$`));
});

test('the finder lists 50 sites at a time and さらに表示 adds the next ones, each site once', async ({ page }) => {
  // 120 一般向け sites in 沖縄県, where no other test looks.
  addGeneratedSites(120, 47);
  await page.goto('/navi');
  await page.getByLabel('都道府県').selectOption('47');
  await page.getByRole('button', { name: '検索' }).click();
  const results = page.getByRole('region', { name: /検索結果/ });
  const sites = results.getByRole('article');
  await expect(sites).toHaveCount(50);
  await expect(results.getByRole('heading', { name: '検索結果 (50)' })).toBeVisible();
  const more = results.getByRole('button', { name: 'さらに表示' });
  await more.click();
  await expect(sites).toHaveCount(100);
  await more.click();
  await expect(sites).toHaveCount(120);
  await expect(results.getByRole('heading', { name: '検索結果 (120)' })).toBeVisible();
  await expect(more).toHaveCount(0);
  const names = await sites.evaluateAll((articles) => articles.map((a) => a.getAttribute('aria-label')));
  expect(new Set(names).size).toBe(120);
  expect(names).toEqual([...names].sort());
  // A new search starts again at its first page: the 41 municipalities' second sites are full.
  await page.getByLabel('予約の受付状況').selectOption('full');
  await page.getByRole('button', { name: '検索' }).click();
  await expect(results.getByRole('heading', { name: '検索結果 (41)' })).toBeVisible();
  await expect(sites).toHaveCount(41);
  await expect(sites.first()).toContainText('予約不可');
  await expect(more).toHaveCount(0);
});
