import {
  consistencyViolations,
  parseMetric,
} from '@k8s-app-monitor/metrics-contract';
import { startInProcess } from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { monitorTestService } from '../service';

describe('monitor-test HTTP API', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startInProcess(monitorTestService, {
      HOSTNAME: 'pod-a',
      SEED: '3',
    });
  });

  afterAll(() => app.close());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('GET /metrics serves a new, valid, consistent metric on every request', async () => {
    const bodies = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const res = await get('/metrics');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const parsed = parseMetric(JSON.parse(res.body));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(consistencyViolations(parsed.metric)).toEqual([]);
      expect(parsed.metric).toMatchObject({
        host: 'pod-a',
        app_name: 'test-app',
        domain: 'test-domain',
      });
      bodies.add(res.body);
    }
    expect(bodies.size).toBeGreaterThan(150);
  });

  it('pretty-prints with two spaces and ends with a newline, keys in the original order', async () => {
    const res = await get('/metrics');
    expect(res.body).toBe(JSON.stringify(JSON.parse(res.body), null, 2) + '\n');
    expect(
      res.body.startsWith('{\n  "performance_index": {\n    "failRatio": '),
    ).toBe(true);
    expect(Object.keys(JSON.parse(res.body))).toEqual([
      'performance_index',
      'host',
      'app_name',
      'domain',
    ]);
  });

  it('GET /metrics/test-app answers for the configured app', async () => {
    const res = await get('/metrics/test-app');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body).app_name).toBe('test-app');
  });

  it('GET /metrics/{other} is 404 with the original JSON string', async () => {
    const res = await get('/metrics/other-app');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('"Could not find metric in repository"\n');
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/metrics/test-app/extra'],
    ['POST', '/metrics'],
    ['DELETE', '/metrics/test-app'],
  ] as const)('%s %s is a JSON 404', async (method, url) => {
    const res = await app.inject({ method, url });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
    });
  });

  it('rejects a malformed percent-encoding with a 4xx, not a 5xx', async () => {
    const res = await get('/metrics/%E0%A4%A');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('GET /healthz and /readyz are 200 with terminus bodies', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
    }
  });

  it('returns a request id, keeping a sane incoming one and replacing an odd one', async () => {
    const kept = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a b<c>' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics labelled by route template, not raw path', async () => {
    await get('/metrics/some-random-app');
    await get('/no/such/path/123');
    const res = await get('/prometheus');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="\/metrics\/:appname",status_code="404"\} \d+/,
    );
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="unmatched",status_code="404"\} \d+/,
    );
    expect(res.body).not.toContain('some-random-app');
    expect(res.body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/metrics"/,
    );
    expect(res.body).toMatch(/monitor_test_samples_generated_total \d+/);
    expect(res.body).toMatch(/monitor_test_last_sample\{field="failRatio"\}/);
    expect(res.body).toContain('process_resident_memory_bytes');
  });

  it('sends hardening headers and no x-powered-by', async () => {
    const res = await get('/metrics');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers an oversized body with 413 JSON, not a 5xx', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/metrics',
      payload: 'x'.repeat(64 * 1024),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413 });
  });
});
