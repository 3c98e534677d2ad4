import {
  healthyUpstream,
  startInProcess,
  startTestServer,
  TestServer,
} from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { monitorAgentService } from '../service';

/** One request id, from the agent's caller, through the agent, to monitor-test. */
describe('request id propagation', () => {
  let upstream: TestServer;
  let app: NestFastifyApplication;
  const seen: string[] = [];

  beforeAll(async () => {
    upstream = await startTestServer((req, res) => {
      if (req.url === '/metrics')
        seen.push(String(req.headers['x-request-id']));
      healthyUpstream(req, res);
    });
    app = await startInProcess(monitorAgentService, {
      MONITOR_TEST_URL: upstream.url,
      // Keep the history poller out of the way: only the chart request calls monitor-test here.
      POLL_INTERVAL_MS: '3600000',
    });
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('forwards the caller x-request-id to monitor-test and returns it', async () => {
    seen.length = 0;
    const res = await app.inject({
      method: 'GET',
      url: '/k8s-app-monitor-agent',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(seen).toContain('trace-42');
  });

  it('uses its own generated id when the caller sends none', async () => {
    seen.length = 0;
    const res = await app.inject({
      method: 'GET',
      url: '/k8s-app-monitor-agent',
    });
    expect(seen).toContain(res.headers['x-request-id']);
  });
});
