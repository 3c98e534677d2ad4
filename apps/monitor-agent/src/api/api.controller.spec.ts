import {
  EXAMPLE_METRIC,
  PERFORMANCE_FIELDS,
} from '@k8s-app-monitor/metrics-contract';
import {
  healthyUpstream,
  respondWith,
  TestServer,
} from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryPoller } from '../history';
import { startAgentUnderTest } from '../agent-under-test';

describe('monitor-agent JSON API', () => {
  let upstream: TestServer;
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ upstream, app, stop } = await startAgentUnderTest({
      UPSTREAM_TIMEOUT_MS: '300',
      POLL_INTERVAL_MS: '100',
      HISTORY_SIZE: '20',
      UPSTREAM_BREAKER_HALF_OPEN_MS: '100',
    }));
    const poller = app.get(HistoryPoller);
    while (poller.upstreamStatus().polls < 3) await sleep(20);
  });
  afterAll(() => stop());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('GET /api/metrics/latest gives the newest sample per host with its age', async () => {
    const res = await get('/api/metrics/latest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.hosts).toHaveLength(1);
    expect(body.hosts[0]).toMatchObject({
      host: EXAMPLE_METRIC.host,
      app_name: EXAMPLE_METRIC.app_name,
      domain: EXAMPLE_METRIC.domain,
      performance_index: EXAMPLE_METRIC.performance_index,
    });
    expect(body.hosts[0].ageMs).toBeGreaterThanOrEqual(0);
    expect(body.hosts[0].ageMs).toBeLessThan(5000);
    expect(Date.parse(body.hosts[0].sampledAt)).toBeLessThanOrEqual(
      Date.parse(body.generatedAt),
    );
  });

  it('GET /api/metrics/history gives every field per point, oldest first', async () => {
    const body = (await get('/api/metrics/history')).json();
    expect(body.fields).toEqual(PERFORMANCE_FIELDS);
    expect(body.limit).toBe(20);
    expect(body.series).toHaveLength(1);
    const points = body.series[0].points;
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points[0]).toEqual({
      time: expect.any(String),
      ...EXAMPLE_METRIC.performance_index,
    });
    const times = points.map((p: { time: string }) => Date.parse(p.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('filters by metric, host and limit', async () => {
    const body = (
      await get(
        `/api/metrics/history?metric=avgLatency&limit=2&host=${EXAMPLE_METRIC.host}`,
      )
    ).json();
    expect(body.fields).toEqual(['avgLatency']);
    expect(body.series[0].points).toHaveLength(2);
    expect(body.series[0].points[1]).toEqual({
      time: expect.any(String),
      avgLatency: EXAMPLE_METRIC.performance_index.avgLatency,
    });
    expect(
      (await get('/api/metrics/history?host=no-such-pod')).json().series,
    ).toEqual([]);
  });

  it('returns only newer points and gaps with since', async () => {
    const all = (await get('/api/metrics/history')).json();
    const points = all.series[0].points;
    const cut = points[points.length - 3].time;
    const body = (
      await get(`/api/metrics/history?since=${encodeURIComponent(cut)}`)
    ).json();
    const times = body.series[0].points.map((p: { time: string }) => p.time);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.every((t: string) => Date.parse(t) > Date.parse(cut))).toBe(
      true,
    );
    expect(times.slice(0, 2)).toEqual(
      points.slice(-2).map((p: { time: string }) => p.time),
    );
    const future = (
      await get('/api/metrics/history?since=2999-01-01T00:00:00.000Z')
    ).json();
    expect(future.series).toEqual([]);
    expect(future.gaps).toEqual([]);
  });

  it.each([
    [
      'since=yesterday',
      'since',
      'since must be an ISO 8601 time such as 2026-01-01T12:00:00.000Z, got "yesterday"',
    ],
    [
      'since=1764268800000',
      'since',
      'since must be an ISO 8601 time such as 2026-01-01T12:00:00.000Z, got "1764268800000"',
    ],
    [
      'metric=latency',
      'metric',
      'metric must be one of failRatio, failAmount, accessAmount, maxConcurrent, minLatency, avgLatency, maxLatency, got "latency"',
    ],
    ['limit=abc', 'limit', 'limit must be an integer from 1 to 20, got "abc"'],
    ['limit=0', 'limit', 'limit must be an integer from 1 to 20, got "0"'],
    ['limit=21', 'limit', 'limit must be an integer from 1 to 20, got "21"'],
    ['limit=-1', 'limit', 'limit must be an integer from 1 to 20, got "-1"'],
    ['limit=1e3', 'limit', 'limit must be an integer from 1 to 20, got "1e3"'],
    ['limit=1&limit=2', 'limit', 'limit must be given once'],
    [
      'host=%3Cscript%3E',
      'host',
      'host must be a host name (a pod name), got "<script>"',
    ],
  ])(
    'GET /api/metrics/history?%s is a 400 naming %s',
    async (query, parameter, message) => {
      const res = await get(`/api/metrics/history?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        parameter,
        message,
      });
    },
  );

  it('GET /api/upstream says where the agent polls and how that goes', async () => {
    const body = (await get('/api/upstream')).json();
    expect(body).toMatchObject({
      baseUrl: upstream.url,
      metricsUrl: `${upstream.url}/metrics`,
      pollIntervalMs: 100,
      state: 'up',
      lastError: null,
      consecutiveFailures: 0,
    });
    expect(Date.parse(body.lastSuccessAt)).toBeGreaterThan(0);
    expect(body.polls).toBeGreaterThanOrEqual(3);
  });

  it('shows failed polls as gaps and in the upstream status', async () => {
    upstream.use(respondWith(500, 'down for maintenance'));
    const poller = app.get(HistoryPoller);
    while (poller.upstreamStatus().consecutiveFailures < 2) await sleep(20);
    const status = (await get('/api/upstream')).json();
    // The first failures are the 500s; later ones may be the open circuit breaker failing fast.
    expect(status).toMatchObject({
      state: 'down',
      lastError: {
        failure: expect.stringMatching(/^(bad-status|circuit-open)$/),
      },
    });
    expect(status.consecutiveFailures).toBeGreaterThanOrEqual(2);
    const history = (await get('/api/metrics/history')).json();
    expect(history.gaps.length).toBeGreaterThanOrEqual(2);
    expect(history.gaps[0]).toEqual({
      time: expect.any(String),
      failure: 'bad-status',
      message: 'monitor-test answered 500',
    });
    // The samples from before the outage are still there.
    expect(history.series[0].points.length).toBeGreaterThanOrEqual(3);
    upstream.use(healthyUpstream);
    while (poller.upstreamStatus().state !== 'up') await sleep(20);
  });
});
