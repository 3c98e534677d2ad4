import { Inject, Injectable } from '@nestjs/common';
import { Metric, PerformanceIndex } from '@k8s-app-monitor/metrics-contract';
import { SERVICE_CONFIG } from '@k8s-app-monitor/service-kit';
import type { MonitorAgentConfig } from '../service';
import { Ring } from './ring';

/** One successful poll: what one monitor-test instance (pod) reported, and when. */
export interface Sample {
  /** Epoch milliseconds when the agent received the sample. */
  at: number;
  host: string;
  app_name: string;
  domain: string;
  performance_index: PerformanceIndex;
}

/** One failed poll: a hole in every series, with the reason. */
export interface Gap {
  at: number;
  failure: string;
  message: string;
}

/**
 * Most hosts kept at once. Every rollout brings new pod names; hosts that stopped answering are
 * dropped once they fall out of the window, and this caps the worst case in between.
 */
export const MAX_HOSTS = 64;

interface HostSeries {
  samples: Ring<Sample>;
  /** Poll counter value of this host's newest sample. */
  lastPoll: number;
}

/**
 * The agent's in-memory history: a bounded ring of samples per monitor-test host, and a ring of
 * failed polls. It is a cache, not state: a restarted agent starts empty.
 */
@Injectable()
export class HistoryStore {
  readonly capacity: number;
  private readonly hosts = new Map<string, HostSeries>();
  private readonly gaps: Ring<Gap>;
  private polls = 0;
  private dataVersion = 0;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<MonitorAgentConfig, 'HISTORY_SIZE'>) {
    this.capacity = config.HISTORY_SIZE;
    this.gaps = new Ring<Gap>(this.capacity);
  }

  /** Changes whenever a sample or gap is recorded (cache key of rendered charts). */
  get version(): number {
    return this.dataVersion;
  }

  recordSample(metric: Metric, at = Date.now()): void {
    this.polls += 1;
    let series = this.hosts.get(metric.host);
    if (!series) {
      series = { samples: new Ring<Sample>(this.capacity), lastPoll: 0 };
      this.hosts.set(metric.host, series);
    } else {
      // Keep the map in least-recently-seen order, so eviction takes the first key.
      this.hosts.delete(metric.host);
      this.hosts.set(metric.host, series);
    }
    series.lastPoll = this.polls;
    series.samples.push({
      at,
      host: metric.host,
      app_name: metric.app_name,
      domain: metric.domain,
      performance_index: { ...metric.performance_index },
    });
    this.evict();
    this.dataVersion += 1;
  }

  recordGap(failure: string, message: string, at = Date.now()): void {
    this.polls += 1;
    this.gaps.push({ at, failure, message });
    this.evict();
    this.dataVersion += 1;
  }

  /** Hosts ordered by name, so colours and legends stay put while data arrives. */
  hostNames(): string[] {
    return [...this.hosts.keys()].sort();
  }

  latest(): Sample[] {
    return this.hostNames().map((host) => this.hosts.get(host)?.samples.last() as Sample);
  }

  /** The newest `limit` samples of one host, oldest first; empty for an unknown host. */
  samples(host: string, limit = this.capacity): Sample[] {
    return this.hosts.get(host)?.samples.toArray(limit) ?? [];
  }

  /** Failed polls at or after `since`, oldest first. */
  gapsSince(since: number): Gap[] {
    return this.gaps.toArray().filter((gap) => gap.at >= since);
  }

  /** Time of the oldest sample or gap kept, if any. */
  oldestTime(): number | undefined {
    let oldest = this.gaps.toArray(this.gaps.size)[0]?.at;
    for (const series of this.hosts.values()) {
      const at = series.samples.toArray()[0]?.at;
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return oldest;
  }

  /** Time of the newest sample or gap, if any. */
  newestTime(): number | undefined {
    let newest = this.gaps.last()?.at;
    for (const series of this.hosts.values()) {
      const at = series.samples.last()?.at;
      if (at !== undefined && (newest === undefined || at > newest)) newest = at;
    }
    return newest;
  }

  private evict(): void {
    for (const [host, series] of this.hosts) {
      // A host that has not answered for a whole window of polls is gone (a deleted pod).
      if (this.polls - series.lastPoll >= this.capacity) this.hosts.delete(host);
    }
    while (this.hosts.size > MAX_HOSTS) {
      const oldest = this.hosts.keys().next().value as string;
      this.hosts.delete(oldest);
    }
  }
}
