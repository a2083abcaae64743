// node scripts/bench-csv.mjs BASE_URL: the measurements of scripts/bench-csv.sh against a running
// `vsys serve --demo` holding the national data set (which starts it). Uses the Playwright of
// end2end/ and Debian's Chromium. Needs VSYS_BIN, DATABASE_URL and VSYS_TOTP_KEY_FILE (for mhlw's
// authenticator code). Exits with 1 when an export fails or its file does not hold every row; the
// 1.5 s goal is printed, not enforced.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { logIn } from './bench-login.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { chromium } = createRequire(path.join(root, 'end2end', 'package.json'))('@playwright/test');

const base = process.argv[2];
const GENERATED_SITES = Number(process.env.VSYS_BENCH_SITES ?? 70_000);
const GOAL_MS = 1_500; // issue 11: the CSV of 70,000 rows built and offered for download
const RUNS = 5;
const WAIT_MS = 120_000; // a national report on a machine shared with builds can be slow
const ENCODINGS = [
  { name: 'UTF-8', radio: /^UTF-8/, bom: true },
  { name: 'Shift_JIS', radio: /^Shift_JIS/, bom: false },
];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Logs in as mhlw (国); the run's only login. */
async function loginAsMhlw(page) {
  await logIn(page, base, 'mhlw');
  await page.getByRole('heading', { name: 'ホーム' }).waitFor();
}

/** Opens R308 for the whole country and returns its row count, as the screen states it
 * (「70040件中 1〜100件」). */
async function openR308(page) {
  await page.goto(`${base}/reports/R308`);
  await page.locator('table.report').waitFor();
  const range = await page.getByText(/件中/).first().textContent();
  return Number(range.match(/(\d+)件中/)[1]);
}

/** The lines of a CSV file: each ends in CRLF, and neither byte can be part of a Shift_JIS
 * character, so counting the pairs is enough for both encodings. */
function crlfLines(bytes) {
  let lines = 0;
  for (let i = 1; i < bytes.length; i++) if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) lines++;
  return lines;
}

/** One press of エクスポート, in the test's own clock: ms until the export's server call has
 * received its last byte, and until the browser offers the file (Playwright's `download`). */
async function exportOnce(page) {
  let answer;
  const onFinished = (request) => {
    // The page asks for nothing else while the export runs: the first call is the export's.
    if (answer || !request.url().includes('/api/load_report')) return;
    answer = { finishedAt: performance.now(), request };
  };
  page.on('requestfinished', onFinished);
  // Clicked through the DOM, so the clock starts at the click and not at Playwright's checks
  // before a pointer click (scrolling, waiting for the button to be stable).
  const button = await page.getByRole('button', { name: 'エクスポート', exact: true }).elementHandle();
  const downloading = page.waitForEvent('download', { timeout: WAIT_MS });
  const clickedAt = performance.now();
  await button.evaluate((b) => b.click());
  let download;
  try {
    download = await downloading;
  } catch (error) {
    const alert = await page.getByRole('alert').allTextContents();
    throw new Error(`no file was offered${alert.length ? `: the page says ${alert.join(' ')}` : ''} (${error.message})`);
  }
  const offeredAt = performance.now();
  page.off('requestfinished', onFinished);
  if (!answer) throw new Error('the export offered a file without calling /api/load_report');
  await page.getByRole('status').filter({ hasText: 'エクスポートしました' }).waitFor();
  const sizes = await answer.request.sizes();
  const encoding = (await (await answer.request.response())?.headerValue('content-encoding')) ?? 'identity';
  const bytes = readFileSync(await download.path());
  const name = download.suggestedFilename();
  await download.delete();
  return {
    totalMs: offeredAt - clickedAt,
    serverMs: answer.finishedAt - clickedAt,
    answerBytes: sizes.responseBodySize,
    answerEncoding: encoding,
    name,
    bytes,
  };
}

/** What is wrong with one exported file, or nothing. */
function fileProblems(run, encoding, rows) {
  const problems = [];
  if (!/^R308_.*\.csv$/.test(run.name)) problems.push(`named ${run.name}`);
  const hasBom = UTF8_BOM.every((byte, i) => run.bytes[i] === byte);
  if (hasBom !== encoding.bom) problems.push(hasBom ? 'a BOM in Shift_JIS' : 'no BOM in UTF-8');
  const lines = crlfLines(run.bytes);
  if (lines !== rows + 1) problems.push(`${lines.toLocaleString('en')} lines, not ${(rows + 1).toLocaleString('en')} (header + rows)`);
  return problems.map((p) => `${encoding.name}: ${p}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value).toLocaleString('en')} ms`;
const pad = (text, width) => String(text).padStart(width);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
});
const problems = [];
const results = [];
let rows = 0;
try {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await loginAsMhlw(page);
  rows = await openR308(page);
  if (rows < GENERATED_SITES) problems.push(`R308 lists ${rows} sites, fewer than the ${GENERATED_SITES} generated`);
  await page.getByRole('button', { name: '詳細のエクスポート' }).click();
  if (!(await page.getByRole('radio', { name: 'カンマ区切り形式（csv）' }).isChecked())) {
    problems.push('カンマ区切り形式（csv） is not the chosen format');
  }
  for (const encoding of ENCODINGS) {
    await page.getByRole('radio', { name: encoding.radio }).check();
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await exportOnce(page);
      problems.push(...fileProblems(result, encoding, rows));
      runs.push(result);
    }
    results.push({ encoding, runs });
  }
  await context.close();
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}

if (results.length) {
  console.log(`CSV export bench: R308, national (mhlw), ${rows.toLocaleString('en')} rows; release build, Chromium, SQLite, ${RUNS} runs each`);
  console.log('  "server": click → last byte of the server\'s answer (every row); "browser": the rest, until the');
  console.log('  file is offered (decoding the rows, writing the CSV, the download)');
  console.log(`${'encoding'.padEnd(10)}${pad('total median', 14)}${pad('slowest', 10)}${pad('server median', 15)}${pad('browser median', 16)}${pad('file bytes', 13)}`);
  for (const { encoding, runs } of results) {
    const total = runs.map((r) => r.totalMs);
    const browserMs = runs.map((r) => r.totalMs - r.serverMs);
    console.log(
      `${encoding.name.padEnd(10)}${pad(ms(median(total)), 14)}${pad(ms(Math.max(...total)), 10)}` +
        `${pad(ms(median(runs.map((r) => r.serverMs))), 15)}${pad(ms(median(browserMs)), 16)}` +
        `${pad(runs[0].bytes.length.toLocaleString('en'), 13)}`,
    );
    console.log(`  each run (total ms): ${total.map((t) => Math.round(t)).join(', ')}`);
  }
  const answer = results[0].runs[0];
  console.log(`server's answer: ${answer.answerBytes.toLocaleString('en')} bytes (${answer.answerEncoding})`);
  const missed = results.filter(({ runs }) => median(runs.map((r) => r.totalMs)) >= GOAL_MS).map(({ encoding }) => encoding.name);
  console.log(
    missed.length
      ? `goal < ${ms(GOAL_MS)} (issue 11): NOT met, median over it for ${missed.join(' and ')}`
      : `goal < ${ms(GOAL_MS)} (issue 11): met (median, both encodings)`,
  );
}
for (const problem of problems) console.error(`FAIL: ${problem}`);
process.exit(problems.length ? 1 : 0);
