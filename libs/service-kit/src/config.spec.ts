import { ConfigError, env, loadConfig, serviceEnvSpec } from './config';

describe('loadConfig', () => {
  const spec = {
    ...serviceEnvSpec(3000),
    APP_PORT: env.port(3000),
    SERVICE_NAME: env.host('localhost'),
    UPSTREAM_URL: env.optionalHttpUrl(),
    SEED: env.optionalInteger(0, 2 ** 32 - 1),
    RATE: env.number(0, 1, 0),
    PREFIX: env.pathPrefix(),
  };

  it('applies defaults when nothing is set', () => {
    expect(loadConfig(spec, {})).toEqual({
      PORT: 3000,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SHUTDOWN_DELAY_MS: 5000,
      APP_PORT: 3000,
      SERVICE_NAME: 'localhost',
      UPSTREAM_URL: undefined,
      SEED: undefined,
      RATE: 0,
      PREFIX: '',
    });
  });

  it('parses set values and treats empty as unset', () => {
    const config = loadConfig(spec, {
      PORT: ' 8080 ',
      LOG_LEVEL: 'warn',
      SERVICE_NAME: 'k8s-app-monitor-test',
      UPSTREAM_URL: 'http://monitor-test:3000/',
      SEED: '42',
      RATE: '0.25',
      APP_PORT: '',
      PREFIX: '/k8s-app-monitor-agent/',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'warn',
      SERVICE_NAME: 'k8s-app-monitor-test',
      UPSTREAM_URL: 'http://monitor-test:3000',
      SEED: 42,
      RATE: 0.25,
      APP_PORT: 3000,
      PREFIX: '/k8s-app-monitor-agent',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 1 to 65535, got "abc"'],
    [
      { APP_PORT: '99999' },
      'APP_PORT must be an integer from 1 to 65535, got "99999"',
    ],
    [
      { PORT: '3000.5' },
      'PORT must be an integer from 1 to 65535, got "3000.5"',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [{ SERVICE_NAME: 'a b' }, 'SERVICE_NAME must be a host name, got "a b"'],
    [
      { UPSTREAM_URL: 'ftp://x' },
      'UPSTREAM_URL must be an absolute http(s) URL, got "ftp://x"',
    ],
    [{ RATE: '2' }, 'RATE must be a number from 0 to 1, got "2"'],
    [
      { PREFIX: 'no-slash' },
      'PREFIX must be a URL path such as /k8s-app-monitor-agent, got "no-slash"',
    ],
    [
      { PREFIX: '/a/../b' },
      'PREFIX must be a URL path such as /k8s-app-monitor-agent, got "/a/../b"',
    ],
    [
      { PREFIX: '/a b' },
      'PREFIX must be a URL path such as /k8s-app-monitor-agent, got "/a b"',
    ],
  ])('rejects %j with one line naming the variable', (source, message) => {
    expect(() => loadConfig(spec, source)).toThrow(new ConfigError([message]));
  });

  it('reports every bad variable at once, on one line', () => {
    try {
      loadConfig(spec, { PORT: 'abc', APP_PORT: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as ConfigError).message).not.toContain('\n');
    }
  });
});
