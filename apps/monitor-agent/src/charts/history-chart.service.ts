import { Inject, Injectable } from '@nestjs/common';
import { PerformanceField } from '@k8s-app-monitor/metrics-contract';
import { SERVICE_CONFIG } from '@k8s-app-monitor/service-kit';
import type { ChartConfiguration } from 'chart.js';
import { HistoryStore } from '../history';
import type { MonitorAgentConfig } from '../service';
import { ChartRenderer } from './chart-renderer.service';
import { historyChartConfig } from './history-chart';

export interface HistoryChartParams {
  metric: PerformanceField;
  width: number;
  height: number;
  /** Seconds of history shown, ending at the newest sample or gap. */
  windowSeconds: number;
}

/** Parameter combinations whose PNG is kept; each PNG is tens of KiB. */
const CACHE_ENTRIES = 32;
/** Renders at once: one draws on the main thread while another's PNG is encoded in the thread pool. */
const RENDER_SLOTS = 2;
/** Renders waiting for a slot; beyond that a request is answered 503 at once instead of piling up. */
export const RENDER_QUEUE = 16;

/** Too many different charts requested at once (a 503 with Retry-After). */
export class ChartsBusyError extends Error {
  constructor() {
    super('too many charts are being drawn; retry in a moment');
    this.name = 'ChartsBusyError';
  }
}

interface CacheEntry {
  /** The newest finished picture for these parameters, and the data version it shows. */
  png?: Buffer;
  version?: number;
  /** The render in progress for these parameters, if any (at most one). */
  rendering?: Promise<Buffer>;
}

/**
 * Renders /charts/history.png. A picture depends only on the data version and the parameters (the
 * window ends at the newest record, not at "now"), so it is cached by both, and
 * - at most one render per parameter set runs at a time: concurrent requests share it;
 * - while a newer picture renders, requests get the previous one at once (stale by at most one
 *   poll), so chart traffic never queues behind renders.
 * Drawing is synchronous canvas work on the main thread (the PNG encoding runs in libuv's pool).
 * Renders of different parameters take one of RENDER_SLOTS, handed over on a later event-loop turn
 * so other requests are served between two renders, and at most RENDER_QUEUE wait: requests that
 * vary the parameters to defeat the cache get 503s, not an event loop blocked for seconds.
 */
@Injectable()
export class HistoryChartService {
  private readonly cache = new Map<string, CacheEntry>();
  private renders = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  readonly defaultWindowSeconds: number;

  constructor(
    private readonly store: HistoryStore,
    private readonly renderer: ChartRenderer,
    @Inject(SERVICE_CONFIG) config: Pick<MonitorAgentConfig, 'POLL_INTERVAL_MS' | 'HISTORY_SIZE'>,
  ) {
    this.defaultWindowSeconds = Math.max(10, Math.min(86_400, Math.ceil((config.POLL_INTERVAL_MS * config.HISTORY_SIZE) / 1000)));
  }

  /** How many charts were actually drawn (the rest came from the cache). */
  get renderCount(): number {
    return this.renders;
  }

  png(params: HistoryChartParams): Promise<Buffer> {
    const key = `${params.metric}|${params.width}x${params.height}|${params.windowSeconds}`;
    let entry = this.cache.get(key);
    if (entry) {
      this.cache.delete(key);
    } else {
      entry = {};
    }
    this.cache.set(key, entry);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);

    if (entry.png && entry.version === this.store.version) return Promise.resolve(entry.png);
    let rendering = entry.rendering;
    if (!rendering) {
      const target = entry;
      rendering = this.draw(params)
        .then(({ png, version }) => {
          target.png = png;
          target.version = version;
          return png;
        })
        .finally(() => {
          target.rendering = undefined;
        });
      target.rendering = rendering;
      // Requests served the previous picture do not wait for this render: a failure must not become
      // an unhandled rejection (requests that do wait still get it).
      rendering.catch(() => undefined);
    }
    return entry.png ? Promise.resolve(entry.png) : rendering;
  }

  /** The chart.js configuration for the current data (also used to measure render cost). */
  config(params: HistoryChartParams): ChartConfiguration<'line'> {
    const to = this.store.newestTime() ?? Date.now();
    // The window, or less when the history is younger: no empty stretch before the first sample.
    const from = Math.max(to - params.windowSeconds * 1000, Math.min(this.store.oldestTime() ?? to, to - 10_000));
    const series = this.store.hostNames().map((host) => ({ host, samples: this.store.samples(host) }));
    return historyChartConfig({ metric: params.metric, series, gaps: this.store.gapsSince(from), from, to });
  }

  private async draw(params: HistoryChartParams): Promise<{ png: Buffer; version: number }> {
    await this.acquire();
    try {
      this.renders += 1;
      // The data as it is when the render starts (it may have waited for a slot).
      const version = this.store.version;
      const png = await this.renderer.render(this.config(params) as unknown as ChartConfiguration, params.width, params.height);
      return { png, version };
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < RENDER_SLOTS) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= RENDER_QUEUE) return Promise.reject(new ChartsBusyError());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes to the next render on a later turn, after pending I/O (other requests).
    if (next) setImmediate(next);
    else this.active -= 1;
  }
}
