import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream';
import { HistoryPoller } from './history.poller';
import { HistoryStore } from './history.store';

@Module({ imports: [UpstreamModule], providers: [HistoryStore, HistoryPoller], exports: [HistoryStore, HistoryPoller] })
export class HistoryModule {}
