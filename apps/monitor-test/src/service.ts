import { hostname } from 'node:os';
import {
  ConfigOf,
  env,
  ServiceDefinition,
  serviceEnvSpec,
} from '@k8s-app-monitor/service-kit';
import { AppModule } from './app.module';

/** Every environment variable monitor-test reads (the README's configuration table). */
export const monitorTestEnv = {
  ...serviceEnvSpec(3000),
  /** Reported as `host`; Kubernetes sets HOSTNAME to the pod name, so replicas tell themselves apart. */
  HOSTNAME: env.string(hostname()),
  APP_NAME: env.string('test-app'),
  DOMAIN: env.string('test-domain'),
  /** Makes the sequence of samples reproducible (tests, demos); random when unset. */
  SEED: env.optionalInteger(0, 2 ** 32 - 1),
  /** When set, `/metrics*` require `Authorization: Bearer $API_TOKEN` (probes, docs, Prometheus stay open). */
  API_TOKEN: env.optionalString(),
  /** Enables the admin API (`/admin/*`, fault switches at runtime) and is its bearer token; unset: no admin API. */
  ADMIN_TOKEN: env.optionalString(),
  /** Fault injection at start: delay added to every `/metrics*` answer. */
  FAULT_DELAY_MS: env.integer(0, 60_000, 0),
  /** Fault injection at start: share of `/metrics*` requests answered with a 500. */
  FAULT_ERROR_RATE: env.number(0, 1, 0),
};

export type MonitorTestConfig = ConfigOf<typeof monitorTestEnv>;

export const monitorTestService: ServiceDefinition<typeof monitorTestEnv> = {
  name: 'monitor-test',
  env: monitorTestEnv,
  module: AppModule,
};
