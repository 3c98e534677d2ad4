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
 * What a browser needs for answers that are not pages (JSON, images, scripts): no MIME sniffing, and
 * nothing may load or frame them as a document (OWASP's REST headers).
 */
const NON_PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * helmet's full set on HTML pages (the dashboard, the docs), where a browser renders and runs the
 * answer; the short set above on everything else. helmet's output never changes, so it is worked
 * out once at start-up: running its middleware on every request cost about a fifth of /metrics'
 * throughput, and its dozen document headers on every JSON answer another tenth (BENCHMARKS.md).
 */
export function useSecurityHeaders(fastify: FastifyInstance): void {
  const pageHeaders = helmetHeaders();
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    const isPage = typeof type === 'string' && type.startsWith('text/html');
    // A route may set a policy of its own (the docs do): it wins.
    const ownPolicy = reply.getHeader('content-security-policy');
    reply.headers(isPage ? pageHeaders : NON_PAGE_HEADERS);
    if (ownPolicy) reply.header('content-security-policy', ownPolicy);
    done(null, payload);
  });
}

/**
 * The CSP of the rendered API docs: aglio's single-file HTML carries its own inline styles and
 * scripts, and nothing from elsewhere.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
