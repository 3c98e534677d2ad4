import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EXAMPLE_METRIC,
  serializeJson,
} from '@k8s-app-monitor/metrics-contract';
import { loadConfig, Telemetry } from '@k8s-app-monitor/service-kit';
import {
  Handler,
  hang,
  healthyUpstream,
  respondWith,
  startTestServer,
  TestServer,
} from '@k8s-app-monitor/test-support';
import { monitorAgentEnv } from '../service';
import { MonitorTestClient } from '../upstream';
import { HistoryPoller } from './history.poller';
import { HistoryStore } from './history.store';

const POLL_MS = 100;

/** Two replicas behind one Service: answers alternate between two pod names. */
function twoReplicas(): Handler {
  let next = 0;
  return (req, res) => {
    if (req.url !== '/metrics') return healthyUpstream(req, res);
    const host = `monitor-test-${next++ % 2 === 0 ? 'aaaaa' : 'bbbbb'}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(serializeJson({ ...EXAMPLE_METRIC, host }));
  };
}

async function until(
  condition: () => boolean,
  timeoutMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('HistoryPoller', () => {
  let upstream: TestServer;
  let store: HistoryStore;
  let poller: HistoryPoller;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    upstream = await startTestServer(healthyUpstream);
    const config = loadConfig(monitorAgentEnv, {
      MONITOR_TEST_URL: upstream.url,
      UPSTREAM_TIMEOUT_MS: '150',
      POLL_INTERVAL_MS: String(POLL_MS),
      HISTORY_SIZE: '50',
      UPSTREAM_BREAKER_HALF_OPEN_MS: '100',
    });
    const http = new HttpService(
      axios.create() as unknown as ConstructorParameters<typeof HttpService>[0],
    );
    store = new HistoryStore(config);
    poller = new HistoryPoller(
      new MonitorTestClient(http, config, new Telemetry()),
      store,
      config,
      new Telemetry(),
    );
  });
  afterEach(async () => {
    await poller.stop();
    await upstream.close();
  });

  it('samples monitor-test on the interval, one series per replica', async () => {
    upstream.use(twoReplicas());
    const started = Date.now();
    poller.start();
    await until(() => poller.upstreamStatus().polls >= 6);
    const elapsed = Date.now() - started;
    expect(store.hostNames()).toEqual([
      'monitor-test-aaaaa',
      'monitor-test-bbbbb',
    ]);
    expect(store.samples('monitor-test-aaaaa').length).toBeGreaterThanOrEqual(
      3,
    );
    expect(store.samples('monitor-test-aaaaa')[0].performance_index).toEqual(
      EXAMPLE_METRIC.performance_index,
    );
    // The first poll is immediate, then one per interval: six polls take about five intervals.
    expect(elapsed).toBeGreaterThanOrEqual(5 * POLL_MS - 20);
    expect(poller.upstreamStatus()).toMatchObject({
      state: 'up',
      consecutiveFailures: 0,
      lastError: undefined,
    });
  });

  it('records failures as gaps with the error and keeps polling, then recovers', async () => {
    upstream.use(respondWith(500, 'oops'));
    poller.start();
    await until(() => poller.upstreamStatus().consecutiveFailures >= 2);
    upstream.use(hang);
    await until(
      () => store.gapsSince(0).some((gap) => gap.failure === 'timeout'),
      5000,
    );
    const down = poller.upstreamStatus();
    expect(down.state).toBe('down');
    expect(down.lastSuccessAt).toBeUndefined();
    expect(store.gapsSince(0)[0]).toMatchObject({
      failure: 'bad-status',
      message: 'monitor-test answered 500',
    });
    expect(down.lastError?.failure).toMatch(/^(timeout|circuit-open)$/);

    upstream.use(healthyUpstream);
    await until(() => poller.upstreamStatus().state === 'up');
    const up = poller.upstreamStatus();
    expect(up.consecutiveFailures).toBe(0);
    expect(up.lastSuccessAt).toBeGreaterThan(0);
    // The error of the outage stays visible after recovery.
    expect(up.lastError?.failure).toMatch(/^(timeout|circuit-open)$/);
    expect(store.latest()[0].host).toBe(EXAMPLE_METRIC.host);
  });

  it('never lets an unexpected error escape a poll', async () => {
    jest.spyOn(store, 'recordSample').mockImplementation(() => {
      throw new Error('boom');
    });
    await expect(poller.pollOnce()).resolves.toBeUndefined();
    expect(poller.upstreamStatus()).toMatchObject({
      state: 'down',
      lastError: { failure: 'error', message: 'boom' },
    });
  });

  it("never keeps the process alive: its timer is unref'd", async () => {
    poller.start();
    await until(() => poller.upstreamStatus().polls >= 1);
    const timer = (poller as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
  });

  it('stops polling on stop(), waiting for the poll in flight', async () => {
    upstream.use(hang);
    poller.start();
    await sleep(20);
    await poller.stop();
    const polls = poller.upstreamStatus().polls;
    expect(polls).toBe(1);
    await sleep(3 * POLL_MS);
    expect(poller.upstreamStatus().polls).toBe(polls);
  });
});
