import { freePort, ServiceProcess, startNodeProcess, stopProcess, waitForStatus } from '@k8s-app-monitor/test-support';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { kubernetesService } from './proxies';
import { CHROMIUM, eventually, MONITOR_AGENT, MONITOR_TEST, ROOT, updates, watchProblems } from './support';

const PODS = ['k8s-app-monitor-test-5d9c7b8f6-x2k9q', 'k8s-app-monitor-test-5d9c7b8f6-q7wzt', 'k8s-app-monitor-test-5d9c7b8f6-m4n8p'];

// The workshop story: two replicas, then `kubectl scale --replicas=3`, watched on the dashboard.
it('writes docs/dashboard.png', async () => {
  const ports = await Promise.all(PODS.map(() => freePort()));
  const processes: ServiceProcess[] = [];
  const start = (index: number) => {
    processes.push(startNodeProcess(MONITOR_TEST, { PORT: String(ports[index]), HOSTNAME: PODS[index] }));
    return waitForStatus(`http://127.0.0.1:${ports[index]}/healthz`);
  };
  await Promise.all([start(0), start(1), start(2)]);
  const targets = ports.map((port) => `http://127.0.0.1:${port}`);
  const service = await kubernetesService(targets.slice(0, 2));
  const agentPort = await freePort();
  const agent = startNodeProcess(MONITOR_AGENT, { PORT: String(agentPort), MONITOR_TEST_URL: service.url, POLL_INTERVAL_MS: '250' });
  processes.push(agent);
  const browser = await chromium.launch(CHROMIUM);
  try {
    await waitForStatus(`http://127.0.0.1:${agentPort}/healthz`);
    await sleep(15_000);
    await service.close();
    // The scaled-up Service on the same address: now three replicas.
    const scaled = await kubernetesServiceOn(service.url, targets);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems = watchProblems(page);
    await page.goto(`http://127.0.0.1:${agentPort}/`);
    await sleep(25_000);
    await eventually(async () => (await updates(page)) > 2 && (await page.locator('.tile').count()) === 3, 10_000, 'three tiles');
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'docs/dashboard.png') });
    expect(problems).toEqual([]);
    await scaled.close();
  } finally {
    await browser.close();
    await Promise.all(processes.map((p) => stopProcess(p)));
  }
});

async function kubernetesServiceOn(url: string, targets: string[]) {
  const port = Number(new URL(url).port);
  return kubernetesService(targets, port);
}
