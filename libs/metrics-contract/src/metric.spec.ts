import {
  consistencyViolations,
  EXAMPLE_METRIC,
  Metric,
  ORIGINAL_CHART_FIELDS,
  parseMetric,
  PERFORMANCE_FIELDS,
  serializeJson,
} from './index';

function withIndex(patch: Partial<Metric['performance_index']>): Metric {
  return { ...EXAMPLE_METRIC, performance_index: { ...EXAMPLE_METRIC.performance_index, ...patch } };
}

describe('metric contract', () => {
  it('accepts the example and finds it consistent', () => {
    expect(parseMetric(EXAMPLE_METRIC)).toEqual({ ok: true, metric: EXAMPLE_METRIC });
    expect(consistencyViolations(EXAMPLE_METRIC)).toEqual([]);
  });

  it('keeps the wire order of the original plus maxLatency', () => {
    expect(PERFORMANCE_FIELDS).toEqual([
      'failRatio',
      'failAmount',
      'accessAmount',
      'maxConcurrent',
      'minLatency',
      'avgLatency',
      'maxLatency',
    ]);
    expect(ORIGINAL_CHART_FIELDS).toHaveLength(6);
  });

  it.each([
    ['a missing field', { ...EXAMPLE_METRIC, host: undefined }, 'host'],
    ['an unknown field', { ...EXAMPLE_METRIC, extra: 1 }, '(root)'],
    ['a renamed field', { ...EXAMPLE_METRIC, appName: 'x', app_name: undefined }, 'app_name'],
    ['a float count', withIndex({ failAmount: 1.5 }), 'performance_index.failAmount'],
    ['a count above 99', withIndex({ accessAmount: 100 }), 'performance_index.accessAmount'],
    ['a ratio of 1', withIndex({ failRatio: 1 }), 'performance_index.failRatio'],
    ['a string number', withIndex({ avgLatency: '3' as unknown as number }), 'performance_index.avgLatency'],
  ])('rejects %s and names where', (_case, input, where) => {
    const result = parseMetric(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.startsWith(`${where}:`)).toBe(true);
  });

  it.each([
    [{ failAmount: 49 }, 'failAmount <= accessAmount'],
    [{ failAmount: 48, failRatio: 0.99 }, 'failAmount < accessAmount (failRatio must stay below 1)'],
    [{ failRatio: 0.5 }, 'failRatio = failAmount / accessAmount'],
    [{ maxConcurrent: 49 }, 'maxConcurrent <= accessAmount'],
    [{ minLatency: 38 }, 'minLatency <= avgLatency'],
    [{ maxLatency: 36 }, 'avgLatency <= maxLatency'],
  ])('reports the broken rule for %j', (patch, rule) => {
    expect(consistencyViolations(withIndex(patch))).toContain(rule);
  });

  it('treats no traffic as a zero fail ratio', () => {
    const idle = withIndex({ accessAmount: 0, failAmount: 0, failRatio: 0, maxConcurrent: 0 });
    expect(consistencyViolations(idle)).toEqual([]);
  });

  it('serialises as 2-space JSON with a trailing newline', () => {
    expect(serializeJson({ a: { b: 1 } })).toBe('{\n  "a": {\n    "b": 1\n  }\n}\n');
  });
});
