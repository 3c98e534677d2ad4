import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { EXAMPLE_METRIC, serializeJson } from '@k8s-app-monitor/metrics-contract';
import { loadConfig } from '@k8s-app-monitor/service-kit';
import {
  endlessBody,
  freePort,
  hang,
  healthyUpstream,
  respondWith,
  startTestServer,
  TestServer,
} from '@k8s-app-monitor/test-support';
import { monitorAgentEnv } from '../service';
import { MonitorTestClient } from './monitor-test.client';
import { UpstreamError } from './upstream.error';

const TIMEOUT_MS = 300;

// axios ships separate CJS and ESM typings that TypeScript treats as different types.
const httpService = () => new HttpService(axios.create() as unknown as ConstructorParameters<typeof HttpService>[0]);

function clientFor(url: string): MonitorTestClient {
  const config = loadConfig(monitorAgentEnv, { MONITOR_TEST_URL: url, UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
  return new MonitorTestClient(httpService(), config);
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

describe('MonitorTestClient', () => {
  let upstream: TestServer;
  let client: MonitorTestClient;

  beforeAll(async () => {
    upstream = await startTestServer(healthyUpstream);
    client = clientFor(upstream.url);
  });
  afterEach(() => upstream.use(healthyUpstream));
  afterAll(() => upstream.close());

  it('builds the original URL from SERVICE_NAME and APP_PORT', () => {
    const config = loadConfig(monitorAgentEnv, { SERVICE_NAME: 'k8s-app-monitor-test', APP_PORT: '3000' });
    expect(new MonitorTestClient(httpService(), config).metricsUrl).toBe(
      'http://k8s-app-monitor-test:3000/metrics',
    );
  });

  it('returns the validated metric', async () => {
    await expect(client.fetchMetric()).resolves.toEqual(EXAMPLE_METRIC);
    await expect(client.checkHealth()).resolves.toBeUndefined();
  });

  it.each([
    ['a non-200 status', respondWith(500, 'oops'), 'bad-status', 502],
    ['a body that is not JSON', respondWith(200, '<html>'), 'invalid-body', 502],
    ['JSON that breaks the contract', respondWith(200, serializeJson({ ...EXAMPLE_METRIC, host: 7 })), 'invalid-body', 502],
    ['an endless body', endlessBody, 'invalid-body', 502],
    ['no answer at all', hang, 'timeout', 503],
  ] as const)('turns %s into a %s error (%i)', async (_case, behaviour, failure, status) => {
    upstream.use(behaviour);
    const started = Date.now();
    const error = await failureOf(client.fetchMetric());
    expect(error.failure).toBe(failure);
    expect(error.httpStatus).toBe(status);
    expect(error.url).toBe(`${upstream.url}/metrics`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
  });

  it('reports a refused connection as unreachable', async () => {
    const error = await failureOf(clientFor(`http://127.0.0.1:${await freePort()}`).fetchMetric());
    expect(error.failure).toBe('unreachable');
    expect(error.httpStatus).toBe(503);
  });
});
