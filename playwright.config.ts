import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--lang=zh-CN', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
};

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    // One host name everywhere, or Auth.js rejects its own callback URL.
    baseURL: `http://localhost:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'desktop', testIgnore: [/mobile\.spec\.ts/, /transfers\.spec\.ts/], use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 860 }, launchOptions: chromium } },
    // Completed transfers move effective records into 西湖区: they run after the collection specs have counted theirs.
    { name: 'transfers', testMatch: /transfers\.spec\.ts/, dependencies: ['desktop'], use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 860 }, launchOptions: chromium } },
    { name: 'mobile', testMatch: /mobile\.spec\.ts/, use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, launchOptions: chromium } },
  ],
  webServer: {
    command: 'node_modules/.bin/tsx --conditions=react-server e2e/serve.ts',
    url: `http://localhost:${port}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    // The specs play clients behind a proxy on loopback (X-Forwarded-For), and sign-in slowdowns run at a tenth.
    // Jurisdictions above 20 teachers take the combined query's background path when the statistics cannot answer it.
    env: { PORT: String(port), TRUSTED_PROXIES: 'loopback', SIGNIN_DELAY_BASE_MS: '100', QUERY_DIRECT_LIMIT: '20' },
  },
});
