import { resolve } from 'node:path';
import { startNodeProcess, ServiceProcess, waitForStatus } from '@k8s-app-monitor/test-support';

const DIST = resolve(__dirname, '../../../dist/apps');

export const MONITOR_TEST_MAIN = `${DIST}/monitor-test/main.js`;
export const MONITOR_AGENT_MAIN = `${DIST}/monitor-agent/main.js`;

/** Starts the built monitor-test on `port` and waits until it is ready. */
export async function startMonitorTest(port: number, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = startNodeProcess(MONITOR_TEST_MAIN, { PORT: String(port), HOSTNAME: 'e2e-pod', ...env });
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
