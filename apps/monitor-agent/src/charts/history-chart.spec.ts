import { EXAMPLE_METRIC, Metric } from '@k8s-app-monitor/metrics-contract';
import { Telemetry } from '@k8s-app-monitor/service-kit';
import { pngDimensions } from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryStore } from '../history';
import { ChartRenderer } from './chart-renderer.service';
import { clockTime, HOST_COLOURS, historyChartConfig } from './history-chart';
import { HistoryChartService, RENDER_QUEUE } from './history-chart.service';
import { startAgentUnderTest } from '../agent-under-test';

const sample = (
  host: string,
  at: number,
  avgLatency: number,
  failRatio = 0,
) => ({
  at,
  host,
  app_name: 'test-app',
  domain: 'test-domain',
  performance_index: {
    ...EXAMPLE_METRIC.performance_index,
    avgLatency,
    failRatio,
  },
});

describe('historyChartConfig', () => {
  const config = historyChartConfig({
    metric: 'avgLatency',
    series: [
      {
        host: 'pod-a',
        samples: [sample('pod-a', 1000, 10), sample('pod-a', 3000, 30)],
      },
      { host: 'pod-b', samples: [sample('pod-b', 2000, 20)] },
    ],
    gaps: [{ at: 2500, failure: 'timeout', message: 'slow' }],
    from: 0,
    to: 4000,
  });

  it('draws one labelled line per host in distinct colours, with a legend', () => {
    expect(config.data.datasets.map((d) => d.label)).toEqual([
      'pod-a',
      'pod-b',
    ]);
    expect(config.data.datasets.map((d) => d.borderColor)).toEqual([
      HOST_COLOURS[0],
      HOST_COLOURS[1],
    ]);
    expect(config.options?.plugins?.legend?.display).toBe(true);
  });

  it('breaks every line at a failed poll instead of bridging it', () => {
    expect(config.data.datasets[0].data).toEqual([
      { x: 1000, y: 10 },
      { x: 2500, y: null },
      { x: 3000, y: 30 },
    ]);
    expect(config.data.datasets[1].data).toEqual([
      { x: 2000, y: 20 },
      { x: 2500, y: null },
    ]);
  });

  it('has a time axis over the requested window', () => {
    expect(config.options?.scales?.['x']).toMatchObject({
      type: 'linear',
      min: 0,
      max: 4000,
      title: { text: 'time (UTC)' },
    });
    expect(clockTime(Date.UTC(2026, 0, 1, 13, 4, 5))).toBe('13:04:05');
  });

  it('plots the fail ratio as a percentage and says when there is no data', () => {
    const ratio = historyChartConfig({
      metric: 'failRatio',
      series: [{ host: 'a', samples: [sample('a', 1, 0, 0.125)] }],
      gaps: [],
      from: 0,
      to: 2,
    });
    expect(ratio.data.datasets[0].data).toEqual([{ x: 1, y: 12.5 }]);
    const empty = historyChartConfig({
      metric: 'failRatio',
      series: [],
      gaps: [],
      from: 0,
      to: 2,
    });
    expect(empty.options?.plugins?.title?.text).toBe(
      'Fail ratio (%): no samples yet',
    );
  });
});

