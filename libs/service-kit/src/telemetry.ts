import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import {
  collectDefaultMetrics,
  Counter,
  Histogram,
  Registry,
} from 'prom-client';

/**
 * Where Prometheus scrapes. Not `/metrics`: that is monitor-test's JSON API, which the tutorial owns.
 * Registered on Fastify directly, so it stays at the root when the agent runs under BASE_PATH, next
 * to the probes; the traefik routes only expose `/k8s-app-monitor-agent...`, so it stays in-cluster.
 */
export const PROMETHEUS_PATH = '/prometheus';

/**
 * Latency buckets in seconds, from a fast JSON answer (~1 ms) to a slow chart behind a timing-out
 * upstream (2 s default timeout): the range in which this project's requests fall.
 */
const HTTP_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** Label of every request that matched no route, so random paths cannot create new time series. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Prometheus telemetry (the source article's factor "telemetry"): Node.js process and runtime
 * metrics, RED metrics (rate, errors, duration) of every HTTP route, and the services' own domain
 * metrics, which register in `registry`.
 */
@Injectable()
export class Telemetry {
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent, by route template',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template',
      labelNames: ['method', 'route', 'status_code'],
      registers: [this.registry],
    });
  }

  /**
   * Records every answered request, labelled with its route template (`/metrics/:appname`), never
   * its raw path, so the number of time series stays bounded; and serves the scrape endpoint.
   */
  instrument(fastify: FastifyInstance): void {
    // The labelled children, kept: looking one up by a string key costs far less than prom-client
    // hashing a label object twice per request (measured on /metrics; see BENCHMARKS.md).
    const children = new Map<
      string,
      {
        duration: Histogram.Internal<'method' | 'route' | 'status_code'>;
        requests: Counter.Internal;
      }
    >();
    fastify.addHook('onResponse', (request, reply, done) => {
      const method = request.method;
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const status = reply.statusCode;
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        const labels = { method, route, status_code: String(status) };
        child = {
          duration: this.duration.labels(labels),
          requests: this.requests.labels(labels),
        };
        children.set(key, child);
      }
      child.duration.observe(reply.elapsedTime / 1000);
      child.requests.inc();
      done();
    });
    fastify.get(PROMETHEUS_PATH, async (_request, reply) => {
      reply.type(this.registry.contentType).send(await this.registry.metrics());
    });
  }
}
