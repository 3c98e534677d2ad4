import {
  circuitBreaker,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  IPolicy,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import type { MonitorAgentConfig } from '../service';
import { UpstreamError } from './upstream.error';

/**
 * Retries after the first failure: enough to ride out one refused connection while a monitor-test
 * pod is replaced, few enough not to pile load on a struggling one.
 */
const MAX_RETRIES = 2;

export interface UpstreamPolicy {
  /** Deadline, then retries, then the breaker: every attempt counts towards the breaker. */
  policy: IPolicy;
  breaker: CircuitBreakerPolicy;
}

/**
 * How the agent calls monitor-test (cockatiel, not hand-written loops):
 * - one deadline (UPSTREAM_TIMEOUT_MS) for the whole call, retries included, so a chart request
 *   answers in bounded time whatever the upstream does;
 * - bounded retries with exponential backoff and decorrelated jitter (so replicas of the agent do not
 *   retry in lockstep), for transient failures only: all calls are idempotent GETs;
 * - a circuit breaker that opens after UPSTREAM_BREAKER_THRESHOLD consecutive failures, answers at once
 *   while open, and after UPSTREAM_BREAKER_HALF_OPEN_MS lets one call through to probe.
 */
export function upstreamPolicy(config: MonitorAgentConfig): UpstreamPolicy {
  const deadline = timeout(config.UPSTREAM_TIMEOUT_MS, TimeoutStrategy.Aggressive);
  const retries = retry(
    handleWhen((error) => error instanceof UpstreamError && error.transient),
    { maxAttempts: MAX_RETRIES, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 400 }) },
  );
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof UpstreamError),
    {
      halfOpenAfter: config.UPSTREAM_BREAKER_HALF_OPEN_MS,
      breaker: new ConsecutiveBreaker(config.UPSTREAM_BREAKER_THRESHOLD),
    },
  );
  return { policy: wrap(deadline, retries, breaker), breaker };
}
