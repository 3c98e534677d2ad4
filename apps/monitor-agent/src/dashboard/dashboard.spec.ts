import { ConfigError, loadConfig } from '@k8s-app-monitor/service-kit';
import { pngDimensions, TestServer } from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { monitorAgentEnv } from '../service';
import { chartJsFile } from './dashboard-assets';
import { startAgentUnderTest } from '../agent-under-test';

describe('dashboard page and assets', () => {
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await startAgentUnderTest({
      POLL_INTERVAL_MS: '60000',
    }));
  });
  afterAll(() => stop());

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('serves the page with only relative, local URLs and no inline script', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const urls = [...res.body.matchAll(/(?:src|href)="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(urls).toEqual(
      expect.arrayContaining([
        'assets/dashboard.css',
        'assets/chart.umd.min.js',
        'assets/dashboard.js',
      ]),
    );
    for (const url of urls) expect(url).not.toMatch(/^(\/|https?:|\/\/)/);
    expect(res.body).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\sstyle=|\son[a-z]+=/);
  });

  it("sends the page with helmet's document headers and a same-origin-only policy", async () => {
    const res = await get('/');
    expect(res.headers['content-security-policy']).toContain(
      "script-src 'self'",
    );
    expect(res.headers['content-security-policy']).toContain(
      "frame-ancestors 'none'",
    );
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('labels every chart for assistive technology', async () => {
    const body = (await get('/')).body;
    const canvases = [
      ...body.matchAll(
        /<canvas id="([^"]+)" role="img" aria-labelledby="([^"]+)">/g,
      ),
    ];
    expect(canvases.map((m) => m[1])).toEqual([
      'chart-latency',
      'chart-traffic',
      'chart-failratio',
      'chart-concurrency',
    ]);
    for (const [, , caption] of canvases)
      expect(body).toContain(`<figcaption id="${caption}">`);
  });

  it.each([
    ['dashboard.js', 'text/javascript; charset=utf-8'],
    ['dashboard.css', 'text/css; charset=utf-8'],
    ['chart.umd.min.js', 'text/javascript; charset=utf-8'],
  ])('serves assets/%s as %s, revalidated by ETag', async (name, type) => {
    const res = await get(`/assets/${name}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const etag = res.headers['etag'] as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(`/assets/${name}`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves chart.js from the installed package, not a CDN', async () => {
    const res = await get('/assets/chart.umd.min.js');
    expect(res.rawPayload.equals(readFileSync(chartJsFile()))).toBe(true);
    expect(res.body.slice(0, 200)).toContain('Chart.js v4');
  });

  it.each([
    '/assets/../service.ts',
    '/assets/index.html',
    '/assets/nope.js',
    '/nope',
    '/api/nope',
  ])('answers %s with a JSON 404', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('BASE_PATH=/k8s-app-monitor-agent (traefik forwards the prefix)', () => {
  let upstream: TestServer;
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ upstream, app, stop } = await startAgentUnderTest({
      POLL_INTERVAL_MS: '60000',
      BASE_PATH: '/k8s-app-monitor-agent/',
    }));
  });
  afterAll(() => stop());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves the page, its assets, the API and the history chart under the prefix', async () => {
    const page = await get('/k8s-app-monitor-agent/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(
      (await get('/k8s-app-monitor-agent/assets/dashboard.js')).statusCode,
    ).toBe(200);
    expect(
      (await get('/k8s-app-monitor-agent/api/upstream')).json(),
    ).toMatchObject({ baseUrl: upstream.url });
    expect(
      (await get('/k8s-app-monitor-agent/api/metrics/latest')).statusCode,
    ).toBe(200);
    const png = await get(
      '/k8s-app-monitor-agent/charts/history.png?width=300&height=200',
    );
    expect(pngDimensions(png.rawPayload)).toEqual({ width: 300, height: 200 });
  });

  it('keeps the original chart URL (no trailing slash) a PNG, and the probes at the root', async () => {
    const res = await get('/k8s-app-monitor-agent');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(pngDimensions(res.rawPayload)).toEqual({ width: 1024, height: 512 });
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/readyz')).statusCode).toBe(200);
  });

  it('sends the root to the dashboard and keeps unprefixed API paths unknown', async () => {
    const root = await get('/');
    expect(root.statusCode).toBe(302);
    expect(root.headers['location']).toBe('/k8s-app-monitor-agent/');
    const res = await get('/api/upstream');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404 });
  });
});

describe('BASE_PATH validation and other prefixes', () => {
  it.each(['k8s', '/a b', '/x?y', '/../etc', '/a/./b', '/a//b'])(
    'rejects BASE_PATH=%j at start-up',
    (value) => {
      expect(() => loadConfig(monitorAgentEnv, { BASE_PATH: value })).toThrow(
        ConfigError,
      );
    },
  );

  it.each([
    ['', ''],
    ['/', ''],
    ['/monitor/', '/monitor'],
    ['/team-a/monitor', '/team-a/monitor'],
  ])('normalises BASE_PATH=%j to %j', (value, expected) => {
    expect(loadConfig(monitorAgentEnv, { BASE_PATH: value }).BASE_PATH).toBe(
      expected,
    );
  });

  it('redirects the prefix without its slash to the dashboard', async () => {
    const { app, stop } = await startAgentUnderTest({
      POLL_INTERVAL_MS: '60000',
      BASE_PATH: '/team-a/monitor',
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/team-a/monitor' });
      expect(res.statusCode).toBe(308);
      expect(res.headers['location']).toBe('/team-a/monitor/');
      expect(
        (await app.inject({ method: 'GET', url: '/team-a/monitor/' }))
          .statusCode,
      ).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/k8s-app-monitor-agent' }))
          .headers['content-type'],
      ).toBe('image/png');
    } finally {
      await stop();
    }
  });
});
