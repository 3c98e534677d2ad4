import { Controller, Get, Param, Res } from '@nestjs/common';
import { METRIC_NOT_FOUND_MESSAGE } from '@k8s-app-monitor/metrics-contract';
import { sendJson } from '@k8s-app-monitor/service-kit';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service';

/** The API of the original sample, byte for byte: pretty-printed JSON with a trailing newline. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  current(@Res() reply: FastifyReply): void {
    sendJson(reply, 200, this.metrics.next());
  }

  @Get(':appname')
  forApp(@Param('appname') appName: string, @Res() reply: FastifyReply): void {
    const metric = this.metrics.nextFor(appName);
    if (metric) sendJson(reply, 200, metric);
    else sendJson(reply, 404, METRIC_NOT_FOUND_MESSAGE);
  }
}
