import { Module } from '@nestjs/common';
import { HistoryModule } from '../history';
import { ApiController } from './api.controller';

@Module({ imports: [HistoryModule], controllers: [ApiController] })
export class ApiModule {}
