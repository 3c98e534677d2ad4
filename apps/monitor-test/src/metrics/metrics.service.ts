import { Inject, Injectable } from '@nestjs/common';
import type { Metric } from '@k8s-app-monitor/metrics-contract';
import { SERVICE_CONFIG, Telemetry } from '@k8s-app-monitor/service-kit';
import { Counter, Gauge } from 'prom-client';
import { randomInt } from 'node:crypto';
import type { MonitorTestConfig } from '../service';
import { MetricGenerator } from './metric-generator';
import { seededRandom } from './random';

@Injectable()
export class MetricsService {
  private readonly generator: MetricGenerator;
  private readonly generated: Counter;
  private last?: Metric;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitorTestConfig,
    telemetry: Telemetry,
  ) {
    this.generated = new Counter({
      name: 'monitor_test_samples_generated_total',
      help: 'Fake metric samples served',
      registers: [telemetry.registry],
    });
    // The fake numbers themselves, so a Grafana panel can plot what the agent charts.
    const lastSample = () => this.last?.performance_index;
    new Gauge({
      name: 'monitor_test_last_sample',
      help: 'performance_index of the last sample served, by field',
      labelNames: ['field'],
      registers: [telemetry.registry],
      // Set when Prometheus scrapes, not on every request: /metrics is the hot path.
      collect() {
        for (const [field, value] of Object.entries(lastSample() ?? {}))
          this.set({ field }, value);
      },
    });
    const seed = config.SEED ?? randomInt(2 ** 32 - 1);
    this.generator = new MetricGenerator(
      {
        host: config.HOSTNAME,
        app_name: config.APP_NAME,
        domain: config.DOMAIN,
      },
      seededRandom(seed),
    );
  }

  next(): Metric {
    const metric = this.generator.next();
    this.generated.inc();
    this.last = metric;
    return metric;
  }

  /** The original served one app; `/metrics/{appname}` answers for it only. */
  nextFor(appName: string): Metric | undefined {
    return appName === this.config.APP_NAME ? this.next() : undefined;
  }
}
