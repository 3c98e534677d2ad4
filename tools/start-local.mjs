#!/usr/bin/env node
// `npm start`: runs the two built services side by side, as docker-compose or Kubernetes would,
// with the agent wired to the local monitor-test. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const services = [
  {
    name: 'monitor-test',
    main: 'dist/apps/monitor-test/main.js',
    env: { PORT: '3000' },
    ready: 'http://localhost:3000/readyz',
  },
  {
    name: 'monitor-agent',
    main: 'dist/apps/monitor-agent/main.js',
    // The original's variables: the agent finds monitor-test at http://$SERVICE_NAME:$APP_PORT.
    env: { PORT: '8888', SERVICE_NAME: 'localhost', APP_PORT: '3000' },
    ready: 'http://localhost:8888/readyz',
  },
];

const width = Math.max(...services.map((s) => s.name.length));
let stopping = false;

const children = services.map((service) => {
  const child = spawn(process.execPath, [service.main], {
    env: { LOG_FORMAT: 'pretty', SHUTDOWN_DELAY_MS: '0', ...process.env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${service.name.padEnd(width)}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${service.name} exited (${signal ?? code}); stopping the other one\n`);
      stopAll(1);
    }
  });
  return child;
});

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGINT');
  Promise.all(running.map((child) => new Promise((resolve) => child.on('exit', resolve)))).then(() =>
    process.exit(exitCode),
  );
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function waitUntilReady(url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return false;
}

for (const service of services) {
  if (!(await waitUntilReady(service.ready))) {
    if (!stopping) process.stderr.write(`${service.name} did not become ready at ${service.ready}\n`);
    stopAll(1);
    break;
  }
}

if (!stopping) {
  process.stdout.write(`
  Both services are up (Ctrl-C stops them):
    dashboard            http://localhost:8888/
    chart (original)     http://localhost:8888/k8s-app-monitor-agent
    agent JSON API       http://localhost:8888/api/metrics/latest
    fake metrics (JSON)  http://localhost:3000/metrics
    API docs             http://localhost:3000/docs  and  http://localhost:8888/docs
    probes               /healthz (liveness) and /readyz (readiness) on both

`);
}
