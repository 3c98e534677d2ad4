import { Controller, Get, Query as QueryParams, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { integerParam, metricParam, Query } from '../api/query-params';
import { HISTORY_CHART_BOUNDS, HISTORY_CHART_DEFAULT_SIZE } from './history-chart';
import { ChartsBusyError, HistoryChartService } from './history-chart.service';

/** The history as an image, for places that show pictures but run no JavaScript (chat, slides, wikis). */
@Controller('charts')
export class HistoryChartController {
  constructor(private readonly charts: HistoryChartService) {}

  @Get('history.png')
  async history(@QueryParams() query: Query, @Res() reply: FastifyReply): Promise<void> {
    const { min, max } = HISTORY_CHART_BOUNDS;
    // Every parameter is validated before anything is allocated: a bad size is a 400, not a giant canvas.
    const params = {
      metric: metricParam(query, 'metric', 'avgLatency'),
      width: integerParam(query, 'width', min, max, HISTORY_CHART_DEFAULT_SIZE.width),
      height: integerParam(query, 'height', min, max, HISTORY_CHART_DEFAULT_SIZE.height),
      windowSeconds: integerParam(query, 'window', 10, 86_400, this.charts.defaultWindowSeconds),
    };
    let png: Buffer;
    try {
      png = await this.charts.png(params);
    } catch (error) {
      if (!(error instanceof ChartsBusyError)) throw error;
      reply.header('retry-after', '1');
      throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: error.message });
    }
    reply.type('image/png').header('cache-control', 'no-store').send(png);
  }
}
