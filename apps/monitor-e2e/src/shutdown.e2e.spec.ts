import {
  freePort,
  ServiceProcess,
  stopProcess,
  waitForStatus,
} from '@k8s-app-monitor/test-support';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent, startMonitorTest } from './services';

const SHUTDOWN_DELAY_MS = 1_500;

interface Target {
  service: ServiceProcess;
  port: number;
  /** A route the load hits during the drain. */
  path: string;
  cleanup: () => Promise<void>;
}

async function monitorTestTarget(): Promise<Target> {
  const port = await freePort();
  const service = await startMonitorTest(port, {
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
  });
  return { service, port, path: '/metrics', cleanup: async () => undefined };
}

/** The agent while its poller runs (every 100 ms), under load on its JSON API. */
async function agentTarget(): Promise<Target> {
  const upstreamPort = await freePort();
  const upstream = await startMonitorTest(upstreamPort);
  const port = await freePort();
  const service = await startAgent(port, upstreamPort, {
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    POLL_INTERVAL_MS: '100',
  });
  await waitForStatus(`http://127.0.0.1:${port}/readyz`);
  return {
    service,
    port,
    path: '/api/metrics/latest',
    cleanup: async () => void (await stopProcess(upstream)),
  };
}

/**
 * What Kubernetes does on a rollout: SIGTERM, then it takes the pod out of the endpoints once
 * readiness fails. Clients keep sending until then; none of their requests may fail.
 */
describe('graceful shutdown on SIGTERM', () => {
  it.each([
    ['monitor-test', monitorTestTarget],
    ['monitor-agent', agentTarget],
  ])(
    '%s fails readiness at once, keeps serving through the delay, exits 0',
    async (_name, start) => {
      const { service, port, path, cleanup } = await start();
      const url = (p: string) => `http://127.0.0.1:${port}${p}`;
      try {
        let sending = true;
        let ok = 0;
        const failures: string[] = [];
        const client = async () => {
          while (sending) {
            try {
              const res = await fetch(url(path));
              await res.arrayBuffer();
              if (res.status === 200) ok++;
              else failures.push(`status ${res.status}`);
            } catch (error) {
              failures.push((error as Error).message);
            }
          }
        };
        const clients = Array.from({ length: 8 }, client);
        await sleep(300);

        const signalledAt = Date.now();
        service.child.kill('SIGTERM');
        await waitForStatus(url('/readyz'), 503, 1_000);
        const readinessFailedAfter = Date.now() - signalledAt;
        expect((await fetch(url('/healthz'))).status).toBe(200);

        // Endpoint propagation: clients notice the pod is gone a little later, well within the delay.
        await sleep(SHUTDOWN_DELAY_MS / 2);
        sending = false;
        await Promise.all(clients);

        // A second SIGTERM while draining is ignored; the exit comes when the delay is over.
        const { code } = await stopProcess(
          service,
          'SIGTERM',
          SHUTDOWN_DELAY_MS + 3_000,
        );
        expect(code).toBe(0);
        expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(
          SHUTDOWN_DELAY_MS,
        );
        expect(readinessFailedAfter).toBeLessThan(1_000);
        expect(failures).toEqual([]);
        expect(ok).toBeGreaterThan(50);
      } finally {
        await cleanup();
      }
    },
  );

  it('exits 0 at once on SIGINT (a terminal Ctrl-C has no endpoints to wait for)', async () => {
    const port = await freePort();
    const service = await startMonitorTest(port, {
      SHUTDOWN_DELAY_MS: '30000',
    });
    const started = Date.now();
    const { code } = await stopProcess(service, 'SIGINT', 5_000);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
