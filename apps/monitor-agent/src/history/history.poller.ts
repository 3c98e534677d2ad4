import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG, Telemetry } from '@k8s-app-monitor/service-kit';
import { Counter } from 'prom-client';
import type { MonitorAgentConfig } from '../service';
import { MonitorTestClient, UpstreamError } from '../upstream';
import { HistoryStore } from './history.store';

/** What the agent knows about its last attempts to reach monitor-test (`GET /api/upstream`). */
export interface UpstreamStatus {
  /** Base URL of monitor-test; the agent polls `<baseUrl>/metrics`. */
  baseUrl: string;
  pollIntervalMs: number;
  /** `unknown` before the first poll completes, then whether the last poll succeeded. */
  state: 'unknown' | 'up' | 'down';
  lastSuccessAt: number | undefined;
  lastError: { at: number; failure: string; message: string } | undefined;
  consecutiveFailures: number;
  polls: number;
}

/**
 * Samples monitor-test every POLL_INTERVAL_MS into the HistoryStore. One poll at a time (a slow
 * upstream delays the next poll instead of piling requests up); a failure becomes a gap and never
 * stops the loop. The timer is unref'd and cleared on shutdown, so it never keeps the process alive.
 */
@Injectable()
export class HistoryPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HistoryPoller.name);
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = true;
  private readonly status: UpstreamStatus;
  private readonly polls: Counter<'outcome'>;

  constructor(
    private readonly client: MonitorTestClient,
    private readonly store: HistoryStore,
    @Inject(SERVICE_CONFIG) config: Pick<MonitorAgentConfig, 'POLL_INTERVAL_MS'>,
    telemetry: Telemetry,
  ) {
    this.intervalMs = config.POLL_INTERVAL_MS;
    this.polls = new Counter({
      name: 'monitor_agent_polls_total',
      help: 'Polls of monitor-test for the history, by outcome (ok: a sample, gap: a failure)',
      labelNames: ['outcome'],
      registers: [telemetry.registry],
    });
    this.status = {
      baseUrl: client.baseUrl,
      pollIntervalMs: this.intervalMs,
      state: 'unknown',
      lastSuccessAt: undefined,
      lastError: undefined,
      consecutiveFailures: 0,
      polls: 0,
    };
  }

  upstreamStatus(): UpstreamStatus {
    return { ...this.status, lastError: this.status.lastError && { ...this.status.lastError } };
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for a poll in progress (bounded by UPSTREAM_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** One poll: fetch, record a sample or a gap. Never rejects. */
  async pollOnce(): Promise<void> {
    // Samples are stamped with the time the poll started: fixed-rate polls then give evenly spaced
    // points, whatever each answer's latency.
    const started = Date.now();
    try {
      const metric = await this.client.fetchMetric();
      const now = Date.now();
      this.store.recordSample(metric, started);
      if (this.status.state === 'down') this.logger.log(`monitor-test answers again after ${this.status.consecutiveFailures} failed polls`);
      this.status.state = 'up';
      this.status.lastSuccessAt = now;
      this.status.consecutiveFailures = 0;
      this.polls.inc({ outcome: 'ok' });
    } catch (error) {
      this.polls.inc({ outcome: 'gap' });
      const failure = error instanceof UpstreamError ? error.failure : 'error';
      const message = error instanceof Error ? error.message : String(error);
      const now = Date.now();
      try {
        this.store.recordGap(failure, message, started);
      } catch (storeError) {
        this.logger.error(`could not record a gap: ${(storeError as Error).message}`);
      }
      // Log the transition, not every failed poll: a down upstream would flood the log otherwise.
      if (this.status.state !== 'down') this.logger.warn(`polling monitor-test failed (${failure}): ${message}`);
      this.status.state = 'down';
      this.status.lastError = { at: now, failure, message };
      this.status.consecutiveFailures += 1;
    } finally {
      this.status.polls += 1;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.inFlight = this.pollOnce().finally(() => {
        this.inFlight = undefined;
        // Fixed rate, not fixed delay: a poll that took 300 ms still gives one sample per interval.
        this.schedule(Math.max(0, this.intervalMs - (Date.now() - started)));
      });
    }, delayMs);
    this.timer.unref();
  }
}