describe('GET /charts/history.png', () => {
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await startAgentUnderTest({
      POLL_INTERVAL_MS: '60000',
    }));
  });
  afterAll(() => stop());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('is a PNG of the requested size, 1024x512 by default', async () => {
    const res = await get('/charts/history.png');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(pngDimensions(res.rawPayload)).toEqual({ width: 1024, height: 512 });
    const small = await get(
      '/charts/history.png?metric=failRatio&width=200&height=300&window=60',
    );
    expect(pngDimensions(small.rawPayload)).toEqual({
      width: 200,
      height: 300,
    });
    const big = await get('/charts/history.png?width=2000&height=2000');
    expect(pngDimensions(big.rawPayload)).toEqual({
      width: 2000,
      height: 2000,
    });
  });

  it.each([
    [
      'width=199',
      'width',
      'width must be an integer from 200 to 2000, got "199"',
    ],
    [
      'height=2001',
      'height',
      'height must be an integer from 200 to 2000, got "2001"',
    ],
    [
      'width=100000000000',
      'width',
      'width must be an integer from 200 to 2000, got "100000000000"',
    ],
    [
      'width=wide',
      'width',
      'width must be an integer from 200 to 2000, got "wide"',
    ],
    [
      'window=5',
      'window',
      'window must be an integer from 10 to 86400, got "5"',
    ],
    [
      'metric=cpu',
      'metric',
      expect.stringContaining('metric must be one of failRatio,'),
    ],
  ])('?%s is a 400 naming %s', async (query, parameter, message) => {
    const res = await get(`/charts/history.png?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      parameter,
      message,
    });
  });

  it('draws once per data version and parameters, serving the previous PNG while a new one renders', async () => {
    const charts = app.get(HistoryChartService);
    const store = app.get(HistoryStore);
    const url = '/charts/history.png?metric=maxConcurrent&width=640&height=320';
    const before = charts.renderCount;
    const [a, b, c] = await Promise.all([get(url), get(url), get(url)]);
    expect(charts.renderCount).toBe(before + 1);
    expect(
      b.rawPayload.equals(a.rawPayload) && c.rawPayload.equals(a.rawPayload),
    ).toBe(true);
    store.recordSample({ ...EXAMPLE_METRIC, host: 'another-pod' } as Metric);
    // New data: one new render starts, and meanwhile the previous picture is served at once.
    const stale = await get(url);
    expect(charts.renderCount).toBe(before + 2);
    expect(stale.rawPayload.equals(a.rawPayload)).toBe(true);
    let fresh = stale;
    for (let i = 0; i < 100 && fresh.rawPayload.equals(a.rawPayload); i++) {
      await sleep(20);
      fresh = await get(url);
    }
    expect(fresh.rawPayload.equals(a.rawPayload)).toBe(false);
    expect(pngDimensions(fresh.rawPayload)).toEqual({
      width: 640,
      height: 320,
    });
    expect(charts.renderCount).toBe(before + 2);
  });

  it('answers 503 with Retry-After when too many different charts are requested at once', async () => {
    const requests = Array.from({ length: 40 }, (_, i) =>
      get(`/charts/history.png?width=200&height=200&window=${1000 + i}`),
    );
    const answers = await Promise.all(requests);
    const ok = answers.filter((res) => res.statusCode === 200);
    const busy = answers.filter((res) => res.statusCode === 503);
    expect(ok.length + busy.length).toBe(40);
    expect(ok.length).toBeGreaterThanOrEqual(RENDER_QUEUE);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].headers['retry-after']).toBe('1');
    expect(busy[0].json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'too many charts are being drawn; retry in a moment',
    });
    // Once the queue drained, charts render again.
    expect(
      (await get('/charts/history.png?width=200&height=200&window=999'))
        .statusCode,
    ).toBe(200);
  });

  // Not an assertion (machines differ): prints what one uncached render costs, to size the cache decision.
  it('measures the render time of a full history chart', async () => {
    const store = new HistoryStore({ HISTORY_SIZE: 300 });
    const start = Date.now() - 300 * 2000;
    for (let i = 0; i < 300; i++) {
      for (const host of ['pod-aaaaa', 'pod-bbbbb', 'pod-ccccc']) {
        const avgLatency = Math.round(50 + 40 * Math.sin(i / 10 + host.length));
        store.recordSample(
          {
            ...EXAMPLE_METRIC,
            host,
            performance_index: {
              ...EXAMPLE_METRIC.performance_index,
              avgLatency,
            },
          },
          start + i * 2000,
        );
      }
    }
    const charts = new HistoryChartService(
      store,
      new ChartRenderer(new Telemetry()),
      { POLL_INTERVAL_MS: 2000, HISTORY_SIZE: 300 },
    );
    const params = {
      metric: 'avgLatency' as const,
      width: 1024,
      height: 512,
      windowSeconds: 600,
    };
    const renderer = new ChartRenderer(new Telemetry());
    await renderer.render(charts.config(params) as never, 1024, 512); // warm-up (fonts, JIT)
    const times: number[] = [];
    const syncTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const png = renderer.render(charts.config(params) as never, 1024, 512);
      syncTimes.push(performance.now() - t0);
      await png;
      times.push(performance.now() - t0);
    }
    const median = (xs: number[]) =>
      [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    process.stdout.write(
      `history chart 1024x512, 3 hosts x 300 samples: median ${median(times).toFixed(1)} ms per render ` +
        `(${median(syncTimes).toFixed(1)} ms of it blocking the event loop), max ${Math.max(...times).toFixed(1)} ms\n`,
    );
    const t0 = performance.now();
    await renderer.render(
      charts.config({ ...params, width: 2000, height: 2000 }) as never,
      2000,
      2000,
    );
    process.stdout.write(
      `history chart 2000x2000 (largest allowed): ${(performance.now() - t0).toFixed(1)} ms\n`,
    );
    expect(times).toHaveLength(10);
  });
});
