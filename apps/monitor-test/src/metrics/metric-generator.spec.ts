import {
  consistencyViolations,
  Metric,
  parseMetric,
} from '@k8s-app-monitor/metrics-contract';
import { MetricGenerator } from './metric-generator';
import { seededRandom } from './random';

const identity = { host: 'pod-1', app_name: 'test-app', domain: 'test-domain' };
const samples = (seed: number, count: number): Metric[] => {
  const generator = new MetricGenerator(identity, seededRandom(seed));
  return Array.from({ length: count }, () => generator.next());
};

describe('MetricGenerator', () => {
  const many = samples(7, 20_000);

  it('produces only contract-valid, consistent samples', () => {
    for (const metric of many) {
      expect(parseMetric(metric)).toEqual({ ok: true, metric });
      expect(consistencyViolations(metric)).toEqual([]);
    }
  });

  it('carries the configured identity', () => {
    expect(many[0]).toMatchObject(identity);
  });

  it('uses the ranges of the original, not a constant', () => {
    const access = many.map((m) => m.performance_index.accessAmount);
    const ratio = many.map((m) => m.performance_index.failRatio);
    expect(Math.max(...access) - Math.min(...access)).toBeGreaterThan(50);
    expect(new Set(ratio).size).toBeGreaterThan(100);
    expect(Math.max(...ratio)).toBeGreaterThan(0.1);
  });

  it('drifts like a random walk: successive samples are closer than independent ones', () => {
    const access = many.map((m) => m.performance_index.accessAmount);
    const meanStep =
      access.slice(1).reduce((sum, v, i) => sum + Math.abs(v - access[i]), 0) /
      (access.length - 1);
    // Mean distance between two independent draws of the same series, as the yardstick.
    const shuffled = [...access].sort((a, b) => ((a * 7919 + b) % 13) - 6);
    const meanIndependent =
      shuffled
        .slice(1)
        .reduce(
          (sum, v, i) =>
            sum + Math.abs(v - access[(i * 104729) % access.length]),
          0,
        ) /
      (shuffled.length - 1);
    expect(meanStep).toBeLessThan(meanIndependent / 2);
  });

  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(samples(42, 50)).toEqual(samples(42, 50));
    expect(samples(43, 50)).not.toEqual(samples(42, 50));
  });

  it('returns a new object every time', () => {
    const generator = new MetricGenerator(identity, seededRandom(1));
    const first = generator.next();
    const copy = structuredClone(first);
    generator.next();
    expect(first).toEqual(copy);
  });
});
