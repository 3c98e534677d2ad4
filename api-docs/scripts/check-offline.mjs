#!/usr/bin/env node
// `npm run docs:check-offline`: proves the rendered documents are readable with no network.
//  1. Statically: no http(s) URL of another host, no protocol-relative resource, no @import.
//  2. In Chromium with every non-file: request blocked: the page loads, attempts no request to the
//     network, shows its title and navigation, and a screenshot is saved for a person to look at
//     (dist/api-docs/screenshots/<service>.png).
// Run `npm run docs` first. Uses playwright-core from the root workspace and /usr/bin/chromium
// (CHROMIUM_PATH overrides).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT, SERVICES } from './lib.mjs';
import { findExternalReferences } from './offline.mjs';

const results = [];
const record = (name, ok, detail) => {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

for (const service of SERVICES) {
  const file = join(DIST, `${service}.html`);
  if (!existsSync(file)) {
    record(`${service}.html exists`, false, `${file} is missing; run npm run docs first`);
    continue;
  }
  const external = findExternalReferences(readFileSync(file, 'utf8'));
  record(`${service}.html names no external host`, external.length === 0, external.join(', '));
}

// The static check must be able to fail: feed it what aglio's stock theme emits.
const stock = `<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.3.0/css/font-awesome.min.css">` +
  `<style>@import url('https://fonts.googleapis.com/css?family=Roboto:400,700');</style><script src="//cdn.example/x.js"></script>`;
const flagged = findExternalReferences(stock).join(' ');
record(
  'the check flags the stock aglio theme',
  ['maxcdn.bootstrapcdn.com', 'fonts.googleapis.com', '//cdn.example'].every((host) => flagged.includes(host)),
  flagged,
);

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  record('chromium available', false, `${executablePath} not found (apt-get install chromium)`);
} else {
  const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  try {
    mkdirSync(join(DIST, 'screenshots'), { recursive: true });
    for (const service of SERVICES) {
      const file = join(DIST, `${service}.html`);
      if (!existsSync(file)) continue;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
      const page = await context.newPage();
      const attempted = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
        attempted.push(url);
        return route.abort('internetdisconnected');
      });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const title = await page.title();
      const navItems = await page.locator('nav a').count();
      const fontFamily = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      const shot = join(DIST, 'screenshots', `${service}.png`);
      await page.screenshot({ path: shot });
      await context.close();
      record(`${service}.html requests nothing from the network in Chromium`, attempted.length === 0, attempted.join(', '));
      record(`${service}.html runs without script errors`, errors.length === 0, errors.join('; '));
      record(
        `${service}.html shows its title and navigation`,
        title === service && navItems > 5,
        `title "${title}", ${navItems} navigation links, body font ${fontFamily}, screenshot ${shot.slice(ROOT.length + 1)}`,
      );
    }
  } finally {
    await browser.close();
  }
}

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
