import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LaunchOptions, Page } from 'playwright-core';

export const ROOT = join(__dirname, '../../..');
export const MONITOR_TEST = join(ROOT, 'dist/apps/monitor-test/main.js');
export const MONITOR_AGENT = join(ROOT, 'dist/apps/monitor-agent/main.js');
export const SCREENSHOTS = join(ROOT, 'dist/screenshots');

/** Debian's Chromium, headless, with nothing that reaches beyond loopback (see DEVELOPERS.md). */
export const CHROMIUM: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** Everything that went wrong in a page: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`status ${res.status()}: ${res.url()}`);
  });
  return problems;
}

/** How many times the page has redrawn from the API (the page counts them in `data-updates`). */
export async function updates(page: Page): Promise<number> {
  return Number(await page.locator('body').getAttribute('data-updates'));
}

export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}
