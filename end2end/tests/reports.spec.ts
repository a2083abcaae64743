import { test, expect, Page, Download } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loginWithTotp } from './support';

// A prefectural officer's desk and a municipal officer's tablet: reports are read on both.
test.use({ viewport: { width: 1024, height: 768 } });

const SCREENS = path.join(__dirname, '..', 'test-results', 'screens');

/** The table as the screen shows it: headings (without the sort arrow), then every row. */
async function screenCells(page: Page): Promise<string[][]> {
  const table = page.locator('table.report');
  const head = (await table.locator('thead th').allTextContents()).map((t) => t.replace(/ [▲▼]$/, '').trim());
  const rows: string[][] = [head];
  for (const row of await table.locator('tbody tr').all()) {
    rows.push((await row.locator('td').allTextContents()).map((t) => t.trim()));
  }
  return rows;
}

/** The downloaded file, read back with Python's csv module. */
async function fileCells(download: Download, encoding: 'utf-8-sig' | 'shift_jis'): Promise<{ file: string; bytes: Buffer; cells: string[][] }> {
  const file = path.join(__dirname, '..', 'test-results', download.suggestedFilename());
  await download.saveAs(file);
  const out = execFileSync('python3', [path.join(__dirname, '..', 'csv_cells.py'), file, encoding]);
  return { file, bytes: fs.readFileSync(file), cells: JSON.parse(out.toString('utf-8')) };
}

/**
 * The downloaded file as LibreOffice Calc (headless) opens it: its cells as shown, and which of
 * them it reads as numbers. `null` where LibreOffice is not installed (scripts/setup.sh installs
 * it; the Python reading above still runs).
 */
function libreOfficeCells(file: string, encoding: 'utf-8-sig' | 'shift_jis'): { cells: string[][]; numeric: boolean[][] } | null {
  try {
    const out = execFileSync('python3', [path.join(__dirname, '..', 'csv_cells.py'), file, encoding, '--libreoffice']);
    return JSON.parse(out.toString('utf-8'));
  } catch (error) {
    if ((error as { status?: number }).status === 3) {
      console.warn('LibreOffice is not installed: the exported CSV was read with Python only');
      return null;
    }
    throw error;
  }
}

/** R308's figures (from the 4th column) are numbers to LibreOffice; its names are not. */
function expectFiguresAsNumbers(numeric: boolean[][]) {
  for (const row of numeric.slice(1)) {
    expect(row.slice(0, 3)).toEqual([false, false, false]);
    expect(row.slice(3).every((n) => n)).toBe(true);
  }
}

async function exportAs(page: Page, encoding: RegExp): Promise<Download> {
  await page.getByRole('radio', { name: encoding }).check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'エクスポート', exact: true }).click();
  return downloading;
}

