import {
  Inject,
  Injectable,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  ReadinessRegistry,
  SERVICE_CONFIG,
} from '@k8s-app-monitor/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MonitorTestConfig } from '../service';

export interface FaultSettings {
  /** Added before every `/metrics` answer, in ms. */
  delayMs: number;
  /** Share of `/metrics` requests answered with a 500, 0..1. */
  errorRate: number;
  /** False makes `/readyz` fail, so Kubernetes takes the pod out of the Service. */
  ready: boolean;
}

export interface FaultState extends FaultSettings {
  /** When an ongoing CPU burn ends (ISO time), or null. */
  cpuBurnUntil: string | null;
}

/** Each slice of a CPU burn busy-loops this long, then yields, so probes and requests still get answers. */
const BURN_SLICE_MS = 50;

/**
 * Faults for workshops: slow answers, errors, a pod that is alive but not ready, CPU load for the
 * HPA demo. Start values come from the environment, changes from the admin API.
 */
@Injectable()
export class FaultsService implements OnModuleInit, OnModuleDestroy {
  private settings: FaultSettings;
  private burnUntil = 0;
  private burning?: Promise<void>;

  constructor(
    @Inject(SERVICE_CONFIG) config: MonitorTestConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {
    this.settings = {
      delayMs: config.FAULT_DELAY_MS,
      errorRate: config.FAULT_ERROR_RATE,
      ready: true,
    };
  }

  onModuleInit(): void {
    this.readiness.register('faults', async () => {
      const session = this.indicator.check('faults');
      return this.settings.ready
        ? session.up()
        : session.down({ message: 'readiness disabled through the admin API' });
    });
  }

  onModuleDestroy(): Promise<void> | undefined {
    this.burnUntil = 0;
    return this.burning;
  }

  state(): FaultState {
    const burning = this.burnUntil > Date.now();
    return {
      ...this.settings,
      cpuBurnUntil: burning ? new Date(this.burnUntil).toISOString() : null,
    };
  }

  update(changes: Partial<FaultSettings>): FaultState {
    this.settings = { ...this.settings, ...changes };
    return this.state();
  }

  /** The configured delay to wait before answering, or undefined when there is none (the usual case). */
  delay(): Promise<void> | undefined {
    return this.settings.delayMs > 0 ? sleep(this.settings.delayMs) : undefined;
  }

  /** True when this request must fail with an injected error. */
  shouldFail(): boolean {
    return (
      this.settings.errorRate > 0 && Math.random() < this.settings.errorRate
    );
  }

  /** Keeps one core busy for `seconds` (extends an ongoing burn). */
  burnCpu(seconds: number): FaultState {
    this.burnUntil = Math.max(this.burnUntil, Date.now() + seconds * 1000);
    this.burning ??= this.burn().finally(() => (this.burning = undefined));
    return this.state();
  }

  private async burn(): Promise<void> {
    while (Date.now() < this.burnUntil) {
      const sliceEnd = Math.min(Date.now() + BURN_SLICE_MS, this.burnUntil);
      while (Date.now() < sliceEnd) {
        // busy on purpose: this is the CPU load the HPA demo scales on
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
