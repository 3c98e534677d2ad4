import {
  ConfigOf,
  createServiceApp,
  EnvSpec,
  loadConfig,
  ServiceConfig,
  ServiceDefinition,
} from '@k8s-app-monitor/service-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * A service built exactly as `main.ts` builds it, configured from `env` (logs silenced), ready for
 * Fastify's `inject` without opening a port. Close it with `app.close()`.
 */
export async function startInProcess<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig(definition.env, {
    LOG_LEVEL: 'silent',
    ...env,
  }) as ConfigOf<S> & ServiceConfig;
  const app = await createServiceApp(definition, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
