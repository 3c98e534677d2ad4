import {
  JSON_CONTENT_TYPE,
  serializeJson,
} from '@k8s-app-monitor/metrics-contract';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Sends `value` as the original sample did: 2-space JSON with a trailing newline. */
export function sendJson(
  reply: FastifyReply,
  status: number,
  value: unknown,
): void {
  reply.status(status).type(JSON_CONTENT_TYPE).send(serializeJson(value));
}

const FASTIFY_JSON_CONTENT_TYPE = `${JSON_CONTENT_TYPE}; charset=utf-8`;

/**
 * Every JSON body here (metrics, probes, errors) goes out as a bare `application/json`, as the
 * original and its API Blueprint had it: RFC 8259 defines no charset parameter for JSON, and
 * Fastify appends one by default.
 */
export function useBareJsonContentType(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === FASTIFY_JSON_CONTENT_TYPE) {
      reply.header('content-type', JSON_CONTENT_TYPE);
    }
    done(null, payload);
  });
}
