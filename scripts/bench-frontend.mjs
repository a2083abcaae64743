// node scripts/bench-frontend.mjs BASE_URL: the measurements of scripts/bench-frontend.sh against a
// running `vsys serve --demo` (which starts it). Uses the Playwright of end2end/ and Debian's
// Chromium. Exits with 1 when the login budget is exceeded or a lazy page loads with the login.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { logIn } from './bench-login.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { chromium } = createRequire(path.join(root, 'end2end', 'package.json'))('@playwright/test');

const base = process.argv[2];
const LOGIN_BUDGET = 200_000; // bytes, brotli, before the login form is usable
const APP_BUDGET = 350_000; // bytes, brotli, every page (issue 8's goal)
const CPU_SLOWDOWN = 4;
const RUNS = 5;
const isLazyModule = (url) => /\/(split|chunk)_[^/]*\.wasm$/.test(url);

/** Records, in the page's own clock, when the login form is in the document and enabled. */
function watchLoginForm() {
  new MutationObserver((_, observer) => {
    const button = document.querySelector('form button[type=submit]');
    if (document.getElementById('login_id') && document.getElementById('password') && button && !button.disabled) {
      window.__loginFormReadyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

/** A fresh browser context (empty cache) with the CPU slowed down through the DevTools protocol. */
async function slowPage(browser) {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  // Entries are added at once, in order; their sizes arrive a moment later (see `settled`).
  const fetched = [];
  let inFlight = 0;
  page.on('request', () => inFlight++);
  page.on('requestfailed', () => inFlight--);
  page.on('requestfinished', (request) => {
    inFlight--;
    const entry = { url: request.url(), bytes: 0, encoding: 'identity' };
    fetched.push(entry);
    entry.settled = (async () => {
      entry.bytes = (await request.sizes()).responseBodySize;
      entry.encoding = (await (await request.response())?.headerValue('content-encoding')) ?? 'identity';
    })();
  });
  /** Resolves once no request has been in flight for half a second. */
  const quiet = async () => {
    for (let still = 0; still < 5; still = inFlight === 0 ? still + 1 : 0) await page.waitForTimeout(100);
  };
  return { context, page, fetched, quiet };
}

/** One cold load of /login: ms until the form is usable, and what was fetched until the network rested. */
async function loadLogin(browser) {
  const { context, page, fetched, quiet } = await slowPage(browser);
  await page.addInitScript(watchLoginForm);
  await page.goto(`${base}/login`);
  await page.waitForFunction(() => window.__loginFormReadyAt !== undefined, null, { timeout: 60_000 });
  const readyMs = await page.evaluate(() => window.__loginFormReadyAt);
  await quiet();
  const assets = fetched.filter((f) => new URL(f.url).pathname.startsWith('/assets/'));
  await Promise.all(assets.map((f) => f.settled));
  await context.close();
  return { readyMs, assets };
}

/** In the page's own clock: ms from a click on the link `linkText` until a heading containing
 * `heading` is in the document. */
function timeClick(page, linkText, heading) {
  return page.evaluate(
    ([linkText, heading]) =>
      new Promise((resolve) => {
        const shown = () => [...document.querySelectorAll('h1')].some((h) => h.textContent.includes(heading));
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (shown()) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        [...document.querySelectorAll('a')].find((a) => a.textContent.trim() === linkText).click();
      }),
    [linkText, heading],
  );
}

/** Logs in as chiyoda (a municipality: password, then the authenticator code), then times two
 * route changes: to a page of the area loaded with ホーム, and to a page of an area ホーム
 * preloaded in the background (its modules must not be downloaded on the click). */
async function routeChanges(browser) {
  const { context, page, fetched, quiet } = await slowPage(browser);
  await logIn(page, base, 'chiyoda');
  let before = fetched.length;
  await page.getByRole('heading', { name: 'ホーム' }).waitFor();
  await quiet();
  // ホーム preloads the areas of the user's tabs in the background.
  const preloaded = fetched.slice(before).filter((f) => isLazyModule(f.url));
  await Promise.all(preloaded.map((f) => f.settled));
  before = fetched.length;
  const loadedMs = await timeClick(page, 'ユーザ管理', 'ユーザ一覧');
  await quiet();
  const loadedModules = fetched.slice(before).filter((f) => isLazyModule(f.url));
  before = fetched.length;
  const newMs = await timeClick(page, '情報変更申請一覧', '情報変更申請一覧');
  await quiet();
  const newModules = fetched.slice(before).filter((f) => isLazyModule(f.url));
  await Promise.all(fetched.map((f) => f.settled));
  await context.close();
  return { loadedMs, loadedModules, newMs, newModules, preloaded };
}

/** The brotli bytes of every asset of the build dist/index.html points at. */
function appBytes() {
  const html = readFileSync(path.join(root, 'dist', 'index.html'), 'utf-8');
  const build = html.match(/\/assets\/(w-[0-9a-f]+)\//)[1];
  const style = html.match(/\/assets\/(style-[0-9a-f]+\.css)/)[1];
  const dir = path.join(root, 'dist', 'assets', build);
  const files = readdirSync(dir).filter((f) => f.endsWith('.br')).map((f) => path.join(dir, f));
  files.push(path.join(root, 'dist', 'assets', `${style}.br`));
  return files.reduce((sum, file) => sum + statSync(file).size, 0);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => `${bytes.toLocaleString('en')} B`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
});
const loads = [];
for (let run = 0; run < RUNS; run++) loads.push(await loadLogin(browser));
const route = await routeChanges(browser);
await browser.close();

const { assets } = loads[0];
const loginBytes = assets.reduce((sum, f) => sum + f.bytes, 0);
const lazyAtLogin = loads.flatMap((l) => l.assets).filter((f) => isLazyModule(f.url));
const notBrotli = assets.filter((f) => f.encoding !== 'br');
const total = appBytes();
const times = loads.map((l) => Math.round(l.readyMs));

console.log('Frontend bench (release build, Chromium, CPU slowed 4×, local network)');
for (const f of assets) console.log(`  login fetches ${new URL(f.url).pathname}: ${kb(f.bytes)} (${f.encoding})`);
console.log(`bytes before login (brotli):   ${kb(loginBytes)} (budget ${kb(LOGIN_BUDGET)})`);
console.log(`total bytes, every page (br):  ${kb(total)} (issue 8 goal ${kb(APP_BUDGET)})`);
console.log(`login form interactive:        ${median(times)} ms median of ${RUNS} cold loads (${times.join(', ')} ms)`);
const modules = (list) => list.map((f) => `${path.basename(f.url)} ${kb(f.bytes)}`).join(' + ') || 'no module';
console.log(`route change, area loaded:     ${Math.round(route.loadedMs)} ms (ホーム → ユーザ一覧, ${modules(route.loadedModules)})`);
const preloadBytes = route.preloaded.reduce((sum, f) => sum + f.bytes, 0);
console.log(`preloaded after ホーム:         ${kb(preloadBytes)} in ${route.preloaded.length} modules (the areas of chiyoda's tabs)`);
console.log(`route change, area preloaded:  ${Math.round(route.newMs)} ms (→ 情報変更申請一覧, ${modules(route.newModules)} on the click)`);

const problems = [];
if (loginBytes > LOGIN_BUDGET) problems.push(`the login page needs ${kb(loginBytes)}, over the budget of ${kb(LOGIN_BUDGET)}`);
if (lazyAtLogin.length) problems.push(`the login page fetched lazy modules: ${lazyAtLogin.map((f) => f.url).join(', ')}`);
if (notBrotli.length) problems.push(`not sent as brotli: ${notBrotli.map((f) => f.url).join(', ')}`);
if (route.preloaded.length === 0) problems.push('ホーム preloaded no module: are the areas still lazy, and still preloaded?');
if (route.newModules.length !== 0) problems.push('the change to 情報変更申請一覧 waited for a module ホーム should have preloaded');
for (const problem of problems) console.error(`FAIL: ${problem}`);
process.exit(problems.length ? 1 : 0);
