import { Inject, Injectable } from '@nestjs/common';
import type { Metric } from '@k8s-app-monitor/metrics-contract';
import { SERVICE_CONFIG } from '@k8s-app-monitor/service-kit';
import { randomInt } from 'node:crypto';
import type { MonitorTestConfig } from '../service';
import { MetricGenerator } from './metric-generator';
import { seededRandom } from './random';

@Injectable()
export class MetricsService {
  private readonly generator: MetricGenerator;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: MonitorTestConfig) {
    const seed = config.SEED ?? randomInt(2 ** 32 - 1);
    this.generator = new MetricGenerator(
      { host: config.HOSTNAME, app_name: config.APP_NAME, domain: config.DOMAIN },
      seededRandom(seed),
    );
  }

  next(): Metric {
    return this.generator.next();
  }

  /** The original served one app; `/metrics/{appname}` answers for it only. */
  nextFor(appName: string): Metric | undefined {
    return appName === this.config.APP_NAME ? this.next() : undefined;
  }
}
