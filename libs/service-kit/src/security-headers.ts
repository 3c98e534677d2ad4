import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Browser hardening headers (helmet's). The CSP allows only this origin's own scripts, styles,
 * images and API calls: the dashboard loads everything from the agent itself (no CDN), with no
 * inline script. TLS ends at the ingress, so upgrade-insecure-requests and HSTS stay off here: over
 * plain HTTP (kind, port-forward) they would break the page or mean nothing.
 */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: false,
};

/** The headers helmet sets with these options: the same on every answer, so worked out once. */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) =>
      (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(HELMET_OPTIONS)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

/**
 * Sets helmet's headers on every answer. Running the helmet middleware per request cost about a
 * fifth of /metrics' throughput (see BENCHMARKS.md); its output never changes, so it is computed
 * at start-up and copied in one call.
 */
export function useSecurityHeaders(fastify: FastifyInstance): void {
  const headers = helmetHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/**
 * The CSP of the rendered API docs: aglio's single-file HTML carries its own inline styles and
 * scripts, and nothing from elsewhere.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
