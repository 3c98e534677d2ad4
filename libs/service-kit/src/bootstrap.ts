import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ConfigError, ConfigOf, EnvSpec, loadConfig, ServiceConfig } from './config';
import { createRootLogger, installAccessLog, requestIdOf } from './logging';
import { ServiceKitModule } from './service-kit.module';

/** A service of this project: its name (in logs), the environment it reads, its feature module. */
export interface ServiceDefinition<S extends EnvSpec = EnvSpec> {
  name: string;
  env: S;
  module: Type<unknown>;
}

/** Largest request body accepted: no route here takes a body, so anything big is an attack or a mistake. */
const BODY_LIMIT_BYTES = 16 * 1024;

function rootModule(definition: ServiceDefinition, config: ServiceConfig, logger: Logger): DynamicModule {
  @Module({})
  class ServiceRootModule {}
  return {
    module: ServiceRootModule,
    imports: [ServiceKitModule.forRoot(config, logger), definition.module],
  };
}

/** Builds the application (not yet listening); `runService` and the tests share it. */
export async function createServiceApp<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  config: ConfigOf<S> & ServiceConfig,
): Promise<NestFastifyApplication> {
  const logger = createRootLogger(definition.name, config);
  const adapter = new FastifyAdapter({ genReqId: requestIdOf, bodyLimit: BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(definition as ServiceDefinition, config, logger),
    adapter,
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(NestPinoLogger));
  installAccessLog(app.getHttpAdapter().getInstance(), logger);
  return app;
}

function exitWith(name: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(1);
}

/** The whole `main.ts` of a service: validated config, the app, signal handling, listen. */
export async function runService<S extends EnvSpec>(definition: ServiceDefinition<S>): Promise<void> {
  let config: ConfigOf<S> & ServiceConfig;
  try {
    config = loadConfig(definition.env) as ConfigOf<S> & ServiceConfig;
  } catch (error) {
    if (error instanceof ConfigError) exitWith(definition.name, error.message);
    throw error;
  }
  try {
    const app = await createServiceApp(definition, config);
    // Kubernetes stops pods with SIGTERM; Nest then runs the shutdown sequence (see ShutdownService).
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    // 0.0.0.0: in a pod the kubelet's probes and the Service reach the container on its pod IP.
    await app.listen({ port: config.PORT, host: '0.0.0.0' });
    app.get(NestPinoLogger).log(`${definition.name} listening on http://localhost:${config.PORT}`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `port ${config.PORT} is already in use (set PORT to another port)`
      : `failed to start: ${(error as Error).message}`;
    exitWith(definition.name, reason);
  }
}