test('chiyoda opens R308 from ホーム, filters, sorts and exports it as CSV in UTF-8 and Shift_JIS, and prints it', async ({ page }) => {
  await loginWithTotp(page, 'chiyoda');
  await page.getByRole('link', { name: 'R308 医療機関・接種会場別接種実績累計★' }).click();
  await expect(page.getByRole('heading', { name: 'R308 医療機関・接種会場別接種実績累計' })).toBeVisible();
  for (const name of ['医療機関・接種会場', '1回目 その他', '1回目 医療従事者', '1回目 小計', '2回目 高齢者施設従事者', '2回目 小計', '総計']) {
    await expect(page.getByRole('columnheader', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('rowheader', { name: '合計' })).toBeVisible();

  // A bad date is refused next to its field, in Japanese, before anything is asked.
  await page.getByLabel('期間（開始日）').fill('2026-02-30');
  await page.getByRole('button', { name: '表示', exact: true }).click();
  await expect(page.getByText('日付は2021-03-06の形式で入力してください。')).toBeVisible();
  await page.getByLabel('期間（開始日）').fill('');

  // Filter by vaccine and sort by 総計, largest first: both go into the URL.
  await page.getByLabel('ワクチン').selectOption({ label: 'ファイザー社' });
  await page.getByRole('button', { name: '表示', exact: true }).click();
  await expect(page).toHaveURL(/\/reports\/R308\?vaccine=pfizer$/);
  await page.getByRole('link', { name: '総計', exact: true }).click();
  await expect(page).toHaveURL(/vaccine=pfizer&sort=15&desc=1/);
  await expect(page.getByRole('columnheader', { name: /総計/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByText(/件中 1〜\d+件/)).toBeVisible();
  const screen = await screenCells(page);
  expect(screen.length).toBeGreaterThan(1);
  expect(screen.slice(1).every((row) => row[1] === '千代田区')).toBe(true);

  // The bookmark opens the same report.
  const url = page.url();
  await page.goto('/');
  await page.goto(url);
  await expect(page.getByRole('columnheader', { name: /総計/ })).toHaveAttribute('aria-sort', 'descending');

  // 詳細のエクスポート → カンマ区切り形式（csv） → エクスポート, UTF-8 with BOM first.
  await page.getByRole('button', { name: '詳細のエクスポート' }).click();
  await expect(page.getByRole('radio', { name: 'カンマ区切り形式（csv）' })).toBeChecked();
  const utf8 = await exportAs(page, /^UTF-8/);
  expect(utf8.suggestedFilename()).toMatch(/^R308_医療機関・接種会場別接種実績累計_\d{8}\.csv$/);
  const inUtf8 = await fileCells(utf8, 'utf-8-sig');
  expect([...inUtf8.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(inUtf8.cells).toEqual(screen);
  const calcUtf8 = libreOfficeCells(inUtf8.file, 'utf-8-sig');
  if (calcUtf8) {
    expect(calcUtf8.cells).toEqual(screen);
    expectFiguresAsNumbers(calcUtf8.numeric);
  }
  await expect(page.getByRole('status').filter({ hasText: 'エクスポートしました' })).toBeVisible();

  const sjis = await exportAs(page, /^Shift_JIS/);
  const inSjis = await fileCells(sjis, 'shift_jis');
  expect([...inSjis.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  // 「都」 is 0x93 0x73 in Shift_JIS: the header begins 都道府県.
  expect([...inSjis.bytes.subarray(0, 2)]).toEqual([0x93, 0x73]);
  expect(inSjis.cells).toEqual(screen);
  const calcSjis = libreOfficeCells(inSjis.file, 'shift_jis');
  if (calcSjis) {
    expect(calcSjis.cells).toEqual(screen);
    expectFiguresAsNumbers(calcSjis.numeric);
  }

  // Printed: the report's name, the filters and the print date head an A4 sheet without the app.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'tabs' })).toBeHidden();
  await expect(page.getByText(/印刷日: \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expect(page.getByText(/絞り込み: ワクチン ファイザー社/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENS, '50-r308-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: path.join(SCREENS, '51-r308.png'), fullPage: true });
});

test('東京都 opens R208 from ホーム and drills down from a ward to its sites in R308', async ({ page }) => {
  await loginWithTotp(page, 'tokyo');
  await page.getByRole('link', { name: 'R208 市町村別接種実績累計★' }).click();
  await expect(page.getByRole('heading', { name: 'R208 市町村別接種実績累計' })).toBeVisible();
  // A chart of the page's wards (1回目 and 2回目 stacked) above the table, which is its data.
  await expect(page.getByRole('img', { name: /^市町村別接種実績累計: 1回目 \/ 2回目$/ })).toBeVisible();
  await page.locator('figure.report-chart').screenshot({ path: path.join(SCREENS, '53-r208-chart.png') });
  // The demo's wards outside 千代田区 registered pfizer: 港区 has vaccinations.
  const minato = page.getByRole('row').filter({ has: page.getByRole('link', { name: '港区', exact: true }) });
  const total = Number(await minato.locator('td').last().textContent());
  expect(total).toBeGreaterThan(0);
  await page.getByRole('table').getByRole('link', { name: '港区', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'R308 医療機関・接種会場別接種実績累計' })).toBeVisible();
  await expect(page).toHaveURL(/\/reports\/R308\?muni=131032$/);
  await expect(page.getByLabel('市区町村')).toHaveValue('131032');
  const cells = await screenCells(page);
  expect(cells.slice(1).every((row) => row[1] === '港区')).toBe(true);
  // The ward's total in R208 is the sum of its sites in R308.
  await expect(page.locator('tfoot td').last()).toHaveText(String(total));
  await page.screenshot({ path: path.join(SCREENS, '52-r308-minato.png'), fullPage: true });

  // The レポート tab lists the prefecture's reports, grouped as in the seed.
  await page.getByRole('link', { name: 'レポート', exact: true }).click();
  for (const group of ['分配実績', '希望量の確認', '接種実績の確認']) {
    await expect(page.getByRole('heading', { name: group })).toBeVisible();
  }
  for (const report of ['R201 都道府県→市町村分配実績', 'R206 市町村別希望量累計', 'R301 市町村→医療機関分配実績']) {
    await expect(page.getByRole('link', { name: new RegExp(`^${report}`) })).toBeVisible();
  }
});

test('東京都 follows 接種実績の推移 from the prefecture to a day, a ward and one site, whose trend ends at its R308 total', async ({ page }) => {
  await loginWithTotp(page, 'tokyo');
  await page.getByRole('link', { name: 'レポート', exact: true }).click();
  await page.getByRole('link', { name: /^X208 接種実績の推移/ }).click();
  await expect(page.getByRole('heading', { name: 'X208 接種実績の推移' })).toBeVisible();
  for (const name of ['接種日', '1回目', '2回目', '計', '1回目累計', '2回目累計', '累計']) {
    await expect(page.getByRole('columnheader', { name, exact: true })).toBeVisible();
  }
  // Doses per day as columns, the running sum as a line; the table below is the chart's data.
  await expect(page.getByRole('img', { name: /^接種実績の推移: \d{4}-\d{2}-\d{2}〜\d{4}-\d{2}-\d{2}/ })).toBeVisible();
  await page.locator('figure.report-chart').screenshot({ path: path.join(SCREENS, '54-x208-trend.png') });

  // A day's column opens that day's figures per ward.
  const lastDay = page.getByRole('link', { name: /の内訳$/ }).last();
  const day = ((await lastDay.getAttribute('aria-label')) ?? '').slice(0, 10);
  await lastDay.click();
  await expect(page.getByRole('heading', { name: 'R208 市町村別接種実績累計' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/reports/R208\\?from=${day}&until=${day}$`));
  await page.getByRole('table').getByRole('link', { name: '港区', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/R308\\?from=${day}&until=${day}&muni=131032$`));

  // A site's row opens its own trend.
  const site = page.getByRole('table').locator('tbody a').first();
  const name = (await site.textContent())?.trim() ?? '';
  await site.click();
  await expect(page.getByRole('heading', { name: 'X308 接種実績の推移' })).toBeVisible();
  await expect(page).toHaveURL(/\/reports\/X308\?site=\d+$/);
  await expect(page.getByText(name, { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('img', { name: /^接種実績の推移/ })).toBeVisible();
  const rows = await screenCells(page);
  const cumulative = rows[rows.length - 1][6];
  await page.screenshot({ path: path.join(SCREENS, '55-x308-site.png'), fullPage: true });

  // Its running sum ends where R308 (without a period) puts the site.
  const siteId = new URL(page.url()).searchParams.get('site');
  await page.goto(`/reports/R308?site=${siteId}`);
  await expect(page.getByRole('heading', { name: 'R308 医療機関・接種会場別接種実績累計' })).toBeVisible();
  await expect(page.locator('tfoot td').last()).toHaveText(cumulative);
});

test('東京都 narrows R304 to one 状況 from the filters, and the URL keeps it', async ({ page }) => {
  // The demo allocated to the sites of nine wards besides 千代田区.
  await loginWithTotp(page, 'tokyo');
  await page.getByRole('link', { name: 'R304 納入状況の進捗確認★' }).click();
  await expect(page.getByText(/件中 1〜\d+件/)).toBeVisible();
  const statusOf = async () =>
    (await page.locator('table.report tbody tr').all()).length === 0
      ? []
      : await page.locator('table.report tbody tr td:last-child').allTextContents();
  const before = await statusOf();
  expect(before.length).toBeGreaterThan(0);
  const chosen = before[0].trim();
  await page.getByLabel('状況').selectOption({ label: chosen });
  await page.getByRole('button', { name: '表示' }).click();
  await expect(page).toHaveURL(/[?&]status=[a-z-]+/);
  await expect(page.getByText(`状況 ${chosen}`)).toBeVisible();
  const after = await statusOf();
  expect(after.length).toBe(before.filter((s) => s.trim() === chosen).length);
  expect(after.every((s) => s.trim() === chosen)).toBe(true);
  await page.screenshot({ path: path.join(SCREENS, '56-r304-status.png'), fullPage: true });
});
