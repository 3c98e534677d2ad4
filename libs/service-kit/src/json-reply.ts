import { JSON_CONTENT_TYPE, serializeJson } from '@k8s-app-monitor/metrics-contract';
import type { FastifyReply } from 'fastify';

/**
 * Sends `value` as the original sample did: 2-space JSON, trailing newline, and a bare
 * `application/json` (RFC 8259 defines no charset). The body goes out as bytes because Fastify
 * appends `; charset=utf-8` to JSON sent as a string.
 */
export function sendJson(reply: FastifyReply, status: number, value: unknown): void {
  reply.status(status).type(JSON_CONTENT_TYPE).send(Buffer.from(serializeJson(value)));
}
