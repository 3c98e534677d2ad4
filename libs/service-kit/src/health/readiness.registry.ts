import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * The checks behind `/readyz`. Features add their own (the agent: "monitor-test answers"); the
 * shutdown sequence adds one that fails while draining. Kubernetes sends Service traffic only to
 * pods whose readiness probe passes.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, HealthIndicatorFunction>();

  register(name: string, check: HealthIndicatorFunction): void {
    this.checks.set(name, check);
  }

  indicators(): HealthIndicatorFunction[] {
    return [...this.checks.values()];
  }
}
