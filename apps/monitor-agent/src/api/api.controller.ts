import { Controller, Get, Query as QueryParams, Res } from '@nestjs/common';
import { PERFORMANCE_FIELDS, PerformanceField } from '@k8s-app-monitor/metrics-contract';
import { sendJson } from '@k8s-app-monitor/service-kit';
import type { FastifyReply } from 'fastify';
import { HistoryPoller, HistoryStore } from '../history';
import { hostParam, integerParam, metricParam, Query, timeParam } from './query-params';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The agent's JSON API: what the dashboard draws, for scripts and other tools too. */
@Controller('api')
export class ApiController {
  constructor(
    private readonly store: HistoryStore,
    private readonly poller: HistoryPoller,
  ) {}

  /** The newest sample of every monitor-test host (pod), with its age. */
  @Get('metrics/latest')
  latest(@Res() reply: FastifyReply): void {
    const now = Date.now();
    send(reply, {
      generatedAt: iso(now),
      hosts: this.store.latest().map((sample) => ({
        host: sample.host,
        app_name: sample.app_name,
        domain: sample.domain,
        sampledAt: iso(sample.at),
        ageMs: now - sample.at,
        performance_index: sample.performance_index,
      })),
    });
  }

  /**
   * Time series per host, oldest first, plus the failed polls (gaps) in the same time range.
   * `since` returns only what is newer than a time the caller already has (the dashboard polls so).
   */
  @Get('metrics/history')
  history(@QueryParams() query: Query, @Res() reply: FastifyReply): void {
    const host = hostParam(query, 'host');
    const metric = metricParam(query, 'metric');
    const limit = integerParam(query, 'limit', 1, this.store.capacity, this.store.capacity);
    const since = timeParam(query, 'since');
    const fields: PerformanceField[] = metric ? [metric] : PERFORMANCE_FIELDS;
    const hosts = host === undefined ? this.store.hostNames() : [host];
    const newer = <T extends { at: number }>(items: T[]) => (since === undefined ? items : items.filter((item) => item.at > since));
    const series = hosts
      .map((name) => ({ host: name, samples: newer(this.store.samples(name)).slice(-limit) }))
      .filter((entry) => entry.samples.length > 0);
    const oldest = Math.min(...series.map((entry) => entry.samples[0].at));
    const gaps = newer(this.store.gapsSince(Number.isFinite(oldest) ? oldest : 0)).slice(-limit);
    send(reply, {
      fields,
      limit,
      series: series.map((entry) => ({
        host: entry.host,
        points: entry.samples.map((sample) => {
          const point: Record<string, string | number> = { time: iso(sample.at) as string };
          for (const field of fields) point[field] = sample.performance_index[field];
          return point;
        }),
      })),
      gaps: gaps.map((gap) => ({ time: iso(gap.at), failure: gap.failure, message: gap.message })),
    });
  }

  /** Where the agent fetches from and how that is going. */
  @Get('upstream')
  upstream(@Res() reply: FastifyReply): void {
    const status = this.poller.upstreamStatus();
    send(reply, {
      baseUrl: status.baseUrl,
      metricsUrl: `${status.baseUrl}/metrics`,
      pollIntervalMs: status.pollIntervalMs,
      state: status.state,
      lastSuccessAt: iso(status.lastSuccessAt),
      lastError: status.lastError
        ? { time: iso(status.lastError.at), failure: status.lastError.failure, message: status.lastError.message }
        : null,
      consecutiveFailures: status.consecutiveFailures,
      polls: status.polls,
    });
  }
}

/** Live data: no cache (browser or proxy) may keep it. */
function send(reply: FastifyReply, body: unknown): void {
  reply.header('cache-control', 'no-store');
  sendJson(reply, 200, body);
}
