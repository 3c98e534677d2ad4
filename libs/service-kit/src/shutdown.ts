import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadinessRegistry } from './health/readiness.registry';
import { SERVICE_CONFIG } from './tokens';
import type { ServiceConfig } from './config';

/**
 * Graceful shutdown (12-factor, factor IX "disposability"). Kubernetes sends SIGTERM and, at the
 * same time, starts removing the pod from the Service endpoints; the two race. So on SIGTERM the
 * service first fails readiness and keeps serving for SHUTDOWN_DELAY_MS, then Nest closes the HTTP
 * server, which stops accepting and lets in-flight requests finish. SIGINT (Ctrl-C in a terminal)
 * has no endpoints to wait for and skips the delay.
 */
@Injectable()
export class ShutdownService
  implements OnModuleInit, BeforeApplicationShutdown
{
  private readonly logger = new Logger(ShutdownService.name);
  private draining = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {}

  get isDraining(): boolean {
    return this.draining;
  }

  onModuleInit(): void {
    this.readiness.register('shutdown', async () => {
      const session = this.indicator.check('shutdown');
      return this.draining
        ? session.down({ message: 'draining before exit' })
        : session.up();
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    const delay = signal === 'SIGTERM' ? this.config.SHUTDOWN_DELAY_MS : 0;
    this.logger.log(
      `${signal ?? 'shutdown'} received: readiness now fails, closing in ${delay} ms`,
    );
    if (delay > 0) await sleep(delay);
  }
}
