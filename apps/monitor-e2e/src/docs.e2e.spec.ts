import { freePort, stopProcess } from '@k8s-app-monitor/test-support';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startAgent, startMonitorTest } from './services';

const BLUEPRINTS = resolve(__dirname, '../../../api-docs');

/** Each built service serves its own rendered API Blueprint and the blueprint itself. */
describe('GET /docs', () => {
  it.each(['monitor-test', 'monitor-agent'])(
    '%s serves its rendered docs and its blueprint',
    async (name) => {
      const port = await freePort();
      const service =
        name === 'monitor-test'
          ? await startMonitorTest(port)
          : await startAgent(port, await freePort());
      try {
        const page = await fetch(`http://127.0.0.1:${port}/docs`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe(
          'text/html; charset=utf-8',
        );
        expect(await page.text()).toContain('<html');
        const blueprint = await fetch(`http://127.0.0.1:${port}/docs/api.apib`);
        expect(blueprint.status).toBe(200);
        expect(await blueprint.text()).toBe(
          readFileSync(`${BLUEPRINTS}/${name}.apib`, 'utf8'),
        );
      } finally {
        await stopProcess(service);
      }
    },
  );
});
