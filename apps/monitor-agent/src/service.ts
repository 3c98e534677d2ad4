import { ConfigOf, env, ServiceDefinition, serviceEnvSpec } from '@k8s-app-monitor/service-kit';
import { AppModule } from './app.module';
import { configureDashboard } from './dashboard/configure';

/** Every environment variable monitor-agent reads (the README's configuration table). */
export const monitorAgentEnv = {
  ...serviceEnvSpec(8888),
  /** Host of monitor-test: its Kubernetes Service name in a cluster (k8s-app-monitor-test). */
  SERVICE_NAME: env.host('localhost'),
  APP_PORT: env.port(3000),
  /** Overrides SERVICE_NAME/APP_PORT with a whole base URL (a mock, another namespace, https). */
  MONITOR_TEST_URL: env.optionalHttpUrl(),
  /** Deadline for one call to monitor-test, retries included, connection to last byte. */
  UPSTREAM_TIMEOUT_MS: env.integer(50, 60_000, 2_000),
  /** Sent as `Authorization: Bearer` to monitor-test when its API_TOKEN is set (from a Secret in Kubernetes). */
  API_TOKEN: env.optionalString(),
  /** Consecutive failed calls that open the circuit breaker (calls then fail fast, readiness fails). */
  UPSTREAM_BREAKER_THRESHOLD: env.integer(1, 1_000, 5),
  /** How long the breaker stays open before it lets one call through to probe monitor-test. */
  UPSTREAM_BREAKER_HALF_OPEN_MS: env.integer(100, 600_000, 10_000),
  /** How often the agent samples monitor-test for the history (dashboard, history API and chart). */
  POLL_INTERVAL_MS: env.integer(100, 3_600_000, 2_000),
  /** Samples kept per monitor-test host (pod); older ones are dropped, so memory stays flat. */
  HISTORY_SIZE: env.integer(10, 10_000, 300),
  /**
   * Path prefix under which the dashboard, its assets and the JSON API are served, for an ingress
   * that forwards `/k8s-app-monitor-agent/...` unchanged. Probes stay at `/healthz` and `/readyz`,
   * and `GET /k8s-app-monitor-agent` stays the original PNG. Empty: everything at the root.
   */
  BASE_PATH: env.pathPrefix(),
};

export type MonitorAgentConfig = ConfigOf<typeof monitorAgentEnv>;

export const monitorAgentService: ServiceDefinition<typeof monitorAgentEnv> = {
  name: 'monitor-agent',
  env: monitorAgentEnv,
  module: AppModule,
  configure: configureDashboard,
};
