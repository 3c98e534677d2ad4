import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
} from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness.registry';

export const LIVENESS_PATH = 'healthz';
export const READINESS_PATH = 'readyz';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /**
   * Liveness: "this process can still serve HTTP". It checks no dependency on purpose: a failing
   * liveness probe makes the kubelet restart the container, and restarting cannot fix a peer.
   * Built here rather than by terminus, which fails every check once shutdown begins: liveness must
   * stay 200 while the pod drains, or the kubelet would kill it mid-drain.
   */
  @Get(LIVENESS_PATH)
  liveness(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /** Readiness: "send me traffic". 503 takes the pod out of the Service endpoints until it passes. */
  @Get(READINESS_PATH)
  @HealthCheck()
  readinessCheck() {
    return this.health.check(this.readiness.indicators());
  }
}
