import type { Metric } from './metric';

/** A consistent sample, used by docs and tests as the canonical example. */
export const EXAMPLE_METRIC: Metric = {
  performance_index: {
    failRatio: 0.0625,
    failAmount: 3,
    accessAmount: 48,
    maxConcurrent: 12,
    minLatency: 21,
    avgLatency: 37,
    maxLatency: 68,
  },
  host: 'k8s-app-monitor-test-5d9c7b8f6-x2k9q',
  app_name: 'test-app',
  domain: 'test-domain',
};
