import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { Metric, parseMetric } from '@k8s-app-monitor/metrics-contract';
import { SERVICE_CONFIG } from '@k8s-app-monitor/service-kit';
import { AxiosError, AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { MonitorAgentConfig, upstreamBaseUrl } from '../service';
import { UpstreamError } from './upstream.error';

/** A metric is under 1 KiB; anything far larger is not monitor-test and is cut off, not buffered. */
const MAX_BODY_BYTES = 64 * 1024;

/** The client of monitor-test: one deadline per call, the contract checked on every answer. */
@Injectable()
export class MonitorTestClient {
  readonly baseUrl: string;

  constructor(
    private readonly http: HttpService,
    @Inject(SERVICE_CONFIG) private readonly config: MonitorAgentConfig,
  ) {
    this.baseUrl = upstreamBaseUrl(config);
  }

  get metricsUrl(): string {
    return `${this.baseUrl}/metrics`;
  }

  async fetchMetric(): Promise<Metric> {
    const url = this.metricsUrl;
    const response = await this.get(url);
    if (response.status !== 200) {
      throw new UpstreamError('bad-status', `monitor-test answered ${response.status}`, url);
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

  /** monitor-test's liveness, which the agent's readiness depends on. */
  async checkHealth(): Promise<void> {
    const url = `${this.baseUrl}/healthz`;
    const response = await this.get(url);
    if (response.status !== 200) {
      throw new UpstreamError('bad-status', `monitor-test /healthz answered ${response.status}`, url);
    }
  }

  private async get(url: string): Promise<AxiosResponse<string>> {
    const timeout = this.config.UPSTREAM_TIMEOUT_MS;
    try {
      return await firstValueFrom(
        this.http.get<string>(url, {
          // axios' own timeout only bounds socket inactivity; the signal bounds the whole exchange,
          // so an upstream that trickles bytes cannot hold a request open.
          timeout,
          signal: AbortSignal.timeout(timeout),
          responseType: 'text',
          transformResponse: (data: string) => data,
          maxContentLength: MAX_BODY_BYTES,
          maxRedirects: 0,
          validateStatus: () => true,
        }),
      );
    } catch (error) {
      throw this.classify(error, url, timeout);
    }
  }

  private classify(error: unknown, url: string, timeout: number): UpstreamError {
    const axiosError = error as AxiosError;
    const code = axiosError.code ?? '';
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || axiosError.name === 'CanceledError') {
      return new UpstreamError('timeout', `monitor-test did not answer within ${timeout} ms`, url);
    }
    if (code === 'ERR_BAD_RESPONSE' || /maxContentLength/.test(axiosError.message ?? '')) {
      return new UpstreamError('invalid-body', `monitor-test answered more than ${MAX_BODY_BYTES} bytes`, url);
    }
    return new UpstreamError('unreachable', `monitor-test is unreachable (${code || axiosError.message})`, url);
  }
}
