import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import {
  ConfigError,
  ConfigOf,
  EnvSpec,
  loadConfig,
  ServiceConfig,
} from './config';
import { DocsModule } from './docs/docs.module';
import { useBareJsonContentType } from './json-reply';
import { createRootLogger, installAccessLog, requestIdOf } from './logging';
import { useSecurityHeaders } from './security-headers';
import { ServiceKitModule } from './service-kit.module';
import { closeSlowUploads } from './slow-uploads';
import { Telemetry } from './telemetry';

/** A service of this project: its name (in logs), the environment it reads, its feature module. */
export interface ServiceDefinition<S extends EnvSpec = EnvSpec> {
  name: string;
  env: S;
  module: Type<unknown>;
  /** App-specific setup of the HTTP application before it starts (a global prefix, static assets). */
  configure?: (
    app: NestFastifyApplication,
    config: ConfigOf<S>,
  ) => void | Promise<void>;
}

/** Largest request body accepted: only the admin API takes a (tiny) body; anything big is an attack or a mistake. */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Time a client has to send a request body; the admin API's bodies are a few bytes. */
const BODY_TIMEOUT_MS = 10_000;

function rootModule(
  definition: ServiceDefinition,
  config: ServiceConfig,
  logger: Logger,
): DynamicModule {
  @Module({})
  class ServiceRootModule {}
  return {
    module: ServiceRootModule,
    imports: [
      ServiceKitModule.forRoot(config, logger),
      DocsModule.forService(definition.name),
      definition.module,
    ],
  };
}

/** Builds the application (not yet listening); `runService` and the tests share it. */
export async function createServiceApp<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  config: ConfigOf<S> & ServiceConfig,
): Promise<NestFastifyApplication> {
  const logger = createRootLogger(definition.name, config);
  const adapter = new FastifyAdapter({
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(definition as ServiceDefinition, config, logger),
    adapter,
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(NestPinoLogger));
  const fastify = app.getHttpAdapter().getInstance();
  useSecurityHeaders(fastify);
  installAccessLog(fastify, logger);
  closeSlowUploads(fastify, BODY_TIMEOUT_MS);
  app.get(Telemetry).instrument(fastify);
  useBareJsonContentType(fastify);
  await definition.configure?.(app, config);
  return app;
}

/**
 * Kubernetes stops a pod with SIGTERM. Nest's shutdown hooks (see ShutdownService) run, the server
 * drains, and the process exits 0: a clean stop, not a death by signal (which would be 143).
 */
function exitCleanlyOn(
  signals: NodeJS.Signals[],
  app: NestFastifyApplication,
  logger: NestPinoLogger,
): void {
  let closing = false;
  for (const signal of signals) {
    process.on(signal, () => {
      // A second signal (a repeated `docker stop`, an impatient runtime) must not cut the drain short.
      if (closing) return;
      closing = true;
      // The concrete NestApplication passes the signal on to the hooks; the interface omits it.
      (app as unknown as { close(signal: string): Promise<void> })
        .close(signal)
        .then(
          () => process.exit(0),
          (error: Error) => {
            logger.error(`shutdown failed: ${error.message}`);
            process.exit(1);
          },
        );
    });
  }
}

function exitWith(name: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(1);
}

/** The whole `main.ts` of a service: validated config, the app, signal handling, listen. */
export async function runService<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
): Promise<void> {
  let config: ConfigOf<S> & ServiceConfig;
  try {
    config = loadConfig(definition.env) as ConfigOf<S> & ServiceConfig;
  } catch (error) {
    if (error instanceof ConfigError) exitWith(definition.name, error.message);
    throw error;
  }
  try {
    const app = await createServiceApp(definition, config);
    // 0.0.0.0: in a pod the kubelet's probes and the Service reach the container on its pod IP.
    await app.listen({ port: config.PORT, host: '0.0.0.0' });
    const logger = app.get(NestPinoLogger);
    logger.log(
      `${definition.name} listening on http://localhost:${config.PORT}`,
    );
    exitCleanlyOn(['SIGTERM', 'SIGINT'], app, logger);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${config.PORT} is already in use (set PORT to another port)`
        : `failed to start: ${(error as Error).message}`;
    exitWith(definition.name, reason);
  }
}
