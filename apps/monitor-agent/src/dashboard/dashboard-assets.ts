import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's own files, next to this module in the sources and next to main.js in the build. */
export const ASSET_DIR = join(__dirname, 'assets');
export const PAGE_FILE = 'index.html';
/** The page's files served under `assets/`. */
const OWN_ASSETS = ['dashboard.js', 'dashboard.css', 'favicon.svg'];
/** chart.js for the browser, from the installed package: no CDN, workshops are often offline. */
export const CHART_JS_ASSET = 'chart.umd.min.js';

function asset(file: string): Asset {
  const body = readFileSync(file);
  const extension = file.slice(file.lastIndexOf('.'));
  return {
    body,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** Where the installed chart.js keeps its browser build (resolved at run time, never bundled). */
export function chartJsFile(): string {
  const nodeRequire = createRequire(__filename);
  // The package exports only its module entry points; its UMD build sits next to them in dist/.
  return join(dirname(nodeRequire.resolve('chart.js')), CHART_JS_ASSET);
}

/** Reads every file once at start-up: a missing file stops the service then, not on a request. */
export function loadDashboardAssets(dir = ASSET_DIR): { page: Asset; assets: Map<string, Asset> } {
  const assets = new Map<string, Asset>();
  for (const name of OWN_ASSETS) assets.set(name, asset(join(dir, name)));
  assets.set(CHART_JS_ASSET, asset(chartJsFile()));
  return { page: asset(join(dir, PAGE_FILE)), assets };
}
