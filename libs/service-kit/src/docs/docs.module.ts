import {
  Controller,
  DynamicModule,
  Get,
  Module,
  NotFoundException,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_CONTENT_SECURITY_POLICY } from '../security-headers';

/**
 * Where the rendered blueprints are, relative to the bundle: `api-docs/` beside main.js in the
 * container image, dist/api-docs/ (written by the `api-docs:docs` target every build depends on)
 * next to dist/apps/<service>/main.js in the workspace.
 */
const DOCS_DIRS = [
  join(__dirname, 'api-docs'),
  join(__dirname, '..', '..', 'api-docs'),
];

interface ServiceDocs {
  html?: Buffer;
  blueprint?: Buffer;
}

function readIfPresent(file: string): Buffer | undefined {
  for (const dir of DOCS_DIRS) {
    try {
      return readFileSync(join(dir, file));
    } catch {
      // not in this one
    }
  }
  return undefined;
}

const NOT_BUILT =
  'API docs were not built with this service: run `npm run docs`, then rebuild';

/**
 * Each service serves its own API Blueprint and its aglio rendering, so `kubectl port-forward`
 * users find the docs next to the API. Read once at start-up: they are part of the build.
 */
@Module({})
export class DocsModule {
  static forService(service: string): DynamicModule {
    const docs: ServiceDocs = {
      html: readIfPresent(`${service}.html`),
      blueprint: readIfPresent(`${service}.apib`),
    };

    @Controller('docs')
    class DocsController {
      @Get()
      page(@Res() reply: FastifyReply): void {
        if (!docs.html) throw new NotFoundException(NOT_BUILT);
        reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY)
          .send(docs.html);
      }

      @Get('api.apib')
      blueprint(@Res() reply: FastifyReply): void {
        if (!docs.blueprint) throw new NotFoundException(NOT_BUILT);
        reply.type('text/plain; charset=utf-8').send(docs.blueprint);
      }
    }

    return { module: DocsModule, controllers: [DocsController] };
  }
}
