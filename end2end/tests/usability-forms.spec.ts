import { test, expect, type Page } from '@playwright/test';
import { loginSite, loginWithTotp } from './support';

// The tablet the clinic and municipality staff use, landscape.
test.use({ viewport: { width: 1024, height: 768 } });

/** As 千代田区, opens 医療機関・接種会場の詳細 of one of its sites from 医療機関・接種会場一覧. */
async function openSiteAsMunicipality(page: Page, site: string) {
  await loginWithTotp(page, 'chiyoda');
  await page.getByRole('link', { name: '医療機関・接種会場一覧' }).click();
  await page.getByRole('link', { name: site, exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
}

test('ID発行: an error summary links to each field, choices say 選択してください, and the emptied form after success shows no error', async ({ page }) => {
  await loginWithTotp(page, 'chiyoda');
  await page.goto('/users/new');
  await expect(page.getByRole('heading', { name: 'ID発行' })).toBeVisible();
  await page.getByRole('button', { name: 'IDを発行する' }).click();

  // The summary comes first, takes focus, and lists every error as a link.
  const summary = page.getByRole('alert', { name: '入力内容に問題があります' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'ユーザ名: 入力してください。',
    'メールアドレス: 入力してください。',
    '氏名: 入力してください。',
    '役割: 選択してください。',
  ]);
  await expect(page.locator('#role-error')).toHaveText('選択してください。');
  await summary.getByRole('link', { name: /^役割/ }).click();
  await expect(page.getByRole('combobox', { name: '役割', exact: true })).toBeFocused();
  await summary.getByRole('link', { name: /^氏名/ }).click();
  await expect(page.getByRole('textbox', { name: '氏名', exact: true })).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/30-issue-error-summary.png', fullPage: true });

  // Fixing a field takes it off the summary at once.
  await page.getByLabel('ユーザ名').fill('u1-summary-nurse');
  await expect(summary.getByRole('link')).toHaveCount(3);

  await page.getByLabel('メールアドレス').fill('u1-summary-nurse@example.jp');
  await page.getByLabel('氏名').fill('接種 三郎');
  await page.getByLabel('役割').selectOption({ label: '医療機関・接種会場' });
  await page.getByRole('combobox', { name: '医療機関・接種会場', exact: true }).selectOption({ label: '千代田区Bクリニック' });
  await page.getByRole('button', { name: 'IDを発行する' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'IDを発行し、メールを送信しました' })).toBeVisible();

  // The emptied form is a fresh form: no red message, no summary.
  await expect(page.getByLabel('ユーザ名')).toHaveValue('');
  await expect(page.locator('.field-error:not(:empty)')).toHaveCount(0);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(page.getByRole('alert', { name: '入力内容に問題があります' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/31-issue-after-success.png', fullPage: true });
});

test('ホーム has the seed\'s button 「この医療機関の情報を見る」, which opens 医療機関・接種会場の詳細', async ({ page }) => {
  await loginSite(page);
  await page.getByRole('link', { name: 'ホーム', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ホーム', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'この医療機関の情報を見る' }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/sites\/\d+$/);
});

test('the site form: ※ stays out of the accessible names, required inputs say so, and its errors are summarised', async ({ page }) => {
  await loginSite(page);
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の編集' })).toBeVisible();

  // The name a screen reader announces is the label alone.
  const status = page.getByRole('combobox', { name: '予約空き状況', exact: true });
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('aria-required', 'true');
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const named = nodes
    .filter((n: any) => !n.ignored && typeof n.name?.value === 'string' && n.name.value.includes('※'))
    .map((n: any) => `${n.role?.value}: ${n.name.value}`);
  expect(named).toEqual([]);
  // Every field marked ※ tells assistive technology that it is required.
  const unmarked = await page.evaluate(() =>
    [...document.querySelectorAll('form .field')]
      .filter((field) => field.querySelector('.required'))
      .filter((field) => !field.querySelector('[role="group"]'))
      .filter((field) => !field.querySelector('input[aria-required="true"], select[aria-required="true"], textarea[aria-required="true"], [role="radiogroup"][aria-required="true"], input[required], select[required], textarea[required]'))
      .map((field) => field.textContent?.trim()),
  );
  expect(unmarked).toEqual([]);

  // Emptied required fields: one summary above the form lists them in form order.
  await page.getByRole('combobox', { name: '施設分類', exact: true }).selectOption('');
  await page.getByLabel('町名・番地').fill('');
  await page.getByRole('button', { name: '申請・保存' }).click();
  const summary = page.getByRole('alert', { name: '入力内容に問題があります' });
  await expect(summary).toBeFocused();
  // (The record may lack more, depending on what ran before: only these two are asserted.)
  await expect(summary.getByRole('link', { name: '町名・番地: 入力してください。' })).toBeVisible();
  const listed = await summary.getByRole('link').allTextContents();
  expect(listed[0]).toBe('施設分類: 選択してください。');
  expect(listed.indexOf('町名・番地: 入力してください。')).toBeGreaterThan(0);
  await expect(page.locator('#facility_class-error')).toHaveText('選択してください。');
  await summary.getByRole('link', { name: /^町名・番地/ }).click();
  await expect(page.getByLabel('町名・番地')).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/32-site-error-summary.png' });
  await page.getByRole('button', { name: 'キャンセル' }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
});

test('moving through the site form with Tab never leaves the focused field under the sticky 申請・保存 bar (1024×768)', async ({ page }) => {
  await loginSite(page);
  await page.getByRole('link', { name: '編集', exact: true }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の編集' })).toBeVisible();
  await page.getByRole('combobox', { name: '施設分類', exact: true }).focus();
  const hidden: string[] = [];
  let stops = 0;
  for (let i = 0; i < 200; i++) {
    const where = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const form = document.querySelector('form.record-form');
      if (!element || !form || !form.contains(element)) return null;
      const bar = document.querySelector('.form-actions.sticky') as HTMLElement;
      const box = element.getBoundingClientRect();
      const barTop = bar.getBoundingClientRect().top;
      const inBar = bar.contains(element);
      const visible = box.top >= 0 && (inBar ? box.bottom <= window.innerHeight : box.bottom <= barTop);
      return { id: element.id || element.textContent?.trim() || element.tagName, visible };
    });
    if (!where) break;
    stops++;
    if (!where.visible) hidden.push(where.id);
    await page.keyboard.press('Tab');
  }
  console.log(`${stops} tab stops in the site form, ${hidden.length} under the sticky bar`);
  expect(stops).toBeGreaterThan(40);
  expect(hidden).toEqual([]);
});

test('削除 of a doctor asks in an in-app dialog: Escape cancels, 削除する deletes, and the last doctor stays', async ({ page }) => {
  await openSiteAsMunicipality(page, '千代田区Bクリニック');
  const doctors = page.getByRole('table', { name: '医師情報' });
  await expect(doctors.getByRole('row')).toHaveCount(2);
  const demoDoctor = (await doctors.getByRole('row').nth(1).getByRole('cell').first().textContent())!.trim();

  // A second doctor to delete.
  await page.getByRole('link', { name: '新規医師情報' }).click();
  await page.getByLabel('(医師)氏名(厚労 太郎)').fill('削除 五郎');
  await page.getByLabel('(医師)氏名(こうろう たろう)').fill('さくじょ ごろう');
  await page.getByRole('group', { name: '取扱ワクチン(医師個人)' }).getByRole('checkbox').first().check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(doctors).toContainText('削除 五郎');

  await page.getByRole('link', { name: '編集 削除 五郎' }).click();
  await expect(page.getByRole('heading', { name: '医師情報の編集' })).toBeVisible();
  const remove = page.getByRole('button', { name: '削除', exact: true });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: 'この医師情報を削除しますか？' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toContainText('削除 五郎');
  // Focus starts on the safe choice and stays inside the dialog.
  const cancel = dialog.getByRole('button', { name: 'キャンセル' });
  const confirm = dialog.getByRole('button', { name: '削除する' });
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(confirm).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/33-doctor-delete-dialog.png' });
  // Escape cancels; focus goes back to 削除; nothing is deleted.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  // キャンセル does the same.
  await remove.click();
  await dialog.getByRole('button', { name: 'キャンセル' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  await expect(page.getByLabel('(医師)氏名(厚労 太郎)')).toHaveValue('削除 五郎');

  // 削除する deletes.
  await remove.click();
  await dialog.getByRole('button', { name: '削除する' }).click();
  await expect(page.getByRole('heading', { name: '医療機関・接種会場の詳細', exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '医師情報を削除しました' })).toBeVisible();
  await expect(doctors).not.toContainText('削除 五郎');
  await expect(doctors.getByRole('row')).toHaveCount(2);

  // The last doctor cannot be deleted, and the page says why.
  await page.getByRole('link', { name: `編集 ${demoDoctor}` }).click();
  await remove.click();
  await dialog.getByRole('button', { name: '削除する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '最後の医師は削除できません' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '医師情報の編集' })).toBeVisible();
  await page.goto(page.url().replace(/\/doctors\/\d+$/, ''));
  await expect(doctors).toContainText(demoDoctor);
});

test('変更履歴 shows 20 changes at a time, newest first, and さらに表示 adds the older ones without repeats', async ({ page }) => {
  await openSiteAsMunicipality(page, '千代田区D接種会場');
  const siteId = Number(page.url().match(/\/sites\/(\d+)/)![1]);
  // 25 changes of 駐車場, through the server functions the edit form uses.
  await page.evaluate(async (siteId) => {
    const call = async (name: string, body: unknown) => {
      const response = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    for (let parking = 1; parking <= 25; parking++) {
      const view = await call('load_site_record', { site_id: siteId });
      await call('save_site_record', {
        save: { site_id: siteId, version: view.version, base: view.record, record: { ...view.record, parking: String(parking) } },
      });
    }
  }, siteId);
  await page.reload();
  const history = page.getByRole('table', { name: '変更履歴' });
  const rows = history.locator('tbody tr');
  await expect(rows).toHaveCount(20);
  const more = page.getByRole('button', { name: 'さらに表示' });
  await expect(more).toBeVisible();
  await more.click();
  await expect(rows).not.toHaveCount(20);
  while (await more.isVisible()) {
    const shown = await rows.count();
    await more.click();
    await expect(rows).not.toHaveCount(shown);
  }
  // Newest first: 駐車場 reads 25, 24, … 1, each change once.
  const parking = await rows.evaluateAll((trs) =>
    trs
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))
      .filter((cells) => cells[3].startsWith('駐車場'))
      .map((cells) => cells[5]),
  );
  expect(parking).toEqual(Array.from({ length: 25 }, (_, i) => String(25 - i)));
});
