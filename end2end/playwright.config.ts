import { defineConfig } from '@playwright/test';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
// Overridable so that two work trees can run their browser tests at the same time.
export const SERVER_PORT = Number(process.env.VSYS_E2E_PORT ?? 3107);
export const SMTP_PORT = Number(process.env.VSYS_E2E_SMTP_PORT ?? 2527);
export const MAIL_FILE = path.join(__dirname, 'test-results', 'mail.jsonl');
export const DATABASE_URL = `sqlite://${path.join(__dirname, 'test-results', 'e2e.db')}`;
/** The key that encrypts authenticator secrets, shared by the server and `vsys totp`. */
export const TOTP_KEY_FILE = path.join(__dirname, 'test-results', 'totp.key');
export const VSYS_BIN = process.env.VSYS_BIN ?? path.join(root, 'target', 'debug', 'vsys');

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results/output',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${SERVER_PORT}`,
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
    },
  },
  webServer: [
    {
      command: `python3 smtp_sink.py --port ${SMTP_PORT} --out ${MAIL_FILE}`,
      port: SMTP_PORT,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `rm -f test-results/e2e.db* && ${VSYS_BIN} serve --demo`,
      url: `http://127.0.0.1:${SERVER_PORT}/login`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        DATABASE_URL,
        VSYS_TOTP_KEY_FILE: TOTP_KEY_FILE,
        VSYS_BIND: `127.0.0.1:${SERVER_PORT}`,
        VSYS_DIST_DIR: path.join(root, 'dist'),
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(SMTP_PORT),
        SMTP_SECURITY: 'none',
        VSYS_AUTH_RATE_LIMIT: '1000',
        RUST_LOG: 'warn',
      },
    },
  ],
});
