import type { ChartConfiguration, Plugin } from 'chart.js';
import { Metric, ORIGINAL_CHART_FIELDS, PerformanceField } from '@k8s-app-monitor/metrics-contract';

/** The original's image size, so the tutorial's screenshots still match. */
export const BAR_CHART_SIZE = { width: 1024, height: 512 } as const;

/** Bar labels as the original drew them; FailRatio becomes a percentage to share the 0..100 axis. */
const LABELS: Record<PerformanceField, string> = {
  failRatio: 'FailRatio (%)',
  failAmount: 'FailAmount',
  accessAmount: 'AccessAmount',
  maxConcurrent: 'MaxConcurrent',
  minLatency: 'MinLatency',
  avgLatency: 'AvgLatency',
  maxLatency: 'MaxLatency',
};

/** One colour per kind of number (errors red, traffic blue, concurrency purple, latency green). */
const COLOURS: Record<PerformanceField, string> = {
  failRatio: '#d62728',
  failAmount: '#ff7f0e',
  accessAmount: '#1f77b4',
  maxConcurrent: '#9467bd',
  minLatency: '#2ca02c',
  avgLatency: '#17becf',
  maxLatency: '#8c564b',
};

/** The value a bar shows: counts and latencies as they are, the ratio as a percentage. */
export function barValue(metric: Metric, field: PerformanceField): number {
  const value = metric.performance_index[field];
  return field === 'failRatio' ? Math.round(value * 1000) / 10 : value;
}

/** Writes each bar's value above it, so the chart can be read without guessing against the axis. */
const valueLabels: Plugin<'bar'> = {
  id: 'valueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = '14px sans-serif';
    ctx.fillStyle = '#222';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    chart.getDatasetMeta(0).data.forEach((bar, index) => {
      ctx.fillText(String(chart.data.datasets[0].data[index]), bar.x, bar.y - 4);
    });
    ctx.restore();
  },
};

/** The original agent's chart: six bars in its order, a three-line title, ticks on the right. */
export function barChartConfig(metric: Metric): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: ORIGINAL_CHART_FIELDS.map((field) => LABELS[field]),
      datasets: [
        {
          data: ORIGINAL_CHART_FIELDS.map((field) => barValue(metric, field)),
          backgroundColor: ORIGINAL_CHART_FIELDS.map((field) => COLOURS[field]),
        },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      layout: { padding: { top: 8, right: 16, bottom: 8, left: 16 } },
      plugins: {
        legend: { display: false },
        title: {
          display: true,
          align: 'start',
          text: [`AppName:${metric.app_name}`, `Domain:${metric.domain}`, `Host:${metric.host}`],
          font: { size: 16 },
        },
      },
      scales: {
        // Counts and latencies are 0..99 and the ratio is shown in %, so one fixed 0..100 axis
        // compares every bar honestly (the original's axis did not start at 0).
        y: { position: 'right', min: 0, max: 100, ticks: { stepSize: 10 } },
        x: { ticks: { font: { size: 14 } } },
      },
    },
    plugins: [valueLabels],
  };
}
