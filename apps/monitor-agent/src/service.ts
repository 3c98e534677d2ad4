import { ConfigOf, env, ServiceDefinition, serviceEnvSpec } from '@k8s-app-monitor/service-kit';
import { AppModule } from './app.module';

/** Every environment variable monitor-agent reads (the README's configuration table). */
export const monitorAgentEnv = {
  ...serviceEnvSpec(8888),
  /** Host of monitor-test: its Kubernetes Service name in a cluster (k8s-app-monitor-test). */
  SERVICE_NAME: env.host('localhost'),
  APP_PORT: env.port(3000),
  /** Overrides SERVICE_NAME/APP_PORT with a whole base URL (a mock, another namespace, https). */
  MONITOR_TEST_URL: env.optionalHttpUrl(),
  /** Deadline for one call to monitor-test, connection to last byte. */
  UPSTREAM_TIMEOUT_MS: env.integer(50, 60_000, 2_000),
};

export type MonitorAgentConfig = ConfigOf<typeof monitorAgentEnv>;

export const monitorAgentService: ServiceDefinition<typeof monitorAgentEnv> = {
  name: 'monitor-agent',
  env: monitorAgentEnv,
  module: AppModule,
};

/** Where monitor-test lives: `http://$SERVICE_NAME:$APP_PORT` as in the original, unless overridden. */
export function upstreamBaseUrl(config: MonitorAgentConfig): string {
  return config.MONITOR_TEST_URL ?? `http://${config.SERVICE_NAME}:${config.APP_PORT}`;
}
