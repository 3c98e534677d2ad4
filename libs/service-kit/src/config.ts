/**
 * Configuration comes from the environment only (12-factor, factor III), is read once at start-up
 * and is validated there: a bad value stops the process with one line naming the variable, instead
 * of surfacing later as a confusing runtime error.
 */

/** Turns the raw value of one environment variable into a typed value, or throws a reason. */
export type EnvVar<T> = (raw: string | undefined) => T;

export type EnvSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends EnvSpec> = {
  readonly [K in keyof S]: ReturnType<S[K]>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

class InvalidValue extends Error {}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}

function integer(min: number, max: number, fallback?: number): EnvVar<number> {
  return (raw) => {
    if (!present(raw)) {
      if (fallback === undefined) throw new InvalidValue('is required');
      return fallback;
    }
    const value = Number(raw.trim());
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      throw new InvalidValue(
        `must be an integer from ${min} to ${max}, got "${raw}"`,
      );
    }
    return value;
  };
}

/** The parsers of this project's environment variables. */
export const env = {
  /** A TCP port, 1..65535. */
  port: (fallback: number) => integer(1, 65535, fallback),
  integer: (min: number, max: number, fallback: number) =>
    integer(min, max, fallback),
  optionalInteger(min: number, max: number): EnvVar<number | undefined> {
    const parse = integer(min, max);
    return (raw) => (present(raw) ? parse(raw) : undefined);
  },
  /** A number in [min, max], decimals allowed. */
  number(min: number, max: number, fallback: number): EnvVar<number> {
    return (raw) => {
      if (!present(raw)) return fallback;
      const value = Number(raw.trim());
      if (!Number.isFinite(value) || value < min || value > max) {
        throw new InvalidValue(
          `must be a number from ${min} to ${max}, got "${raw}"`,
        );
      }
      return value;
    };
  },
  string(fallback: string): EnvVar<string> {
    return (raw) => (present(raw) ? raw.trim() : fallback);
  },
  optionalString(): EnvVar<string | undefined> {
    return (raw) => (present(raw) ? raw.trim() : undefined);
  },
  /** A host name or address usable in a URL (what Kubernetes Service names are). */
  host(fallback: string): EnvVar<string> {
    return (raw) => {
      if (!present(raw)) return fallback;
      const host = raw.trim();
      if (!/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(host)) {
        throw new InvalidValue(`must be a host name, got "${raw}"`);
      }
      return host;
    };
  },
  oneOf<T extends string>(values: readonly T[], fallback: T): EnvVar<T> {
    return (raw) => {
      if (!present(raw)) return fallback;
      const value = raw.trim() as T;
      if (!values.includes(value)) {
        throw new InvalidValue(
          `must be one of ${values.join(', ')}, got "${raw}"`,
        );
      }
      return value;
    };
  },
  /**
   * A URL path prefix such as `/k8s-app-monitor-agent`: empty, or `/`-separated segments of URL-safe
   * characters, none of them `.` or `..`. A trailing slash is dropped.
   */
  pathPrefix(): EnvVar<string> {
    return (raw) => {
      if (!present(raw)) return '';
      const value = raw.trim().replace(/\/+$/, '');
      const segments = value.split('/').slice(1);
      if (
        value !== '' &&
        (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value) ||
          segments.some((segment) => segment === '.' || segment === '..'))
      ) {
        throw new InvalidValue(
          `must be a URL path such as /k8s-app-monitor-agent, got "${raw}"`,
        );
      }
      return value;
    };
  },
  /** An absolute http(s) URL; a trailing slash is dropped so paths can be appended. */
  optionalHttpUrl(): EnvVar<string | undefined> {
    return (raw) => {
      if (!present(raw)) return undefined;
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        throw new InvalidValue(`must be an absolute http(s) URL, got "${raw}"`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new InvalidValue(`must be an absolute http(s) URL, got "${raw}"`);
      }
      return url.toString().replace(/\/+$/, '');
    };
  },
};

/** Reads every variable of the spec, reporting all bad ones at once. */
export function loadConfig<S extends EnvSpec>(
  spec: S,
  source: Record<string, string | undefined> = process.env,
): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, parse] of Object.entries(spec)) {
    try {
      config[name] = parse(source[name]);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}

export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;

/** What every service here reads, whatever it does. */
export function serviceEnvSpec(defaultPort: number) {
  return {
    PORT: env.port(defaultPort),
    LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
    LOG_FORMAT: env.oneOf(['json', 'pretty'] as const, 'json'),
    /**
     * How long a SIGTERM'd pod keeps serving with readiness failing, so that Kubernetes removes it
     * from the Service endpoints (and kube-proxy / the ingress stop routing to it) before it stops
     * accepting connections. 5 s covers endpoint propagation in typical clusters.
     */
    SHUTDOWN_DELAY_MS: env.integer(0, 60_000, 5_000),
  };
}

export type ServiceConfig = ConfigOf<ReturnType<typeof serviceEnvSpec>>;
