import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import {
  EXAMPLE_METRIC,
  serializeJson,
} from '@k8s-app-monitor/metrics-contract';
import { loadConfig, Telemetry } from '@k8s-app-monitor/service-kit';
import {
  endlessBody,
  freePort,
  Handler,
  hang,
  healthyUpstream,
  respondWith,
  startTestServer,
  TestServer,
} from '@k8s-app-monitor/test-support';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorAgentEnv } from '../service';
import { MonitorTestClient } from './monitor-test.client';
import { UpstreamError } from './upstream.error';

const TIMEOUT_MS = 300;
const HALF_OPEN_MS = 300;

// axios ships separate CJS and ESM typings that TypeScript treats as different types.
const httpService = () =>
  new HttpService(
    axios.create() as unknown as ConstructorParameters<typeof HttpService>[0],
  );

function clientFor(
  url: string,
  env: Record<string, string> = {},
): MonitorTestClient {
  const config = loadConfig(monitorAgentEnv, {
    MONITOR_TEST_URL: url,
    UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    UPSTREAM_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    ...env,
  });
  return new MonitorTestClient(httpService(), config, new Telemetry());
}

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

/** Wraps a behaviour so the test can count the calls that reached the upstream. */
function counted(handler: Handler): {
  handler: Handler;
  calls: () => number;
  seenIds: string[];
} {
  let calls = 0;
  const seenIds: string[] = [];
  return {
    handler: (req, res) => {
      calls++;
      seenIds.push(String(req.headers['x-request-id']));
      handler(req, res);
    },
    calls: () => calls,
    seenIds,
  };
}

describe('MonitorTestClient', () => {
  let upstream: TestServer;

  beforeAll(async () => {
    upstream = await startTestServer(healthyUpstream);
  });
  afterEach(() => upstream.use(healthyUpstream));
  afterAll(() => upstream.close());

  it('builds the original URL from SERVICE_NAME and APP_PORT', () => {
    const config = loadConfig(monitorAgentEnv, {
      SERVICE_NAME: 'k8s-app-monitor-test',
      APP_PORT: '3000',
    });
    expect(
      new MonitorTestClient(httpService(), config, new Telemetry()).metricsUrl,
    ).toBe('http://k8s-app-monitor-test:3000/metrics');
  });

  it('returns the validated metric and sends a request id', async () => {
    const upstreamCalls = counted(healthyUpstream);
    upstream.use(upstreamCalls.handler);
    const client = clientFor(upstream.url);
    await expect(client.fetchMetric()).resolves.toEqual(EXAMPLE_METRIC);
    await expect(client.checkHealth()).resolves.toBeUndefined();
    expect(upstreamCalls.seenIds[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['a server error', 'bad-status', 502, 3, respondWith(500, 'oops')],
    ['a client error', 'bad-status', 502, 1, respondWith(404, 'no')],
    [
      'a body that is not JSON',
      'invalid-body',
      502,
      1,
      respondWith(200, '<html>'),
    ],
    [
      'JSON that breaks the contract',
      'invalid-body',
      502,
      1,
      respondWith(200, serializeJson({ ...EXAMPLE_METRIC, host: 7 })),
    ],
    ['an endless body', 'invalid-body', 502, 1, endlessBody],
    ['no answer at all', 'timeout', 503, 1, hang],
  ] as const)(
    'turns %s into a %s error (%i) after %i call(s)',
    async (_case, failure, status, calls, behaviour) => {
      const upstreamCalls = counted(behaviour);
      upstream.use(upstreamCalls.handler);
      const started = Date.now();
      const error = await failureOf(clientFor(upstream.url).fetchMetric());
      expect(error.failure).toBe(failure);
      expect(error.httpStatus).toBe(status);
      expect(error.url).toBe(`${upstream.url}/metrics`);
      // Only transient failures (5xx, refused connections) are retried; the deadline covers the retries.
      expect(upstreamCalls.calls()).toBe(calls);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    },
  );

  it('reports a refused connection as unreachable, after retrying it', async () => {
    const error = await failureOf(
      clientFor(`http://127.0.0.1:${await freePort()}`).fetchMetric(),
    );
    expect(error.failure).toBe('unreachable');
    expect(error.httpStatus).toBe(503);
  });

  it('rides out one failure with a retry', async () => {
    let first = true;
    const flaky = counted((req, res) => {
      if (first) {
        first = false;
        res.writeHead(503).end();
      } else healthyUpstream(req, res);
    });
    upstream.use(flaky.handler);
    await expect(clientFor(upstream.url).fetchMetric()).resolves.toEqual(
      EXAMPLE_METRIC,
    );
    expect(flaky.calls()).toBe(2);
    // The retry carries the same request id: one logical request, followed across attempts.
    expect(flaky.seenIds[0]).toBe(flaky.seenIds[1]);
  });

  it('opens the circuit after repeated failures, fails fast, then half-opens and closes again', async () => {
    const client = clientFor(upstream.url, { UPSTREAM_BREAKER_THRESHOLD: '2' });
    const failing = counted(respondWith(404, 'gone'));
    upstream.use(failing.handler);

    await failureOf(client.fetchMetric());
    await failureOf(client.fetchMetric());
    expect(client.circuit).toBe('open');

    const callsWhenOpened = failing.calls();
    const started = Date.now();
    const fastFailure = await failureOf(client.fetchMetric());
    expect(fastFailure.failure).toBe('circuit-open');
    expect(fastFailure.httpStatus).toBe(503);
    expect(Date.now() - started).toBeLessThan(50);
    expect(failing.calls()).toBe(callsWhenOpened);
    expect((await failureOf(client.checkHealth())).failure).toBe(
      'circuit-open',
    );

    upstream.use(healthyUpstream);
    await sleep(HALF_OPEN_MS + 50);
    await expect(client.fetchMetric()).resolves.toEqual(EXAMPLE_METRIC);
    expect(client.circuit).toBe('closed');
    await expect(client.checkHealth()).resolves.toBeUndefined();
  });

  it('re-opens the circuit when the half-open probe fails', async () => {
    const client = clientFor(upstream.url, { UPSTREAM_BREAKER_THRESHOLD: '1' });
    upstream.use(respondWith(404, 'gone'));
    await failureOf(client.fetchMetric());
    expect(client.circuit).toBe('open');
    await sleep(HALF_OPEN_MS + 50);
    expect((await failureOf(client.fetchMetric())).failure).toBe('bad-status');
    expect(client.circuit).toBe('open');
  });

  it('sends API_TOKEN as a bearer token when it is set', async () => {
    let authorization: string | undefined;
    upstream.use((req, res) => {
      authorization = req.headers.authorization;
      healthyUpstream(req, res);
    });
    await clientFor(upstream.url, { API_TOKEN: 'api-s3cret' }).fetchMetric();
    expect(authorization).toBe('Bearer api-s3cret');
    await clientFor(upstream.url).fetchMetric();
    expect(authorization).toBeUndefined();
  });
});
