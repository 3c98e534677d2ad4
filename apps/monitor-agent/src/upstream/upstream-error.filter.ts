import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UpstreamError } from './upstream.error';

/**
 * Turns a failed call to monitor-test into a JSON 502/503 that says what failed. The original agent
 * called log.Fatal here and the whole process exited; one bad upstream answer must cost one request.
 */
@Catch(UpstreamError)
export class UpstreamErrorFilter implements ExceptionFilter<UpstreamError> {
  private readonly logger = new Logger('Upstream');

  catch(error: UpstreamError, host: ArgumentsHost): void {
    this.logger.warn({ failure: error.failure, url: error.url }, error.message);
    const status = error.httpStatus;
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .header('cache-control', 'no-store')
      .send({
        statusCode: status,
        error: status === 503 ? 'Service Unavailable' : 'Bad Gateway',
        message: error.message,
        failure: error.failure,
        upstream: error.url,
      });
  }
}
