export function metricsContract(): string {
  return 'metrics-contract';
}
