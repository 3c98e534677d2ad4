import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startInProcess } from '@k8s-app-monitor/test-support';
import { monitorTestService } from '../service';

const appWith = (env: Record<string, string>) =>
  startInProcess(monitorTestService, env);

const ADMIN = { authorization: 'Bearer admin-s3cret' };

describe('fault injection and tokens', () => {
  it('has no admin API unless ADMIN_TOKEN is set', async () => {
    const app = await appWith({});
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/admin/faults',
        headers: ADMIN,
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  describe('with ADMIN_TOKEN', () => {
    let app: NestFastifyApplication;
    beforeEach(async () => {
      app = await appWith({ ADMIN_TOKEN: 'admin-s3cret' });
    });
    afterEach(() => app.close());

    it('requires the bearer token', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/admin/faults',
        headers: { authorization: 'Bearer nope' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="the admin API"',
      );
      expect(res.json()).toMatchObject({ statusCode: 401 });
    });

    it('switches readiness off and on without touching liveness', async () => {
      const off = await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: ADMIN,
        payload: { ready: false },
      });
      expect(off.json()).toMatchObject({
        ready: false,
        delayMs: 0,
        errorRate: 0,
      });
      expect(
        (await app.inject({ method: 'GET', url: '/readyz' })).statusCode,
      ).toBe(503);
      expect(
        (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
      ).toBe(200);
      await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: ADMIN,
        payload: { ready: true },
      });
      expect(
        (await app.inject({ method: 'GET', url: '/readyz' })).statusCode,
      ).toBe(200);
    });

    it('injects errors and delay on /metrics only', async () => {
      await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: ADMIN,
        payload: { errorRate: 1, delayMs: 120 },
      });
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(115);
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({
        message: 'injected fault (FAULT_ERROR_RATE)',
      });
      expect(
        (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
      ).toBe(200);
      await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: ADMIN,
        payload: { errorRate: 0, delayMs: 0 },
      });
      expect(
        (await app.inject({ method: 'GET', url: '/metrics' })).statusCode,
      ).toBe(200);
    });

    it.each([
      [{ errorRate: 2 }, 'errorRate'],
      [{ delayMs: -1 }, 'delayMs'],
      [{ ready: 'no' }, 'ready'],
      [{ surprise: 1 }, 'body'],
    ])('rejects %j with a 400 naming the field', async (payload, field) => {
      const res = await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: ADMIN,
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().message.startsWith(`${field}:`)).toBe(true);
    });

    it('burns CPU in slices while still answering probes', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/admin/cpu-burn',
        headers: ADMIN,
        payload: { seconds: 1 },
      });
      expect(res.statusCode).toBe(202);
      expect(res.json().cpuBurnUntil).not.toBeNull();
      const started = Date.now();
      expect(
        (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
      ).toBe(200);
      expect(Date.now() - started).toBeLessThan(500);
    });
  });

  it('protects /metrics with API_TOKEN, but not probes', async () => {
    const app = await appWith({ API_TOKEN: 'api-s3cret' });
    try {
      expect(
        (await app.inject({ method: 'GET', url: '/metrics' })).statusCode,
      ).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url: '/metrics/test-app' }))
          .statusCode,
      ).toBe(401);
      const ok = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer api-s3cret' },
      });
      expect(ok.statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
      ).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/prometheus' })).statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('starts with the faults of the environment', async () => {
    const app = await appWith({ FAULT_ERROR_RATE: '1' });
    try {
      expect(
        (await app.inject({ method: 'GET', url: '/metrics' })).statusCode,
      ).toBe(500);
    } finally {
      await app.close();
    }
  });
});
