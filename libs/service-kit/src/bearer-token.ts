import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when the request carries `Authorization: Bearer <expected>`. Both sides are hashed first, so
 * the comparison takes the same time whatever the token's length or content (no timing oracle).
 */
export function hasBearerToken(
  request: FastifyRequest,
  expected: string,
): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  return (
    timingSafeEqual(digest(match?.[1] ?? ''), digest(expected)) &&
    match !== null
  );
}

/** The 401 a client gets without the right token: JSON, and the scheme it should use. */
export function sendUnauthorized(reply: FastifyReply, realm: string): void {
  reply
    .status(401)
    .header('www-authenticate', `Bearer realm="${realm}"`)
    .send({
      statusCode: 401,
      error: 'Unauthorized',
      message: `${realm} requires Authorization: Bearer <token>`,
    });
}
