import { Module } from '@nestjs/common';
import { ApiModule } from './api';
import { ChartsModule } from './charts/charts.module';
import { HistoryModule } from './history';

@Module({ imports: [HistoryModule, ChartsModule, ApiModule] })
export class AppModule {}
