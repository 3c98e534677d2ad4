import { EXAMPLE_METRIC } from '@k8s-app-monitor/metrics-contract';
import { barChartConfig, barValue } from './bar-chart';

describe('barChartConfig', () => {
  const config = barChartConfig(EXAMPLE_METRIC);

  it('draws the six bars of the original, in its order', () => {
    expect(config.data.labels).toEqual([
      'FailRatio (%)',
      'FailAmount',
      'AccessAmount',
      'MaxConcurrent',
      'MinLatency',
      'AvgLatency',
    ]);
    expect(config.data.datasets[0].data).toEqual([6.3, 3, 48, 12, 21, 37]);
  });

  it('titles the chart with the three lines of the original', () => {
    expect(config.options?.plugins?.title?.text).toEqual([
      'AppName:test-app',
      'Domain:test-domain',
      'Host:k8s-app-monitor-test-5d9c7b8f6-x2k9q',
    ]);
    expect(config.options?.plugins?.title?.align).toBe('start');
  });

  it('starts the y axis at 0, ticks on the right, so every bar is visible and comparable', () => {
    expect(config.options?.scales?.['y']).toMatchObject({
      position: 'right',
      min: 0,
      max: 100,
    });
  });

  it('shows the ratio as a percentage, rounded to one decimal', () => {
    const metric = {
      ...EXAMPLE_METRIC,
      performance_index: {
        ...EXAMPLE_METRIC.performance_index,
        failRatio: 2 / 3,
      },
    };
    expect(barValue(metric, 'failRatio')).toBe(66.7);
    expect(barValue(metric, 'accessAmount')).toBe(48);
  });
});
