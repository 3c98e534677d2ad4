import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { METRIC_NOT_FOUND_MESSAGE } from '@k8s-app-monitor/metrics-contract';
import {
  hasBearerToken,
  SERVICE_CONFIG,
  sendJson,
  sendUnauthorized,
} from '@k8s-app-monitor/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FaultsService } from '../faults/faults.service';
import type { MonitorTestConfig } from '../service';
import { MetricsService } from './metrics.service';

/** The API of the original sample, byte for byte: pretty-printed JSON with a trailing newline. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly faults: FaultsService,
    @Inject(SERVICE_CONFIG) private readonly config: MonitorTestConfig,
  ) {}

  @Get()
  current(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void | Promise<void> {
    return this.answer(request, reply, () =>
      sendJson(reply, 200, this.metrics.next()),
    );
  }

  @Get(':appname')
  forApp(
    @Param('appname') appName: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void | Promise<void> {
    return this.answer(request, reply, () => {
      const metric = this.metrics.nextFor(appName);
      if (metric) sendJson(reply, 200, metric);
      else sendJson(reply, 404, METRIC_NOT_FOUND_MESSAGE);
    });
  }

  /**
   * Checks the token, then applies the injected faults, then serves. Synchronous unless a delay is
   * injected: this is the hot path the benchmark measures.
   */
  private answer(
    request: FastifyRequest,
    reply: FastifyReply,
    serve: () => void,
  ): void | Promise<void> {
    if (
      this.config.API_TOKEN &&
      !hasBearerToken(request, this.config.API_TOKEN)
    ) {
      return sendUnauthorized(reply, 'the metrics API');
    }
    const delay = this.faults.delay();
    if (delay) return delay.then(() => this.serveOrFail(reply, serve));
    this.serveOrFail(reply, serve);
  }

  private serveOrFail(reply: FastifyReply, serve: () => void): void {
    if (this.faults.shouldFail()) {
      sendJson(reply, 500, {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'injected fault (FAULT_ERROR_RATE)',
      });
    } else {
      serve();
    }
  }
}
