import { Module } from '@nestjs/common';
import { ChartsModule } from './charts/charts.module';

@Module({ imports: [ChartsModule] })
export class AppModule {}
