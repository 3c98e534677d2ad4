import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { PerformanceField } from '@k8s-app-monitor/metrics-contract';
import type { Gap, Sample } from '../history';

/** Bounds of `width`/`height` of /charts/history.png: big enough to read, small enough to never hurt. */
export const HISTORY_CHART_BOUNDS = { min: 200, max: 2000 } as const;
export const HISTORY_CHART_DEFAULT_SIZE = { width: 1024, height: 512 } as const;

/**
 * Okabe-Ito: eight colours that stay distinguishable with the common colour-vision deficiencies,
 * ordered so the first (the usual 1-3 replicas) contrast best with the white background.
 */
export const HOST_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];

export const METRIC_LABELS: Record<PerformanceField, string> = {
  failRatio: 'Fail ratio (%)',
  failAmount: 'Failed requests',
  accessAmount: 'Requests',
  maxConcurrent: 'Max concurrent requests',
  minLatency: 'Min latency (ms)',
  avgLatency: 'Avg latency (ms)',
  maxLatency: 'Max latency (ms)',
};

export interface HistoryChartInput {
  metric: PerformanceField;
  /** Samples per host, oldest first. */
  series: { host: string; samples: Sample[] }[];
  gaps: Gap[];
  /** The time range shown, epoch ms. */
  from: number;
  to: number;
}

/** The value plotted: the ratio as a percentage, everything else as is. */
export function plotted(sample: Sample, metric: PerformanceField): number {
  const value = sample.performance_index[metric];
  return metric === 'failRatio' ? Math.round(value * 1000) / 10 : value;
}

/** `HH:MM:SS` in UTC: the server has no idea of the viewer's time zone, so it says which one it uses. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * A line over time per host. Failed polls break every line (a gap is a null point), so an outage
 * shows as a hole instead of a straight line drawn across it.
 */
export function historyChartConfig(input: HistoryChartInput): ChartConfiguration<'line'> {
  const gaps = input.gaps.filter((gap) => gap.at >= input.from && gap.at <= input.to);
  const datasets: ChartDataset<'line', { x: number; y: number | null }[]>[] = input.series.map((entry, index) => {
    const points: { x: number; y: number | null }[] = entry.samples
      .filter((sample) => sample.at >= input.from && sample.at <= input.to)
      .map((sample) => ({ x: sample.at, y: plotted(sample, input.metric) }));
    for (const gap of gaps) points.push({ x: gap.at, y: null });
    points.sort((a, b) => a.x - b.x);
    const colour = HOST_COLOURS[index % HOST_COLOURS.length];
    return {
      label: entry.host,
      data: points,
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: 0,
      spanGaps: false,
      // Beyond eight hosts colours repeat; a dash pattern keeps the lines apart.
      borderDash: index >= HOST_COLOURS.length ? [6, 4] : [],
    };
  });
  const empty = datasets.every((dataset) => dataset.data.length === 0);
  return {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      normalized: true,
      layout: { padding: 12 },
      plugins: {
        title: {
          display: true,
          text: empty ? `${METRIC_LABELS[input.metric]}: no samples yet` : `${METRIC_LABELS[input.metric]} per host`,
          font: { size: 16 },
        },
        legend: { display: true, position: 'bottom', labels: { boxHeight: 2 } },
      },
      scales: {
        x: {
          type: 'linear',
          min: input.from,
          max: input.to,
          title: { display: true, text: 'time (UTC)' },
          ticks: { maxTicksLimit: 8, includeBounds: false, callback: (value) => clockTime(Number(value)) },
        },
        // From 0 so heights compare honestly; the top follows the data, so a ratio of a few % stays readable.
        y: {
          min: 0,
          suggestedMax: input.metric === 'failRatio' ? 10 : 20,
          title: { display: true, text: METRIC_LABELS[input.metric] },
        },
      },
    },
  };
}
