import { parseMetric } from '@k8s-app-monitor/metrics-contract';
import {
  freePort,
  hang,
  pngDimensions,
  respondWith,
  ServiceProcess,
  startTestServer,
  stopProcess,
  waitForStatus,
} from '@k8s-app-monitor/test-support';
import { EXAMPLE_METRIC } from '@k8s-app-monitor/metrics-contract';
import { startAgent, startMonitorTest, startMonitorTestMock } from './services';

const UPSTREAM_TIMEOUT_MS = 500;
/** Time allowed on top of the upstream timeout for the agent to answer (loaded CI machine). */
const MARGIN_MS = 1_000;

const upstreams = [
  {
    name: 'the real monitor-test',
    start: (port: number) =>
      startMonitorTest(port, { HOSTNAME: 'k8s-app-monitor-test-e2e' }),
    host: 'k8s-app-monitor-test-e2e',
  },
  // The agent developed against the documented API alone: the mock serves the blueprint's examples.
  {
    name: 'the API Blueprint mock',
    start: startMonitorTestMock,
    host: EXAMPLE_METRIC.host,
  },
];

/** The agent as a process, against an upstream process, and against broken ones. */
describe.each(upstreams)('monitor-agent with $name', ({ start, host }) => {
  let upstreamPort: number;
  let agentPort: number;
  let monitorTest: ServiceProcess | undefined;
  let agent: ServiceProcess;
  const agentUrl = (path: string) => `http://127.0.0.1:${agentPort}${path}`;

  beforeAll(async () => {
    upstreamPort = await freePort();
    agentPort = await freePort();
    monitorTest = await start(upstreamPort);
    agent = await startAgent(agentPort, upstreamPort, {
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      // This suite checks each failure as such; the circuit breaker (which would turn them all into
      // fast `circuit-open` answers) and the poller's background calls have their own tests.
      UPSTREAM_BREAKER_THRESHOLD: '1000',
      POLL_INTERVAL_MS: '3600000',
    });
  });

  afterAll(async () => {
    if (monitorTest) await stopProcess(monitorTest);
    if (agent) await stopProcess(agent);
  });

  async function timedGet(path: string) {
    const started = Date.now();
    const res = await fetch(agentUrl(path));
    const body = Buffer.from(await res.arrayBuffer());
    return { res, body, elapsed: Date.now() - started };
  }

  it('charts live data from monitor-test as a 1024x512 PNG', async () => {
    await waitForStatus(agentUrl('/readyz'));
    const { res, body } = await timedGet('/k8s-app-monitor-agent');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(pngDimensions(body)).toEqual({ width: 1024, height: 512 });
  });

  it('talks to the same upstream the metric comes from', async () => {
    const metric = parseMetric(
      await (await fetch(`http://127.0.0.1:${upstreamPort}/metrics`)).json(),
    );
    expect(metric.ok && metric.metric.host).toBe(host);
  });

  async function expectUpstreamFailure(status: number, failure: string) {
    const { res, body, elapsed } = await timedGet('/k8s-app-monitor-agent');
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(body.toString())).toMatchObject({
      statusCode: status,
      failure,
    });
    expect(elapsed).toBeLessThan(UPSTREAM_TIMEOUT_MS + MARGIN_MS);
    // The agent stays up: liveness is fine, readiness reports the dependency.
    expect((await fetch(agentUrl('/healthz'))).status).toBe(200);
    expect(agent.child.exitCode).toBeNull();
  }

  it('answers 503 while monitor-test is stopped, and readiness fails', async () => {
    if (monitorTest) await stopProcess(monitorTest);
    monitorTest = undefined;
    await expectUpstreamFailure(503, 'unreachable');
    await waitForStatus(agentUrl('/readyz'), 503);
  });

  it('answers 503 within its timeout while monitor-test hangs', async () => {
    const hanging = await startTestServer(hang, upstreamPort);
    try {
      await expectUpstreamFailure(503, 'timeout');
    } finally {
      await hanging.close();
    }
  });

  it('answers 502 while monitor-test returns garbage', async () => {
    const garbage = await startTestServer(
      respondWith(200, '{"performance_index": "nope"}'),
      upstreamPort,
    );
    try {
      await expectUpstreamFailure(502, 'invalid-body');
    } finally {
      await garbage.close();
    }
  });

  it('recovers by itself when monitor-test comes back', async () => {
    monitorTest = await start(upstreamPort);
    await waitForStatus(agentUrl('/readyz'));
    const { res, body } = await timedGet('/k8s-app-monitor-agent');
    expect(res.status).toBe(200);
    expect(pngDimensions(body)).toEqual({ width: 1024, height: 512 });
  });
});
