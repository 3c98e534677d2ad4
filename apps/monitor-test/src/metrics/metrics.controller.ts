import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { METRIC_NOT_FOUND_MESSAGE } from '@k8s-app-monitor/metrics-contract';
import { hasBearerToken, SERVICE_CONFIG, sendJson, sendUnauthorized } from '@k8s-app-monitor/service-kit';
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
  async current(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (await this.refused(request, reply)) return;
    sendJson(reply, 200, this.metrics.next());
  }

  @Get(':appname')
  async forApp(
    @Param('appname') appName: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (await this.refused(request, reply)) return;
    const metric = this.metrics.nextFor(appName);
    if (metric) sendJson(reply, 200, metric);
    else sendJson(reply, 404, METRIC_NOT_FOUND_MESSAGE);
  }

  /** Answers instead of the route when the token is missing or a fault is injected. */
  private async refused(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (this.config.API_TOKEN && !hasBearerToken(request, this.config.API_TOKEN)) {
      sendUnauthorized(reply, 'the metrics API');
      return true;
    }
    if (await this.faults.beforeAnswer()) {
      sendJson(reply, 500, { statusCode: 500, error: 'Internal Server Error', message: 'injected fault (FAULT_ERROR_RATE)' });
      return true;
    }
    return false;
  }
}
