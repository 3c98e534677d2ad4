import { Injectable } from '@nestjs/common';
import { Telemetry } from '@k8s-app-monitor/service-kit';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { Histogram } from 'prom-client';

/** Canvas factories kept, most recently used; image sizes come from query parameters, so bounded. */
const MAX_CANVASES = 8;

/** Draws chart.js configurations to PNG on the server (canvas), one canvas per image size. */
@Injectable()
export class ChartRenderer {
  private readonly canvases = new Map<string, ChartJSNodeCanvas>();
  private readonly renderDuration: Histogram<'chart'>;

  constructor(telemetry: Telemetry) {
    this.renderDuration = new Histogram({
      name: 'monitor_agent_chart_render_duration_seconds',
      help: 'Time to draw one chart to PNG, by chart type (bar: the original chart, line: history)',
      labelNames: ['chart'],
      buckets: [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1],
      registers: [telemetry.registry],
    });
  }

  async render(config: ChartConfiguration, width: number, height: number): Promise<Buffer> {
    const key = `${width}x${height}`;
    let canvas = this.canvases.get(key);
    if (canvas) {
      this.canvases.delete(key);
    } else {
      canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
    }
    this.canvases.set(key, canvas);
    while (this.canvases.size > MAX_CANVASES) this.canvases.delete(this.canvases.keys().next().value as string);
    const endTimer = this.renderDuration.startTimer({ chart: config.type });
    try {
      return await canvas.renderToBuffer(config as ChartConfiguration, 'image/png');
    } finally {
      endTimer();
    }
  }
}
