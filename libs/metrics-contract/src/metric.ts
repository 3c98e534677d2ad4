import { z } from 'zod';

/** Every count and latency of the original sample is an integer in 0..99. */
const amount = z.number().int().min(0).max(99);

/**
 * The six numbers the original Go sample sent, plus `maxLatency`, which the original API Blueprint
 * documented but the Go code never returned. Key order is the wire order.
 */
export const PerformanceIndexSchema = z.strictObject({
  failRatio: z.number().min(0).lt(1),
  failAmount: amount,
  accessAmount: amount,
  maxConcurrent: amount,
  minLatency: amount,
  avgLatency: amount,
  maxLatency: amount,
});

/** One sample of one application instance, as `GET /metrics` of monitor-test serves it. */
export const MetricSchema = z.strictObject({
  performance_index: PerformanceIndexSchema,
  /** The pod name in Kubernetes (the `HOSTNAME` env of monitor-test). */
  host: z.string().min(1),
  app_name: z.string().min(1),
  domain: z.string().min(1),
});

export type PerformanceIndex = z.infer<typeof PerformanceIndexSchema>;
export type Metric = z.infer<typeof MetricSchema>;
export type PerformanceField = keyof PerformanceIndex;

/** All fields in wire order. */
export const PERFORMANCE_FIELDS = Object.keys(PerformanceIndexSchema.shape) as PerformanceField[];

/** The six bars of the original agent's chart, in its order (it never had maxLatency). */
export const ORIGINAL_CHART_FIELDS: readonly PerformanceField[] = [
  'failRatio',
  'failAmount',
  'accessAmount',
  'maxConcurrent',
  'minLatency',
  'avgLatency',
];

/** Body of `GET /metrics/{appname}` for an unknown app, a JSON string, kept from the original. */
export const METRIC_NOT_FOUND_MESSAGE = 'Could not find metric in repository';

export type ParseResult = { ok: true; metric: Metric } | { ok: false; error: string };

/** Validates untrusted input (an upstream body) against the contract, with a one-line reason. */
export function parseMetric(input: unknown): ParseResult {
  const result = MetricSchema.safeParse(input);
  if (result.success) return { ok: true, metric: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return { ok: false, error: `${where}: ${issue.message}` };
}

/**
 * The rules that make a sample plausible; the schema checks the shape, these check the meaning.
 * Returns the broken rules, empty when the sample is consistent.
 */
export function consistencyViolations(metric: Metric): string[] {
  const p = metric.performance_index;
  const broken: string[] = [];
  if (p.failAmount > p.accessAmount) broken.push('failAmount <= accessAmount');
  if (p.accessAmount > 0 && p.failAmount === p.accessAmount) {
    broken.push('failAmount < accessAmount (failRatio must stay below 1)');
  }
  const expectedRatio = p.accessAmount === 0 ? 0 : p.failAmount / p.accessAmount;
  if (Math.abs(p.failRatio - expectedRatio) > 1e-12) broken.push('failRatio = failAmount / accessAmount');
  if (p.maxConcurrent > p.accessAmount) broken.push('maxConcurrent <= accessAmount');
  if (p.minLatency > p.avgLatency) broken.push('minLatency <= avgLatency');
  if (p.avgLatency > p.maxLatency) broken.push('avgLatency <= maxLatency');
  return broken;
}

/** The wire format of the original: 2-space pretty JSON with a trailing newline. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** The media type of every JSON body here: RFC 8259 defines no charset parameter. */
export const JSON_CONTENT_TYPE = 'application/json';
