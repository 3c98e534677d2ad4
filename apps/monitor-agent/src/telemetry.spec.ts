import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgentUnderTest } from './agent-under-test';

/** The agent's own Prometheus metrics, next to the shared HTTP and runtime ones. */
describe('monitor-agent telemetry', () => {
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await startAgentUnderTest({
      POLL_INTERVAL_MS: '100',
    }));
  });
  afterAll(() => stop());

  it('counts polls, upstream fetches and chart renders', async () => {
    await app.inject({ method: 'GET', url: '/k8s-app-monitor-agent' });
    await sleep(350);
    const res = await app.inject({ method: 'GET', url: '/prometheus' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/monitor_agent_polls_total\{outcome="ok"\} [1-9]/);
    expect(res.body).toMatch(
      /monitor_agent_upstream_fetch_duration_seconds_count\{outcome="ok"\} [1-9]/,
    );
    expect(res.body).toMatch(
      /monitor_agent_chart_render_duration_seconds_count\{chart="bar"\} 1/,
    );
    expect(res.body).toMatch(/monitor_agent_upstream_circuit_open 0/);
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="\/k8s-app-monitor-agent",status_code="200"\} 1/,
    );
  });
});
