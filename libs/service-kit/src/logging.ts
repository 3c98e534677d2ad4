import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { ServiceConfig } from './config';

/**
 * Logs are an event stream on stdout (12-factor, factor XI): one JSON object per line, which
 * `kubectl logs` and every cluster log collector read without configuration.
 */
export function createRootLogger(
  service: string,
  config: ServiceConfig,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.LOG_FORMAT === 'pretty') {
    return pino(
      options,
      pinoPretty({
        colorize: true,
        sync: true,
        singleLine: true,
        ignore: 'pid,hostname,service',
      }),
    );
  }
  // Asynchronous writes keep logging off the request path; pino flushes what is left on exit.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** Nest's own messages (start-up, errors) through the same pino logger, without per-request middleware. */
export function loggerModuleFor(rootLogger: Logger) {
  return LoggerModule.forRoot({
    pinoHttp: { logger: rootLogger },
    forRoutes: [],
  });
}

export const REQUEST_ID_HEADER = 'x-request-id';
const ROUTINE_PATHS = new Set(['/healthz', '/readyz', '/prometheus']);
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Keeps a caller's request id (from an ingress, another service) so one request can be followed
 * across services; makes one up otherwise. Anything long or odd is replaced, never echoed.
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming)
    ? incoming
    : randomUUID();
}

/**
 * One access-log line per request, written when the response is done. Registered only when the
 * level lets it through, so `LOG_LEVEL=warn` costs nothing per request.
 */
export function installAccessLog(
  fastify: FastifyInstance,
  logger: Logger,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    // Probes and scrapes arrive every few seconds from the kubelet and Prometheus: debug, not info.
    const level = ROUTINE_PATHS.has(request.url) ? 'debug' : 'info';
    logger[level](
      {
        reqId: request.id,
        method: request.method,
        path: request.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    done();
  });
}
