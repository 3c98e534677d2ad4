import { Module } from '@nestjs/common';
import { HistoryModule } from '../history';
import { UpstreamModule } from '../upstream';
import { ChartRenderer } from './chart-renderer.service';
import { ChartsController } from './charts.controller';
import { HistoryChartController } from './history-chart.controller';
import { HistoryChartService } from './history-chart.service';

@Module({
  imports: [UpstreamModule, HistoryModule],
  controllers: [ChartsController, HistoryChartController],
  providers: [ChartRenderer, HistoryChartService],
  exports: [ChartRenderer],
})
export class ChartsModule {}
