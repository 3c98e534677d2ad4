import { Module } from '@nestjs/common';
import { FaultsModule } from './faults/faults.module';
import { MetricsModule } from './metrics/metrics.module';

@Module({ imports: [MetricsModule, FaultsModule] })
export class AppModule {}
