import type { FastifyInstance } from 'fastify';

/**
 * Drops a request whose body has not fully arrived within `timeoutMs`. Node's own requestTimeout
 * stops applying once the headers are in, so a client that announces a body and never sends it held
 * a connection (and its memory) forever: found by the hostile-input suite. Requests without a body,
 * all GETs here, skip the timer.
 */
export function closeSlowUploads(
  fastify: FastifyInstance,
  timeoutMs: number,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const hasBody =
      request.headers['content-length'] !== undefined ||
      request.headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      const timer = setTimeout(() => {
        if (!request.raw.complete) {
          request.log.debug(
            `request body not complete after ${timeoutMs} ms: closing the connection`,
          );
          request.raw.socket.destroy();
        }
      }, timeoutMs);
      timer.unref();
      reply.raw.once('close', () => clearTimeout(timer));
    }
    done();
  });
}
