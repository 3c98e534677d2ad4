import {
  ArgumentsHost,
  Catch,
  HttpException,
  Inject,
  Logger,
} from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

/** What Fastify and Node attach to errors that are the client's fault (bad body, aborted upload). */
interface ClientError extends Error {
  statusCode?: number;
  code?: string;
}

/**
 * Errors that Fastify marks as the client's (a malformed or oversized body, a client that hung up
 * mid-upload) are answered with their 4xx as JSON and logged at debug: any client could otherwise fill
 * the logs with error-level stack traces. Everything else goes to Nest's handler (500, logged).
 */
@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('ClientError');

  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    super(adapterHost.httpAdapter);
  }

  override catch(error: unknown, host: ArgumentsHost): void {
    const status = (error as ClientError)?.statusCode;
    if (
      error instanceof HttpException ||
      !(error instanceof Error) ||
      !status ||
      status < 400 ||
      status >= 500
    ) {
      return super.catch(error, host);
    }
    this.logger.debug(
      `client error ${status}: ${(error as ClientError).code ?? error.message}`,
    );
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent || reply.raw.destroyed) return;
    reply
      .status(status)
      .send({
        statusCode: status,
        error: STATUS_CODES[status],
        message: error.message,
      });
  }
}
