import { resolve } from 'node:path';
import {
  startNodeProcess,
  ServiceProcess,
  waitForStatus,
} from '@k8s-app-monitor/test-support';

const DIST = resolve(__dirname, '../../../dist/apps');

export const MONITOR_TEST_MAIN = `${DIST}/monitor-test/main.js`;
export const MONITOR_AGENT_MAIN = `${DIST}/monitor-agent/main.js`;
/** The mock that serves monitor-test's API Blueprint examples (`npm run mock:monitor-test`). */
export const MONITOR_TEST_MOCK = resolve(
  __dirname,
  '../../../api-docs/scripts/mock.mjs',
);

/** Starts the built monitor-test on `port` and waits until it is ready. */
export async function startMonitorTest(
  port: number,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const service = startNodeProcess(MONITOR_TEST_MAIN, {
    PORT: String(port),
    HOSTNAME: 'e2e-pod',
    ...env,
  });
  await waitForStatus(`http://127.0.0.1:${port}/readyz`);
  return service;
}

/** Starts the blueprint-driven mock of monitor-test on `port` and waits until it answers. */
export async function startMonitorTestMock(
  port: number,
): Promise<ServiceProcess> {
  const service = startNodeProcess(MONITOR_TEST_MOCK, { PORT: String(port) });
  // api-docs' packages are there: the e2e target depends on api-docs:deps.
  await waitForStatus(`http://127.0.0.1:${port}/readyz`);
  return service;
}

/** Starts the built agent on `port`, pointed at monitor-test on `upstreamPort`; waits for liveness only. */
export async function startAgent(
  port: number,
  upstreamPort: number,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const service = startNodeProcess(MONITOR_AGENT_MAIN, {
    PORT: String(port),
    SERVICE_NAME: '127.0.0.1',
    APP_PORT: String(upstreamPort),
    UPSTREAM_TIMEOUT_MS: '500',
    ...env,
  });
  await waitForStatus(`http://127.0.0.1:${port}/healthz`);
  return service;
}
