import {
  healthyUpstream,
  startInProcess,
  startTestServer,
  TestServer,
} from '@k8s-app-monitor/test-support';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { monitorAgentService } from './service';

/** The agent in-process, fed by a fake monitor-test whose behaviour the test switches. */
export interface AgentUnderTest {
  upstream: TestServer;
  app: NestFastifyApplication;
  /** Closes the agent, then its upstream. */
  stop(): Promise<void>;
}

/** For specs: the agent wired to a healthy fake monitor-test, configured from `env`. */
export async function startAgentUnderTest(
  env: Record<string, string> = {},
): Promise<AgentUnderTest> {
  const upstream = await startTestServer(healthyUpstream);
  const app = await startInProcess(monitorAgentService, {
    MONITOR_TEST_URL: upstream.url,
    ...env,
  });
  return {
    upstream,
    app,
    stop: async () => {
      await app.close();
      await upstream.close();
    },
  };
}
