import { Injectable } from '@nestjs/common';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';

/** Draws chart.js configurations to PNG on the server (canvas), one canvas per image size. */
@Injectable()
export class ChartRenderer {
  private readonly canvases = new Map<string, ChartJSNodeCanvas>();

  render(config: ChartConfiguration, width: number, height: number): Promise<Buffer> {
    const key = `${width}x${height}`;
    let canvas = this.canvases.get(key);
    if (!canvas) {
      canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
      this.canvases.set(key, canvas);
    }
    return canvas.renderToBuffer(config as ChartConfiguration, 'image/png');
  }
}
