import { freePort, stopProcess } from '@k8s-app-monitor/test-support';
import { connect } from 'node:net';
import { startMonitorTest } from './services';

/** A client that announces a body and never sends it must not hold a connection forever. */
describe('slow or abandoned uploads', () => {
  it('drops a request whose body does not arrive within 10 s, and logs no error for it', async () => {
    const port = await freePort();
    const service = await startMonitorTest(port, { LOG_LEVEL: 'info' });
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(
            'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n',
          ),
        );
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Date.now() - started));
        setTimeout(
          () => reject(new Error('connection still open after 20 s')),
          20_000,
        ).unref();
      });
      expect(closedAfter).toBeGreaterThanOrEqual(9_500);
      expect(closedAfter).toBeLessThan(15_000);

      // A client hanging up mid-body is the client's business: no error-level log line.
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nabc',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 300);
        });
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(
        200,
      );
      expect(service.output()).not.toMatch(/"level":(50|60)/);
    } finally {
      await stopProcess(service);
    }
  });
});
