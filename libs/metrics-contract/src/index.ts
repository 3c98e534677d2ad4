export * from './lib/metrics-contract';
