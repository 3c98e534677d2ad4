import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MonitorTestClient } from './monitor-test.client';
import { UpstreamErrorFilter } from './upstream-error.filter';
import { UpstreamReadiness } from './upstream.readiness';

@Module({
  imports: [HttpModule],
  providers: [MonitorTestClient, UpstreamReadiness, { provide: APP_FILTER, useClass: UpstreamErrorFilter }],
  exports: [MonitorTestClient],
})
export class UpstreamModule {}
