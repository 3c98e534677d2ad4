import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessRegistry } from '@k8s-app-monitor/service-kit';
import { MonitorTestClient } from './monitor-test.client';

/**
 * The agent is only useful when monitor-test answers, so its readiness follows monitor-test's
 * liveness: while monitor-test is down, Kubernetes stops routing dashboard users to this pod.
 */
@Injectable()
export class UpstreamReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly client: MonitorTestClient,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.registry.register('monitor-test', async () => {
      const session = this.indicator.check('monitor-test');
      try {
        await this.client.checkHealth();
        return session.up({ url: this.client.baseUrl });
      } catch (error) {
        return session.down({ url: this.client.baseUrl, message: (error as Error).message });
      }
    });
  }
}
