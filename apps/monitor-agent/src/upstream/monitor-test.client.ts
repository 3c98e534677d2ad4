import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { Metric, parseMetric } from '@k8s-app-monitor/metrics-contract';
import { REQUEST_ID_HEADER, SERVICE_CONFIG, Telemetry } from '@k8s-app-monitor/service-kit';
import { AxiosError, AxiosResponse } from 'axios';
import { BrokenCircuitError, CircuitState, TaskCancelledError } from 'cockatiel';
import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Counter, Gauge, Histogram } from 'prom-client';
import { firstValueFrom } from 'rxjs';
import type { MonitorAgentConfig } from '../service';
import { upstreamPolicy, UpstreamPolicy } from './resilience';
import { UpstreamError } from './upstream.error';

/** A metric is under 1 KiB; anything far larger is not monitor-test and is cut off, not buffered. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024;

/** Where monitor-test lives: `http://$SERVICE_NAME:$APP_PORT` as in the original, unless overridden. */
export function upstreamBaseUrl(config: MonitorAgentConfig): string {
  return config.MONITOR_TEST_URL ?? `http://${config.SERVICE_NAME}:${config.APP_PORT}`;
}

/**
 * A new connection per call. kube-proxy balances a Service per connection: over one kept-alive
 * connection every poll would reach the same monitor-test pod, and the dashboard would never show
 * the other replicas (nor a rollout moving traffic between them).
 */
const NEW_CONNECTION_PER_CALL = { httpAgent: new HttpAgent({ keepAlive: false }), httpsAgent: new HttpsAgent({ keepAlive: false }) };

/** The client of monitor-test: deadline, retries and breaker around every call, the contract checked. */
@Injectable()
export class MonitorTestClient {
  readonly baseUrl: string;
  private readonly resilience: UpstreamPolicy;
  private readonly fetchDuration: Histogram<'outcome'>;
  private readonly fetchErrors: Counter<'failure'>;

  constructor(
    private readonly http: HttpService,
    @Inject(SERVICE_CONFIG) private readonly config: MonitorAgentConfig,
    telemetry: Telemetry,
  ) {
    this.baseUrl = upstreamBaseUrl(config);
    this.resilience = upstreamPolicy(config);
    this.fetchDuration = new Histogram({
      name: 'monitor_agent_upstream_fetch_duration_seconds',
      help: 'Time to fetch one metric from monitor-test, retries included',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [telemetry.registry],
    });
    this.fetchErrors = new Counter({
      name: 'monitor_agent_upstream_errors_total',
      help: 'Failed fetches from monitor-test, by failure',
      labelNames: ['failure'],
      registers: [telemetry.registry],
    });
    const circuitOpen = () => (this.circuit === 'open' ? 1 : 0);
    new Gauge({
      name: 'monitor_agent_upstream_circuit_open',
      help: '1 while the circuit breaker towards monitor-test is open (failing fast), else 0',
      registers: [telemetry.registry],
      collect() {
        this.set(circuitOpen());
      },
    });
  }

  get metricsUrl(): string {
    return `${this.baseUrl}/metrics`;
  }

  /** `closed` (normal), `open` (failing fast) or `half-open` (probing). */
  get circuit(): 'closed' | 'open' | 'half-open' {
    const state = this.resilience.breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /**
   * One metric from monitor-test. `requestId` is the id of the request this serves, sent on so one
   * request can be followed through both services' logs; a new one when there is none (the poller).
   */
  async fetchMetric(requestId: string = randomUUID()): Promise<Metric> {
    const endTimer = this.fetchDuration.startTimer();
    try {
      const metric = await this.fetchResiliently(requestId);
      endTimer({ outcome: 'ok' });
      return metric;
    } catch (error) {
      endTimer({ outcome: 'error' });
      this.fetchErrors.inc({ failure: error instanceof UpstreamError ? error.failure : 'unknown' });
      throw error;
    }
  }

  private async fetchResiliently(requestId: string): Promise<Metric> {
    const url = this.metricsUrl;
    try {
      return await this.resilience.policy.execute(({ signal }) => this.fetchOnce(url, requestId, signal));
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        throw new UpstreamError('timeout', `monitor-test did not answer within ${this.config.UPSTREAM_TIMEOUT_MS} ms`, url);
      }
      if (error instanceof BrokenCircuitError) {
        throw new UpstreamError('circuit-open', 'monitor-test failed repeatedly; not calling it until the circuit half-opens', url);
      }
      throw error;
    }
  }

  /**
   * monitor-test's liveness, which the agent's readiness depends on. An open circuit means it has
   * been failing: not ready, without adding a call.
   */
  async checkHealth(): Promise<void> {
    const url = `${this.baseUrl}/healthz`;
    if (this.circuit === 'open') {
      throw new UpstreamError('circuit-open', 'circuit breaker open after repeated monitor-test failures', url);
    }
    const response = await this.get(url, randomUUID(), AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS));
    if (response.status !== 200) {
      throw new UpstreamError('bad-status', `monitor-test /healthz answered ${response.status}`, url, response.status);
    }
  }

  private async fetchOnce(url: string, requestId: string, signal: AbortSignal): Promise<Metric> {
    const response = await this.get(url, requestId, signal);
    if (response.status !== 200) {
      throw new UpstreamError('bad-status', `monitor-test answered ${response.status}`, url, response.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.data);
    } catch {
      throw new UpstreamError('invalid-body', 'monitor-test answered something that is not JSON', url);
    }
    const parsed = parseMetric(body);
    if (!parsed.ok) {
      throw new UpstreamError('invalid-body', `monitor-test broke the metric contract: ${parsed.error}`, url);
    }
    return parsed.metric;
  }

  private async get(url: string, requestId: string, signal: AbortSignal): Promise<AxiosResponse<string>> {
    try {
      return await firstValueFrom(
        this.http.get<string>(url, {
          // The signal carries the whole call's deadline: an upstream that trickles bytes cannot hold
          // a request open (axios' own timeout only bounds socket inactivity).
          signal,
          ...NEW_CONNECTION_PER_CALL,
          // One request id from the agent's caller through to monitor-test's access log.
          headers: {
            [REQUEST_ID_HEADER]: requestId,
            ...(this.config.API_TOKEN && { authorization: `Bearer ${this.config.API_TOKEN}` }),
          },
          responseType: 'text',
          transformResponse: (data: string) => data,
          maxContentLength: MAX_UPSTREAM_BODY_BYTES,
          maxRedirects: 0,
          validateStatus: () => true,
        }),
      );
    } catch (error) {
      throw this.classify(error, url);
    }
  }

  private classify(error: unknown, url: string): UpstreamError {
    const axiosError = error as AxiosError;
    const code = axiosError.code ?? '';
    if (code === 'ERR_CANCELED' || axiosError.name === 'CanceledError' || code === 'ECONNABORTED') {
      return new UpstreamError('timeout', `monitor-test did not answer within ${this.config.UPSTREAM_TIMEOUT_MS} ms`, url);
    }
    if (code === 'ERR_BAD_RESPONSE' || /maxContentLength/.test(axiosError.message ?? '')) {
      return new UpstreamError('invalid-body', `monitor-test answered more than ${MAX_UPSTREAM_BODY_BYTES} bytes`, url);
    }
    return new UpstreamError('unreachable', `monitor-test is unreachable (${code || axiosError.message})`, url);
  }
}
