import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream';
import { ChartRenderer } from './chart-renderer.service';
import { ChartsController } from './charts.controller';

@Module({ imports: [UpstreamModule], controllers: [ChartsController], providers: [ChartRenderer], exports: [ChartRenderer] })
export class ChartsModule {}
