import type {
  Metric,
  PerformanceIndex,
} from '@k8s-app-monitor/metrics-contract';
import { gaussian } from './random';

/** One slowly drifting quantity: a random walk pulled back towards its mean and kept in bounds. */
interface Walk {
  value: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Standard deviation of one step. */
  readonly step: number;
}

function walk(mean: number, min: number, max: number, step: number): Walk {
  return { value: mean, mean, min, max, step };
}

/** Fraction of the distance to the mean recovered per sample: drift without wandering off. */
const MEAN_REVERSION = 0.05;

const clamp = (value: number, min: number, max: number) =>
  Math.min(max, Math.max(min, value));

export interface MetricIdentity {
  host: string;
  app_name: string;
  domain: string;
}

/**
 * Fake but plausible samples of one service instance. Hidden state (load, error rate, latency
 * baseline, concurrency) drifts like a real service; each sample is derived from it, so the numbers
 * agree with each other: failRatio = failAmount / accessAmount, minLatency <= avgLatency <=
 * maxLatency, maxConcurrent <= accessAmount, everything within the original 0..99 ranges.
 *
 * `next()` advances the state and returns a new object synchronously: concurrent requests never
 * share or overwrite a sample (the original Go service raced on one shared struct).
 */
export class MetricGenerator {
  private readonly load = walk(50, 5, 95, 6);
  private readonly errorRate = walk(0.05, 0, 0.3, 0.02);
  private readonly latency = walk(30, 8, 60, 3);
  private readonly concurrency = walk(0.25, 0.05, 0.6, 0.03);
  private readonly latencySpread = walk(20, 5, 40, 2);

  constructor(
    private readonly identity: MetricIdentity,
    private readonly random: () => number,
  ) {}

  next(): Metric {
    for (const w of [
      this.load,
      this.errorRate,
      this.latency,
      this.concurrency,
      this.latencySpread,
    ]) {
      this.advance(w);
    }
    return { performance_index: this.sample(), ...this.identity };
  }

  private advance(w: Walk): void {
    const drift =
      (w.mean - w.value) * MEAN_REVERSION + gaussian(this.random) * w.step;
    let next = w.value + drift;
    // Reflect at the bounds so the walk does not stick to them.
    if (next > w.max) next = 2 * w.max - next;
    if (next < w.min) next = 2 * w.min - next;
    w.value = clamp(next, w.min, w.max);
  }

  private noisy(value: number, sigma: number): number {
    return value + gaussian(this.random) * sigma;
  }

  private sample(): PerformanceIndex {
    const accessAmount = clamp(
      Math.round(this.noisy(this.load.value, 3)),
      0,
      99,
    );
    // At least one request succeeds whenever there is traffic, so failRatio stays below 1.
    const failAmount =
      accessAmount === 0
        ? 0
        : clamp(
            Math.round(this.noisy(accessAmount * this.errorRate.value, 1)),
            0,
            accessAmount - 1,
          );
    const failRatio = accessAmount === 0 ? 0 : failAmount / accessAmount;
    const maxConcurrent = clamp(
      Math.round(accessAmount * this.concurrency.value),
      0,
      accessAmount,
    );
    // Latency grows with load, as it does on a real server.
    const avgLatency = clamp(
      Math.round(this.noisy(this.latency.value + 0.25 * this.load.value, 2)),
      1,
      98,
    );
    const minLatency = clamp(
      Math.round(avgLatency * (0.35 + 0.3 * this.random())),
      0,
      avgLatency,
    );
    const maxLatency = clamp(
      Math.round(this.noisy(avgLatency + this.latencySpread.value, 2)),
      avgLatency,
      99,
    );
    return {
      failRatio,
      failAmount,
      accessAmount,
      maxConcurrent,
      minLatency,
      avgLatency,
      maxLatency,
    };
  }
}
