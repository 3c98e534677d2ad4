import {
  hang,
  healthyUpstream,
  pngDimensions,
  respondWith,
  TestServer,
} from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startAgentUnderTest } from '../agent-under-test';

describe('monitor-agent chart and probes', () => {
  let upstream: TestServer;
  let app: NestFastifyApplication;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ upstream, app, stop } = await startAgentUnderTest({
      UPSTREAM_TIMEOUT_MS: '300',
    }));
  });
  afterEach(() => upstream.use(healthyUpstream));
  afterAll(() => stop());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('GET /k8s-app-monitor-agent is a fresh 1024x512 PNG', async () => {
    const res = await get('/k8s-app-monitor-agent');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(pngDimensions(res.rawPayload)).toEqual({ width: 1024, height: 512 });
  });

  it('GET / is the live dashboard page (the original README opened /)', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(
      '<title>k8s-app-monitor-agent: live dashboard</title>',
    );
  });

  it('answers 503 with a JSON reason when monitor-test does not answer, then recovers', async () => {
    upstream.use(hang);
    const res = await get('/k8s-app-monitor-agent');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      statusCode: 503,
      failure: 'timeout',
      upstream: `${upstream.url}/metrics`,
    });
    expect((await get('/readyz')).statusCode).toBe(503);
    expect((await get('/healthz')).statusCode).toBe(200);

    upstream.use(healthyUpstream);
    expect((await get('/k8s-app-monitor-agent')).statusCode).toBe(200);
    expect((await get('/readyz')).statusCode).toBe(200);
  });

  it('answers 502 when monitor-test answers garbage', async () => {
    upstream.use(respondWith(200, 'not json'));
    const res = await get('/k8s-app-monitor-agent');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      statusCode: 502,
      error: 'Bad Gateway',
      failure: 'invalid-body',
    });
    expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('names the failing upstream in the readiness body', async () => {
    upstream.use(respondWith(500, ''));
    const res = await get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'error',
      error: { 'monitor-test': { status: 'down' } },
    });
  });
});
