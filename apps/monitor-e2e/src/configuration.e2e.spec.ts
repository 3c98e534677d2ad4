import {
  hang,
  startNodeProcess,
  startTestServer,
} from '@k8s-app-monitor/test-support';
import { MONITOR_AGENT_MAIN, MONITOR_TEST_MAIN } from './services';

/** A service with bad configuration must refuse to start: one line naming the variable, exit 1. */
describe('bad configuration', () => {
  it.each([
    [
      'monitor-test',
      MONITOR_TEST_MAIN,
      { PORT: 'abc' },
      'PORT must be an integer from 1 to 65535, got "abc"',
    ],
    [
      'monitor-test',
      MONITOR_TEST_MAIN,
      { SEED: '-1' },
      'SEED must be an integer',
    ],
    [
      'monitor-test',
      MONITOR_TEST_MAIN,
      { LOG_FORMAT: 'xml' },
      'LOG_FORMAT must be one of json, pretty',
    ],
    [
      'monitor-agent',
      MONITOR_AGENT_MAIN,
      { APP_PORT: '99999' },
      'APP_PORT must be an integer from 1 to 65535',
    ],
    [
      'monitor-agent',
      MONITOR_AGENT_MAIN,
      { MONITOR_TEST_URL: 'not a url' },
      'MONITOR_TEST_URL must be an absolute',
    ],
    [
      'monitor-agent',
      MONITOR_AGENT_MAIN,
      { UPSTREAM_TIMEOUT_MS: '0' },
      'UPSTREAM_TIMEOUT_MS must be an integer',
    ],
  ])('%s exits 1 on %j', async (name, main, env, message) => {
    const service = startNodeProcess(main, env);
    const { code } = await service.exited;
    expect(code).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${name}: invalid configuration: ${message}`);
  });

  it('reports a port in use in one line', async () => {
    const blocker = await startTestServer(hang);
    try {
      const second = startNodeProcess(MONITOR_TEST_MAIN, {
        PORT: String(blocker.port),
      });
      const { code } = await second.exited;
      expect(code).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines.at(-1)).toBe(
        `monitor-test: port ${blocker.port} is already in use (set PORT to another port)`,
      );
      expect(second.output()).not.toMatch(/^\s+at /m);
    } finally {
      await blocker.close();
    }
  });
});
