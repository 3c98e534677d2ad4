import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClientErrorFilter } from './client-error.filter';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config';
import { HealthModule } from './health/health.module';
import { loggerModuleFor } from './logging';
import { ShutdownService } from './shutdown';
import { Telemetry } from './telemetry';
import { SERVICE_CONFIG } from './tokens';

/** What every service here needs, once: its config, logging, probes and shutdown sequence. */
@Module({})
export class ServiceKitModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      imports: [loggerModuleFor(logger), HealthModule],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ClientErrorFilter },
        ShutdownService,
        Telemetry,
      ],
      exports: [SERVICE_CONFIG, ShutdownService, Telemetry, HealthModule],
    };
  }
}
