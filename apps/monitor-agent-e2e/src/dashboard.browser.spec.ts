import {
  consistencyViolations,
  Metric,
} from '@k8s-app-monitor/metrics-contract';
import {
  freePort,
  pngDimensions,
  ServiceProcess,
  startNodeProcess,
  stopProcess,
  waitForStatus,
} from '@k8s-app-monitor/test-support';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, chromium, Page } from 'playwright-core';
import { kubernetesService, Proxy, strippingIngress } from './proxies';
import {
  CHROMIUM,
  eventually,
  MONITOR_AGENT,
  MONITOR_TEST,
  SCREENSHOTS,
  updates,
  watchProblems,
} from './support';

const PREFIX = '/k8s-app-monitor-agent';
/** Two replicas behind one Service, as after `kubectl scale --replicas=2`. */
const PODS = [
  'k8s-app-monitor-test-5d9c7b8f6-x2k9q',
  'k8s-app-monitor-test-5d9c7b8f6-q7wzt',
];

interface ChartLine {
  host: string;
  field: string;
  data: { x: number; y: number | null }[];
}

interface HistoryBody {
  series: {
    host: string;
    points: ({ time: string } & Record<string, number | string>)[];
  }[];
  gaps: { time: string; failure: string }[];
}

async function chartLines(page: Page, id: string): Promise<ChartLine[]> {
  return page.evaluate((canvasId) => {
    const chart = (
      window as unknown as {
        Chart: { getChart(id: string): { data: { datasets: ChartLine[] } } };
      }
    ).Chart.getChart(canvasId);
    return chart.data.datasets.map((d) => ({
      host: d.host,
      field: d.field,
      data: d.data,
    }));
  }, id);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('monitor-agent dashboard in Chromium', () => {
  let browser: Browser;
  const testPorts: number[] = [];
  const tests: ServiceProcess[] = [];
  let service: Proxy;
  let agent: ServiceProcess;
  let agentUrl: string;
  let dashboardUrl: string;

  const startMonitorTest = (index: number) => {
    tests[index] = startNodeProcess(MONITOR_TEST, {
      PORT: String(testPorts[index]),
      HOSTNAME: PODS[index],
    });
    return waitForStatus(`http://127.0.0.1:${testPorts[index]}/healthz`);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    testPorts.push(await freePort(), await freePort());
    await Promise.all([startMonitorTest(0), startMonitorTest(1)]);
    service = await kubernetesService(
      testPorts.map((port) => `http://127.0.0.1:${port}`),
    );
    const agentPort = await freePort();
    agentUrl = `http://127.0.0.1:${agentPort}`;
    dashboardUrl = `${agentUrl}${PREFIX}/`;
    agent = startNodeProcess(MONITOR_AGENT, {
      PORT: String(agentPort),
      MONITOR_TEST_URL: service.url,
      BASE_PATH: PREFIX,
      POLL_INTERVAL_MS: '200',
      UPSTREAM_TIMEOUT_MS: '500',
      UPSTREAM_BREAKER_HALF_OPEN_MS: '300',
    });
    await waitForStatus(`${agentUrl}/healthz`);
    browser = await chromium.launch(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(
      [agent, ...tests].filter(Boolean).map((p) => stopProcess(p)),
    );
    await service?.close();
  });

  describe(`under BASE_PATH=${PREFIX}, at 1280x720`, () => {
    let page: Page;
    let problems: string[];
    const requested: string[] = [];

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      problems = watchProblems(page);
      page.on('request', (req) => requested.push(req.url()));
      await page.goto(dashboardUrl);
    });
    afterAll(() => page.close());

    it('loads with a title, labelled charts, no console errors and no failed requests', async () => {
      expect(await page.title()).toBe('k8s-app-monitor-agent: live dashboard');
      await eventually(
        async () => (await updates(page)) >= 2,
        10_000,
        'two dashboard updates',
      );
      for (const id of [
        'chart-latency',
        'chart-traffic',
        'chart-failratio',
        'chart-concurrency',
      ]) {
        const canvas = page.locator(`#${id}`);
        expect(await canvas.getAttribute('role')).toBe('img');
        const caption = await page
          .locator(`#${await canvas.getAttribute('aria-labelledby')}`)
          .textContent();
        expect(caption?.trim().length).toBeGreaterThan(5);
        expect((await canvas.boundingBox())?.height).toBeGreaterThan(150);
      }
      expect(await page.locator('#banner').isVisible()).toBe(false);
      expect(problems).toEqual([]);
    });

    it('shows one series and one tile per monitor-test replica, with the data the API serves', async () => {
      await eventually(
        async () => (await page.locator('.tile').count()) === 2,
        10_000,
        'a tile per replica',
      );
      const latest = await getJson<{ hosts: { host: string }[] }>(
        `${dashboardUrl}api/metrics/latest`,
      );
      expect(latest.hosts.map((h) => h.host)).toEqual([...PODS].sort());

      const lines = await chartLines(page, 'chart-latency');
      const history = await getJson<HistoryBody>(
        `${dashboardUrl}api/metrics/history`,
      );
      expect(new Set(lines.map((line) => line.host))).toEqual(new Set(PODS));
      let compared = 0;
      for (const line of lines) {
        const points =
          history.series.find((s) => s.host === line.host)?.points ?? [];
        const byTime = new Map(points.map((p) => [Date.parse(p.time), p]));
        for (const { x, y } of line.data) {
          if (y === null) continue;
          // Every point drawn is a sample the agent holds for that pod, value for value.
          expect(byTime.get(x)?.[line.field]).toBe(y);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(6);

      // The samples are monitor-test's: internally consistent (ratio = failed / access, min <= avg <= max).
      for (const series of history.series) {
        for (const { time, ...values } of series.points) {
          const metric = {
            host: series.host,
            app_name: 'test-app',
            domain: 'test-domain',
            performance_index: values,
          } as unknown as Metric;
          expect([time, consistencyViolations(metric)]).toEqual([time, []]);
        }
      }

      // A tile shows the newest sample of its pod.
      const tile = page.locator(`.tile[data-host="${PODS[0]}"]`);
      const shown = Number(
        (
          await tile.locator('dd[data-field="accessAmount"]').textContent()
        )?.trim(),
      );
      const recent = history.series
        .find((s) => s.host === PODS[0])
        ?.points.map((p) => p['accessAmount']);
      expect(recent).toContain(shown);
    });

    it('updates the charts over time without reloading', async () => {
      const before = await chartLines(page, 'chart-traffic');
      const newest = (lines: ChartLine[]) =>
        Math.max(...lines.flatMap((l) => l.data.map((p) => p.x)));
      const count = (lines: ChartLine[]) =>
        lines.reduce((n, l) => n + l.data.length, 0);
      const updatesBefore = await updates(page);
      await sleep(1_500);
      const after = await chartLines(page, 'chart-traffic');
      expect(await updates(page)).toBeGreaterThan(updatesBefore);
      expect(newest(after)).toBeGreaterThan(newest(before));
      expect(count(after)).toBeGreaterThan(count(before));
      // After the first full load the page asks only for what is new.
      expect(
        requested.filter((url) => url.includes('api/metrics/history?since='))
          .length,
      ).toBeGreaterThan(2);
      expect(problems).toEqual([]);
    });

    it('hides all lines of a host from a click on its legend entry, across updates', async () => {
      type Legend = {
        legendHitBoxes: {
          left: number;
          top: number;
          width: number;
          height: number;
        }[];
        legendItems: { text: string; datasetIndex: number }[];
      };
      const legendBox = async () =>
        page.evaluate(() => {
          const chart = (
            window as unknown as {
              Chart: {
                getChart(id: string): {
                  legend: Legend;
                  data: { datasets: { host: string }[] };
                };
              };
            }
          ).Chart.getChart('chart-latency');
          const box = chart.legend.legendHitBoxes[0];
          return {
            x: box.left + box.width / 2,
            y: box.top + box.height / 2,
            host: chart.data.datasets[chart.legend.legendItems[0].datasetIndex]
              .host,
          };
        });
      const visibleHosts = () =>
        page.evaluate(() => {
          const chart = (
            window as unknown as {
              Chart: {
                getChart(id: string): {
                  data: { datasets: { host: string }[] };
                  isDatasetVisible(i: number): boolean;
                };
              };
            }
          ).Chart.getChart('chart-latency');
          return chart.data.datasets
            .filter((_d, i) => chart.isDatasetVisible(i))
            .map((d) => d.host);
        });
      const canvas = await page.locator('#chart-latency').boundingBox();
      if (!canvas) throw new Error('the latency chart is not laid out');
      const target = await legendBox();
      // One legend entry per host, not per line: the caption explains solid, dashed and dotted.
      expect(
        await page.evaluate(
          () =>
            (
              window as unknown as {
                Chart: { getChart(id: string): { legend: Legend } };
              }
            ).Chart.getChart('chart-latency').legend.legendItems.length,
        ),
      ).toBe(2);
      await page.mouse.click(canvas.x + target.x, canvas.y + target.y);
      const seen = await updates(page);
      await eventually(
        async () => (await updates(page)) > seen + 1,
        5_000,
        'two more updates',
      );
      const visible = await visibleHosts();
      expect(visible).not.toContain(target.host);
      expect(visible).toHaveLength(3);
      await page.mouse.click(canvas.x + target.x, canvas.y + target.y);
      await eventually(
        async () => (await visibleHosts()).length === 6,
        5_000,
        'all lines visible again',
      );
    });

    it('saves screenshots at 1280x720 and at phone width', async () => {
      // Enough history for lines worth looking at.
      await sleep(6_000);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png') });
      const phone = await browser.newPage({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
      });
      const phoneProblems = watchProblems(phone);
      await phone.goto(dashboardUrl);
      await eventually(
        async () => (await updates(phone)) >= 2,
        10_000,
        'phone page updates',
      );
      // Nothing wider than the screen: no sideways scrolling on a phone.
      expect(
        await phone.evaluate(() => document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(390);
      await phone.screenshot({
        path: join(SCREENSHOTS, 'dashboard-phone.png'),
        fullPage: true,
      });
      await phone.close();
      expect(phoneProblems).toEqual([]);
    });

    it('shows a banner while monitor-test is unreachable and clears it by itself', async () => {
      await Promise.all(tests.map((p) => stopProcess(p)));
      const banner = page.locator('#banner');
      await eventually(
        () => banner.isVisible(),
        15_000,
        'the unreachable banner',
      );
      expect(await banner.textContent()).toMatch(/monitor-test is unreachable/);
      expect(await banner.getAttribute('role')).toBe('alert');
      await page.screenshot({
        path: join(SCREENSHOTS, 'dashboard-unreachable.png'),
      });

      await Promise.all([startMonitorTest(0), startMonitorTest(1)]);
      await eventually(
        async () => !(await banner.isVisible()),
        15_000,
        'the banner to clear',
      );
      // The outage is a gap in the lines, not a straight line across it.
      const lines = await chartLines(page, 'chart-latency');
      expect(lines.some((line) => line.data.some((p) => p.y === null))).toBe(
        true,
      );
      // The agent's own API kept answering during the outage: the page saw no failed request.
      expect(problems).toEqual([]);
    });

    it('keeps the original chart URL a PNG and the probes at the root', async () => {
      const res = await fetch(`${agentUrl}${PREFIX}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(pngDimensions(Buffer.from(await res.arrayBuffer()))).toEqual({
        width: 1024,
        height: 512,
      });
      expect((await fetch(`${agentUrl}/healthz`)).status).toBe(200);
      const history = await fetch(
        `${dashboardUrl}charts/history.png?metric=avgLatency&width=800&height=400`,
      );
      expect(pngDimensions(Buffer.from(await history.arrayBuffer()))).toEqual({
        width: 800,
        height: 400,
      });
    });
  });

  describe('behind an ingress that strips the prefix (BASE_PATH unset)', () => {
    let plainAgent: ServiceProcess;
    let ingress: Proxy;

    beforeAll(async () => {
      const port = await freePort();
      plainAgent = startNodeProcess(MONITOR_AGENT, {
        PORT: String(port),
        MONITOR_TEST_URL: service.url,
        POLL_INTERVAL_MS: '200',
      });
      await waitForStatus(`http://127.0.0.1:${port}/healthz`);
      ingress = await strippingIngress(PREFIX, `http://127.0.0.1:${port}`);
    });
    afterAll(async () => {
      await ingress?.close();
      if (plainAgent) await stopProcess(plainAgent);
    });

    it('works with relative URLs only', async () => {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 720 },
      });
      const problems = watchProblems(page);
      const requested: string[] = [];
      page.on('request', (req) => requested.push(new URL(req.url()).pathname));
      await page.goto(`${ingress.url}${PREFIX}/`);
      await eventually(
        async () => (await page.locator('.tile').count()) === 2,
        10_000,
        'a tile per replica',
      );
      expect(
        (await chartLines(page, 'chart-concurrency')).every(
          (line) => line.data.length > 0,
        ),
      ).toBe(true);
      expect(requested.length).toBeGreaterThan(4);
      for (const path of requested)
        expect(path.startsWith(`${PREFIX}/`)).toBe(true);
      await page.close();
      expect(problems).toEqual([]);
    });
  });
});
