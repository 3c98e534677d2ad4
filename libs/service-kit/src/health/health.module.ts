import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness.registry';

@Global()
@Module({
  // A failed probe is already in the access log with its status; terminus' own log would repeat it.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry, TerminusModule],
})
export class HealthModule {}
