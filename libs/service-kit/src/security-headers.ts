import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Browser hardening headers on every answer (helmet). The CSP allows only this origin's own scripts,
 * styles, images and API calls: the dashboard loads everything from the agent itself (no CDN), with
 * no inline script. TLS ends at the ingress, so upgrade-insecure-requests and HSTS stay off here: over
 * plain HTTP (kind, port-forward) they would break the page or mean nothing.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
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
    hsts: false,
  });
}

/**
 * The CSP of the rendered API docs: aglio's single-file HTML carries its own inline styles and
 * scripts, and nothing from elsewhere.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
