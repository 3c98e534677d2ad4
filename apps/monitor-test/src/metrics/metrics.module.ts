import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [FaultsModule],
  controllers: [MetricsController],
  providers: [MetricsService],
})
export class MetricsModule {}
