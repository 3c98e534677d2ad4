import { EXAMPLE_METRIC, Metric } from '@k8s-app-monitor/metrics-contract';
import { HistoryStore, MAX_HOSTS } from './history.store';

const metric = (host: string, avgLatency = 37): Metric => ({
  ...EXAMPLE_METRIC,
  host,
  performance_index: { ...EXAMPLE_METRIC.performance_index, avgLatency },
});

describe('HistoryStore', () => {
  it('keeps one bounded series per host, oldest first', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 10 });
    for (let i = 0; i < 25; i++) {
      store.recordSample(metric('pod-a', i), 1000 + i);
      store.recordSample(metric('pod-b', 50 + i), 1000 + i);
    }
    expect(store.hostNames()).toEqual(['pod-a', 'pod-b']);
    const a = store.samples('pod-a');
    expect(a).toHaveLength(10);
    expect(a.map((s) => s.performance_index.avgLatency)).toEqual([
      15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    expect(
      store.samples('pod-b', 2).map((s) => s.performance_index.avgLatency),
    ).toEqual([73, 74]);
    expect(store.samples('unknown')).toEqual([]);
  });

  it('gives the newest sample per host', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 10 });
    store.recordSample(metric('pod-b', 1), 1);
    store.recordSample(metric('pod-a', 2), 2);
    store.recordSample(metric('pod-b', 3), 3);
    expect(
      store.latest().map((s) => [s.host, s.performance_index.avgLatency, s.at]),
    ).toEqual([
      ['pod-a', 2, 2],
      ['pod-b', 3, 3],
    ]);
  });

  it('records failed polls as gaps with their reason, bounded too', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 10 });
    for (let i = 0; i < 15; i++)
      store.recordGap('timeout', `no answer ${i}`, 100 + i);
    const gaps = store.gapsSince(0);
    expect(gaps).toHaveLength(10);
    expect(gaps[0]).toEqual({
      at: 105,
      failure: 'timeout',
      message: 'no answer 5',
    });
    expect(store.gapsSince(113).map((g) => g.at)).toEqual([113, 114]);
    expect(store.newestTime()).toBe(114);
    expect(store.oldestTime()).toBe(105);
    store.recordSample(metric('pod-a'), 50);
    expect(store.oldestTime()).toBe(50);
  });

  it('changes its version on every record', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 10 });
    const v0 = store.version;
    store.recordSample(metric('pod-a'));
    const v1 = store.version;
    store.recordGap('unreachable', 'refused');
    expect(v1).toBeGreaterThan(v0);
    expect(store.version).toBeGreaterThan(v1);
  });

  it('forgets a host (a deleted pod) once it has missed a whole window of polls', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 10 });
    store.recordSample(metric('old-pod'));
    for (let i = 0; i < 9; i++) store.recordSample(metric('new-pod'));
    expect(store.hostNames()).toEqual(['new-pod', 'old-pod']);
    store.recordGap('timeout', 'x');
    expect(store.hostNames()).toEqual(['new-pod']);
  });

  it('stays flat when every poll reports a new pod name (rollouts, forever)', () => {
    const store = new HistoryStore({ HISTORY_SIZE: 1000 });
    for (let i = 0; i < 5000; i++) store.recordSample(metric(`pod-${i}`), i);
    expect(store.hostNames()).toHaveLength(MAX_HOSTS);
    // The most recently seen pods stay.
    expect(store.hostNames()).toContain('pod-4999');
    expect(store.hostNames()).not.toContain('pod-0');
  });
});
