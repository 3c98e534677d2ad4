import { EXAMPLE_METRIC } from '@k8s-app-monitor/metrics-contract';
import {
  freePort,
  healthyUpstream,
  pngDimensions,
  respondWith,
  startTestServer,
} from './index';

describe('test support', () => {
  it('reads PNG dimensions from the IHDR chunk and rejects other bytes', () => {
    const header = Buffer.alloc(24);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
    header.write('IHDR', 12, 'ascii');
    header.writeUInt32BE(1024, 16);
    header.writeUInt32BE(512, 20);
    expect(pngDimensions(header)).toEqual({ width: 1024, height: 512 });
    expect(() =>
      pngDimensions(Buffer.from('GIF89a and more bytes to be long enough')),
    ).toThrow('not a PNG');
  });

  it('serves the example metric and can change behaviour at run time', async () => {
    const server = await startTestServer(healthyUpstream);
    try {
      expect(await (await fetch(`${server.url}/metrics`)).json()).toEqual(
        EXAMPLE_METRIC,
      );
      server.use(respondWith(500, 'boom'));
      expect((await fetch(`${server.url}/metrics`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });

  it('finds a port nothing listens on', async () => {
    const port = await freePort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
