import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MonitorTestClient } from '../upstream';
import { BAR_CHART_SIZE, barChartConfig } from './bar-chart';
import { ChartRenderer } from './chart-renderer.service';
import { ORIGINAL_CHART_PATH } from './original-chart-path';

/** The original agent's only feature: a bar chart of a freshly fetched metric, on every request. */
@Controller()
export class ChartsController {
  constructor(
    private readonly upstream: MonitorTestClient,
    private readonly renderer: ChartRenderer,
  ) {}

  /**
   * The path the tutorial's traefik Ingress routes to. (The original README opened `/`, which is now
   * the live dashboard.) Always at the root, whatever BASE_PATH says, so the tutorial's URL works.
   */
  @Get(ORIGINAL_CHART_PATH)
  async currentChart(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const metric = await this.upstream.fetchMetric(request.id);
    const png = await this.renderer.render(barChartConfig(metric), BAR_CHART_SIZE.width, BAR_CHART_SIZE.height);
    // Every request shows new data, so no cache (browser or proxy) may keep an old chart.
    reply.type('image/png').header('cache-control', 'no-store').send(png);
  }
}
